package io.kassa.engine.server.postgres;

import io.kassa.engine.core.ledger.LedgerEntry;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.points.LotDraw;
import io.kassa.engine.core.refund.RefundState;
import io.kassa.engine.core.sale.SaleLine;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.checkout.HotCopyLostException;
import io.kassa.engine.server.checkout.MemberDirectory;
import io.kassa.engine.server.checkout.OutboxRelay;
import io.kassa.engine.server.checkout.RefundKey;
import io.kassa.engine.server.checkout.RefundReceipt;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.checkout.SaleRefundStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@link SaleRefundStore} on PostgreSQL (tables of V50). A refund's commit is one transaction:
 * the PENDING row turns COMMITTED (conditionally: an abandoned refund cannot commit), its lines
 * (each line of a sale refunded once, by primary key), tender shares (never beyond what a
 * tender paid, by trigger), a balanced ledger transaction whose id is the refund's, the
 * member's lots, stored value, lifetime points and coupons, the outbox row for the hot copy,
 * and the channel refunds to ask for.
 */
public final class PgSaleRefunds implements SaleRefundStore {

    static final String TRANSACTION_KIND_REFUND = "REFUND";

    private static final String ORDER = """
            select order_id, committed_at, member_id, bonus_points, points_per_yuan,
                   points_spent
              from sales_order
             where store_id = $1 and terminal_id = $2 and sale_id = $3
               and status = 'COMMITTED'""";

    private static final String LINES = """
            select line_number, sku, category, quantity, gross_fen, discount_fen, net_fen,
                   earned_points
              from order_line where order_id = $1 order by line_number""";

    private static final String TENDERS = """
            select tender_number, kind, amount_fen, received_fen, reference
              from order_tender where order_id = $1 order by tender_number""";

    private static final String DRAWS = """
            select d.lot_id, d.points, coalesce(d.earned_on, l.earned_on) as earned_on,
                   coalesce(d.expires_on, l.expires_on) as expires_on,
                   d.birthday_extended_year
              from order_points_draw d join points_lot l using (lot_id)
             where d.order_id = $1
             order by d.draw_number, coalesce(d.expires_on, l.expires_on), d.lot_id""";

    private static final String COUPONS = """
            select coupon_id, template_id, member_id, valid_from, valid_until
              from coupon where redeemed_order_id = $1 order by coupon_id""";

    private static final String COMMITTED_REFUNDS = """
            select count(*) as refunds, coalesce(sum(points_restored), 0) as points_restored
              from sale_refund where order_id = $1 and state = 'COMMITTED'""";

    private static final String REFUNDED_LINES = """
            select line_number from sale_refund_line where order_id = $1""";

    static final String REFUNDED_TENDERS = """
            select tender_number, sum(share_fen) as refunded
              from sale_refund_tender where order_id = $1 group by tender_number""";

    private static final String FIND = """
            select refund_uuid, order_id, request_fingerprint, state, answer
              from sale_refund
             where store_id = $1 and terminal_id = $2 and refund_id = $3
               and state <> 'ABANDONED'""";

    private static final String BEGIN = """
            insert into sale_refund (refund_uuid, store_id, terminal_id, refund_id, order_id,
                sequence, request_fingerprint, state, member_id, hold_id, refunded_fen, answer,
                created_at, lease_until)
            values ($1, $2, $3, $4, $5, $6, $7, 'PENDING', $8, $9, $10, '{}'::jsonb, $11, $12)
            on conflict do nothing""";

    private static final String CURRENT_GENERATION = """
            select generation from redis_generation for share""";

    private static final String COMMIT = """
            update sale_refund set state = 'COMMITTED', committed_at = $2, answer = $3,
                   points_restored = $4, points_clawed_back = $5, shortfall_fen = $6,
                   full_refund = $7
             where refund_uuid = $1 and state = 'PENDING'""";

    private static final String INSERT_LINES = """
            insert into sale_refund_line (order_id, line_number, refund_uuid, net_fen)
            select $1, line_number, $2, net_fen
              from unnest($3::int4[], $4::int8[]) as u(line_number, net_fen)""";

    private static final String INSERT_TENDERS = """
            insert into sale_refund_tender (refund_uuid, order_id, tender_number, kind,
                share_fen, amount_fen)
            select $1, $2, tender_number, kind, share_fen, amount_fen
              from unnest($3::int4[], $4::text[], $5::int8[], $6::int8[])
                   as u(tender_number, kind, share_fen, amount_fen)""";

    private static final String INSERT_TRANSACTION = """
            insert into ledger_transaction (transaction_id, kind, order_id, created_at)
            values ($1, $2, $3, $4)""";

    private static final String INSERT_ENTRIES = """
            insert into ledger_entry (transaction_id, entry_number, account, amount, unit)
            select $1, entry_number, account, amount, unit
              from unnest($2::int4[], $3::text[], $4::int8[], $5::text[])
                   as u(entry_number, account, amount, unit)""";

    // A lot that had run empty takes the expiry of the points it gets back, as the hot copy
    // recreates it; a lot still holding points keeps its own.
    private static final String MOVE_LOTS = """
            update points_lot p set
                   expires_on = case when p.points_remaining = 0 and d.delta > 0
                                     then d.expires_on else p.expires_on end,
                   birthday_extended_year = case when p.points_remaining = 0 and d.delta > 0
                                     then d.birthday_year else p.birthday_extended_year end,
                   points_remaining = p.points_remaining + d.delta
              from unnest($1::text[], $2::int8[], $3::date[], $4::int4[])
                   as d(lot_id, delta, expires_on, birthday_year)
             where p.lot_id = d.lot_id and p.member_id = $5""";

    private static final String GIVE_STORED_VALUE = """
            update stored_value_balance set balance_fen = balance_fen + $2
             where member_id = $1""";

    private static final String LIFETIME = """
            update member
               set lifetime_earned_points = greatest(0, lifetime_earned_points - $2)
             where member_id = $1""";

    private static final String RESTORE_COUPONS = """
            update coupon set state = 'AVAILABLE', redeemed_order_id = null
             where coupon_id = any($1::text[]) and state = 'REDEEMED'
               and redeemed_order_id = $2""";

    private static final String INSERT_OUTBOX = """
            insert into outbox (kind, member_id, hold_id, payload) values ($1, $2, $3, $4)
            returning outbox_id""";

    private static final String INSERT_CHANNEL_REFUNDS = """
            insert into payment_refund (out_refund_no, refund_id, out_trade_no, amount_fen,
                state, created_at, updated_at, refund_uuid, tender_number, attempts,
                lease_until)
            select out_refund_no, $1, out_trade_no, amount_fen, 'requested', $2, $2, $3,
                   tender_number, 0, $4
              from unnest($5::text[], $6::text[], $7::int8[], $8::int4[])
                   as u(out_refund_no, out_trade_no, amount_fen, tender_number)""";

    private static final String ABANDON = """
            update sale_refund set state = 'ABANDONED'
             where refund_uuid = $1 and state = 'PENDING'""";

    private static final String STATE = """
            select state from sale_refund where refund_uuid = $1""";

    private static final String OVERDUE = """
            select refund_uuid, store_id, terminal_id, refund_id, order_id, sequence,
                   request_fingerprint, member_id, hold_id, refunded_fen, created_at,
                   lease_until
              from sale_refund
             where (state = 'PENDING' and lease_until < $1)
                or (state = 'ABANDONED' and hold_id <> '')
             order by lease_until limit $2""";

    private static final String HOLD_RELEASED = """
            update sale_refund set hold_id = ''
             where refund_uuid = $1 and state = 'ABANDONED'""";

    private static final String CHANNEL_REFUND_COLUMNS = """
            select p.out_refund_no, p.refund_uuid, p.tender_number, p.out_trade_no,
                   i.tender_kind, p.amount_fen, i.amount_fen as trade_amount_fen, p.state,
                   p.detail, p.attempts
              from payment_refund p join payment_intent i using (out_trade_no)""";

    private static final String CHANNEL_REFUNDS_OF = CHANNEL_REFUND_COLUMNS
            + " where p.refund_uuid = $1 order by p.tender_number";

    private static final String CHANNEL_REFUND = CHANNEL_REFUND_COLUMNS
            + " where p.out_refund_no = $1";

    private static final String CLAIM_CHANNEL_REFUND = """
            update payment_refund set lease_until = $2, attempts = attempts + 1,
                   updated_at = now()
             where out_refund_no = (
                   select out_refund_no from payment_refund
                    where state = 'requested' and refund_uuid is not null
                      and lease_until < $1
                    order by lease_until limit 1 for update skip locked)
            returning out_refund_no""";

    private static final String SETTLE_CHANNEL_REFUND = """
            update payment_refund set state = $2, channel_refund_id = $3, detail = $4,
                   lease_until = $5, updated_at = now()
             where out_refund_no = $1 and state = 'requested'""";

    private final Pool pool;

    public PgSaleRefunds(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Optional<RefundableSale>> sale(SaleKey key) {
        return pool.withConnection(connection -> connection.preparedQuery(ORDER)
                .execute(Tuple.of(key.storeId(), key.terminalId(), key.saleId()))
                .compose(orders -> {
                    if (orders.rowCount() == 0) {
                        return Future.succeededFuture(Optional.empty());
                    }
                    return readSale(connection, key, orders.iterator().next())
                            .map(Optional::of);
                }));
    }

    /**
     * Reads the count of committed refunds first: a refund committing while this reads shows
     * in what follows, so the sequence derived from the count is then already taken and the
     * new refund's {@link #begin} fails instead of working from a torn view.
     */
    private Future<RefundableSale> readSale(SqlConnection connection, SaleKey key, Row order) {
        UUID orderId = order.getUUID("order_id");
        Tuple byOrder = Tuple.of(orderId);
        Future<RowSet<Row>> refunds = connection.preparedQuery(COMMITTED_REFUNDS)
                .execute(byOrder);
        return refunds.compose(counted -> {
            Future<RowSet<Row>> lines = connection.preparedQuery(LINES).execute(byOrder);
            Future<RowSet<Row>> tenders = connection.preparedQuery(TENDERS).execute(byOrder);
            Future<RowSet<Row>> draws = connection.preparedQuery(DRAWS).execute(byOrder);
            Future<RowSet<Row>> coupons = connection.preparedQuery(COUPONS).execute(byOrder);
            Future<RowSet<Row>> refundedLines =
                    connection.preparedQuery(REFUNDED_LINES).execute(byOrder);
            Future<RowSet<Row>> refundedTenders =
                    connection.preparedQuery(REFUNDED_TENDERS).execute(byOrder);
            return Future.all(List.of(lines, tenders, draws, coupons, refundedLines,
                    refundedTenders)).map(all -> toSale(key, order, counted.iterator().next(),
                    lines.result(), tenders.result(), draws.result(), coupons.result(),
                    refundedLines.result(), refundedTenders.result()));
        });
    }

    private static RefundableSale toSale(SaleKey key, Row order, Row counted,
            RowSet<Row> lineRows, RowSet<Row> tenderRows, RowSet<Row> drawRows,
            RowSet<Row> couponRows, RowSet<Row> refundedLineRows,
            RowSet<Row> refundedTenderRows) {
        List<SaleLine> lines = new ArrayList<>();
        Map<Integer, Long> gross = new HashMap<>();
        Map<Integer, Long> discount = new HashMap<>();
        for (Row line : lineRows) {
            int number = line.getInteger("line_number");
            lines.add(new SaleLine(number, line.getString("sku"), line.getString("category"),
                    line.getInteger("quantity"), Money.fen(line.getLong("net_fen")),
                    line.getLong("earned_points")));
            gross.put(number, line.getLong("gross_fen"));
            discount.put(number, line.getLong("discount_fen"));
        }
        List<Tender> tenders = new ArrayList<>();
        List<String> references = new ArrayList<>();
        Map<Integer, Long> refundedByNumber = new HashMap<>();
        for (Row tender : refundedTenderRows) {
            refundedByNumber.put(tender.getInteger("tender_number"),
                    tender.getLong("refunded"));
        }
        List<Long> refundedByTender = new ArrayList<>();
        for (Row tender : tenderRows) {
            tenders.add(new Tender(TenderKind.valueOf(tender.getString("kind")),
                    Money.fen(tender.getLong("amount_fen")),
                    Money.fen(tender.getLong("received_fen"))));
            references.add(tender.getString("reference"));
            refundedByTender.add(refundedByNumber.getOrDefault(
                    tender.getInteger("tender_number"), 0L));
        }
        List<LotDraw> draws = new ArrayList<>();
        for (Row draw : drawRows) {
            draws.add(new LotDraw(draw.getString("lot_id"), draw.getLong("points"),
                    draw.getLocalDate("earned_on"), draw.getLocalDate("expires_on"),
                    draw.getInteger("birthday_extended_year")));
        }
        List<MemberDirectory.CouponRecord> coupons = new ArrayList<>();
        for (Row coupon : couponRows) {
            coupons.add(new MemberDirectory.CouponRecord(coupon.getString("coupon_id"),
                    coupon.getString("template_id"),
                    Optional.ofNullable(coupon.getString("member_id")),
                    coupon.getOffsetDateTime("valid_from").toInstant(),
                    coupon.getOffsetDateTime("valid_until").toInstant()));
        }
        Set<Integer> refundedLines = new HashSet<>();
        for (Row line : refundedLineRows) {
            refundedLines.add(line.getInteger("line_number"));
        }
        RefundState state = new RefundState(refundedLines, refundedByTender,
                counted.getLong("points_restored"));
        return new RefundableSale(order.getUUID("order_id"), key,
                order.getOffsetDateTime("committed_at").toInstant(),
                Optional.ofNullable(order.getString("member_id")), lines, gross, discount,
                tenders, references, order.getLong("bonus_points"), draws,
                order.getLong("points_spent"), order.getLong("points_per_yuan"), coupons,
                state, counted.getLong("refunds").intValue());
    }

    @Override
    public Future<Optional<StoredRefund>> find(RefundKey key) {
        return pool.preparedQuery(FIND)
                .execute(Tuple.of(key.storeId(), key.terminalId(), key.refundId()))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    String state = row.getString("state");
                    Optional<RefundReceipt> receipt = "COMMITTED".equals(state)
                            ? Optional.of(RefundReceipt.fromJson(row.getJsonObject("answer")))
                            : Optional.empty();
                    return Optional.of(new StoredRefund(row.getUUID("refund_uuid"), key,
                            row.getUUID("order_id"), row.getString("request_fingerprint"),
                            state, receipt));
                });
    }

    @Override
    public Future<Boolean> begin(PendingRefund refund) {
        return pool.preparedQuery(BEGIN).execute(beginTuple(refund))
                .map(rows -> rows.rowCount() == 1);
    }

    private static Tuple beginTuple(PendingRefund refund) {
        Tuple tuple = Tuple.tuple().addUUID(refund.refundUuid())
                .addString(refund.key().storeId()).addString(refund.key().terminalId())
                .addString(refund.key().refundId()).addUUID(refund.orderId())
                .addInteger(refund.sequence()).addString(refund.fingerprint());
        tuple.addString(refund.memberId().orElse(null));
        return tuple.addString(refund.holdId()).addLong(refund.refundedFen())
                .addOffsetDateTime(utc(refund.createdAt()))
                .addOffsetDateTime(utc(refund.leaseUntil()));
    }

    @Override
    public Future<Optional<Long>> commit(RefundRecord refund) {
        return pool.withTransaction(connection -> checkGeneration(connection, refund)
                .compose(checked -> connection.preparedQuery(COMMIT).execute(Tuple.tuple()
                        .addUUID(refund.refundUuid())
                        .addOffsetDateTime(utc(refund.receipt().committedAt()))
                        .addJsonObject(refund.receipt().toJson())
                        .addLong(refund.pointsRestored()).addLong(refund.pointsClawedBack())
                        .addLong(refund.shortfallFen()).addBoolean(refund.fullRefund())))
                .compose(updated -> updated.rowCount() == 1 ? Future.succeededFuture()
                        : Future.failedFuture(new NotPendingException(refund.refundUuid())))
                .compose(pending -> Future.all(insertLines(connection, refund),
                        insertTenders(connection, refund), insertLedger(connection, refund)))
                .compose(books -> insertChannelRefunds(connection, refund))
                .compose(asked -> refund.member().isPresent()
                        ? writeMember(connection, refund, refund.member().get()).map(Optional::of)
                        : Future.succeededFuture(Optional.<Long>empty())))
                .recover(failure -> Future.failedFuture(raced(failure)
                        ? new RacedException(refund.refundUuid(), failure) : failure));
    }

    /**
     * A unique violation (a line already refunded) or a check violation (a tender beyond what
     * it paid, raised at commit by the deferred trigger): another refund of the sale won.
     */
    private static boolean raced(Throwable failure) {
        return failure instanceof io.vertx.pgclient.PgException pg
                && ("23505".equals(pg.getSqlState()) || "23514".equals(pg.getSqlState()));
    }

    private static Future<Void> checkGeneration(SqlConnection connection, RefundRecord refund) {
        if (refund.member().isEmpty()) {
            return Future.succeededFuture();
        }
        return connection.preparedQuery(CURRENT_GENERATION).execute().compose(rows -> {
            String current = rows.iterator().next().getString("generation");
            String held = refund.member().get().generation();
            return current.equals(held) ? Future.succeededFuture()
                    : Future.failedFuture(new HotCopyLostException("refund "
                            + refund.refundUuid() + " holds points in generation " + held
                            + ", current is " + current));
        });
    }

    private static Future<Void> insertLines(SqlConnection connection, RefundRecord refund) {
        Integer[] numbers = new Integer[refund.lines().size()];
        Long[] nets = new Long[refund.lines().size()];
        for (int index = 0; index < numbers.length; index++) {
            numbers[index] = refund.lines().get(index).lineNumber();
            nets[index] = refund.lines().get(index).netFen();
        }
        return connection.preparedQuery(INSERT_LINES).execute(Tuple.tuple()
                .addUUID(refund.orderId()).addUUID(refund.refundUuid())
                .addArrayOfInteger(numbers).addArrayOfLong(nets)).mapEmpty();
    }

    private static Future<Void> insertTenders(SqlConnection connection, RefundRecord refund) {
        int size = refund.tenders().size();
        Integer[] numbers = new Integer[size];
        String[] kinds = new String[size];
        Long[] shares = new Long[size];
        Long[] amounts = new Long[size];
        for (int index = 0; index < size; index++) {
            RefundReceipt.TenderReceipt tender = refund.tenders().get(index);
            numbers[index] = tender.tenderNumber();
            kinds[index] = tender.kind().name();
            shares[index] = tender.shareFen();
            amounts[index] = tender.amountFen();
        }
        return connection.preparedQuery(INSERT_TENDERS).execute(Tuple.tuple()
                .addUUID(refund.refundUuid()).addUUID(refund.orderId())
                .addArrayOfInteger(numbers).addArrayOfString(kinds).addArrayOfLong(shares)
                .addArrayOfLong(amounts)).mapEmpty();
    }

    private static Future<Void> insertLedger(SqlConnection connection, RefundRecord refund) {
        int size = refund.entries().size();
        Integer[] numbers = new Integer[size];
        String[] accounts = new String[size];
        Long[] amounts = new Long[size];
        String[] units = new String[size];
        for (int index = 0; index < size; index++) {
            LedgerEntry entry = refund.entries().get(index);
            numbers[index] = index + 1;
            accounts[index] = entry.account().path();
            amounts[index] = entry.amount();
            units[index] = entry.unit().name();
        }
        // The transaction's id is the refund's: a refund is booked once, by primary key.
        return connection.preparedQuery(INSERT_TRANSACTION).execute(Tuple.of(
                        refund.refundUuid(), TRANSACTION_KIND_REFUND, refund.orderId(),
                        utc(refund.receipt().committedAt())))
                .compose(done -> size == 0 ? Future.succeededFuture()
                        : connection.preparedQuery(INSERT_ENTRIES).execute(Tuple.tuple()
                                .addUUID(refund.refundUuid()).addArrayOfInteger(numbers)
                                .addArrayOfString(accounts).addArrayOfLong(amounts)
                                .addArrayOfString(units)).mapEmpty())
                .mapEmpty();
    }

    private static Future<Void> insertChannelRefunds(SqlConnection connection,
            RefundRecord refund) {
        if (refund.channelRefunds().isEmpty()) {
            return Future.succeededFuture();
        }
        int size = refund.channelRefunds().size();
        String[] numbers = new String[size];
        String[] trades = new String[size];
        Long[] amounts = new Long[size];
        Integer[] tenders = new Integer[size];
        Instant lease = refund.receipt().committedAt();
        for (int index = 0; index < size; index++) {
            ChannelRefund channel = refund.channelRefunds().get(index);
            numbers[index] = channel.outRefundNo();
            trades[index] = channel.outTradeNo();
            amounts[index] = channel.amountFen();
            tenders[index] = channel.tenderNumber();
        }
        // Leased to the committing node for a while: it calls the channels right after.
        return connection.preparedQuery(INSERT_CHANNEL_REFUNDS).execute(Tuple.tuple()
                .addString(refund.refundUuid().toString())
                .addOffsetDateTime(utc(refund.receipt().committedAt()))
                .addUUID(refund.refundUuid())
                .addOffsetDateTime(utc(lease.plus(CHANNEL_CALL_LEASE)))
                .addArrayOfString(numbers).addArrayOfString(trades).addArrayOfLong(amounts)
                .addArrayOfInteger(tenders)).compose(rows -> rows.rowCount() == size
                        ? Future.succeededFuture()
                        : Future.failedFuture(new IllegalStateException(
                                "channel refunds not all recorded")));
    }

    /** How long the committing node owns its channel refunds before the janitor may. */
    public static final java.time.Duration CHANNEL_CALL_LEASE = java.time.Duration.ofSeconds(60);

    private static Future<Long> writeMember(SqlConnection connection, RefundRecord refund,
            MemberRefund member) {
        List<Future<?>> writes = new ArrayList<>();
        if (!member.lotDeltas().isEmpty()) {
            int size = member.lotDeltas().size();
            String[] lots = new String[size];
            Long[] deltas = new Long[size];
            LocalDate[] expiries = new LocalDate[size];
            Integer[] birthdays = new Integer[size];
            for (int index = 0; index < size; index++) {
                LotDelta delta = member.lotDeltas().get(index);
                lots[index] = delta.lotId();
                deltas[index] = delta.points();
                expiries[index] = delta.expiresOn();
                birthdays[index] = delta.birthdayExtendedYear();
            }
            writes.add(connection.preparedQuery(MOVE_LOTS).execute(Tuple.tuple()
                    .addArrayOfString(lots).addArrayOfLong(deltas)
                    .addArrayOfLocalDate(expiries).addArrayOfInteger(birthdays)
                    .addString(member.memberId())).compose(rows -> rows.rowCount() == size
                            ? Future.succeededFuture()
                            : Future.failedFuture(new IllegalStateException("refund moves "
                                    + size + " lots, PostgreSQL has " + rows.rowCount()
                                    + " of them for member " + member.memberId()))));
        }
        if (member.storedValueBackFen() > 0) {
            writes.add(connection.preparedQuery(GIVE_STORED_VALUE)
                    .execute(Tuple.of(member.memberId(), member.storedValueBackFen()))
                    .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture()
                            : Future.failedFuture(new IllegalStateException(
                                    "member " + member.memberId() + " has no stored value"))));
        }
        if (member.lifetimePointsClawedBack() > 0) {
            writes.add(connection.preparedQuery(LIFETIME).execute(
                    Tuple.of(member.memberId(), member.lifetimePointsClawedBack())));
        }
        if (!member.couponsRestored().isEmpty()) {
            int size = member.couponsRestored().size();
            writes.add(connection.preparedQuery(RESTORE_COUPONS).execute(Tuple.of(
                            member.couponsRestored().toArray(String[]::new), refund.orderId()))
                    .compose(rows -> rows.rowCount() == size ? Future.succeededFuture()
                            : Future.failedFuture(new IllegalStateException("restored "
                                    + rows.rowCount() + " of " + size + " coupons"))));
        }
        return Future.all(writes).compose(done -> connection.preparedQuery(INSERT_OUTBOX)
                .execute(Tuple.of(OutboxRelay.KIND_COMMIT_REFUND, member.memberId(),
                        member.holdId(), member.outboxPayload())))
                .map(rows -> rows.iterator().next().getLong("outbox_id"));
    }

    @Override
    public Future<Boolean> abandon(UUID refundUuid) {
        return pool.preparedQuery(ABANDON).execute(Tuple.of(refundUuid))
                .compose(done -> pool.preparedQuery(STATE).execute(Tuple.of(refundUuid)))
                .map(rows -> rows.rowCount() == 1
                        && "ABANDONED".equals(rows.iterator().next().getString("state")));
    }

    @Override
    public Future<List<PendingRefund>> overdue(Instant now, int limit) {
        return pool.preparedQuery(OVERDUE).execute(Tuple.of(utc(now), limit)).map(rows -> {
            List<PendingRefund> found = new ArrayList<>();
            for (Row row : rows) {
                found.add(new PendingRefund(row.getUUID("refund_uuid"),
                        new RefundKey(row.getString("store_id"), row.getString("terminal_id"),
                                row.getString("refund_id")),
                        row.getUUID("order_id"), row.getInteger("sequence"),
                        row.getString("request_fingerprint"),
                        Optional.ofNullable(row.getString("member_id")),
                        row.getString("hold_id"), row.getLong("refunded_fen"),
                        row.getOffsetDateTime("created_at").toInstant(),
                        row.getOffsetDateTime("lease_until").toInstant()));
            }
            return found;
        });
    }

    @Override
    public Future<Void> holdReleased(UUID refundUuid) {
        return pool.preparedQuery(HOLD_RELEASED).execute(Tuple.of(refundUuid)).mapEmpty();
    }

    @Override
    public Future<List<ChannelRefund>> channelRefunds(UUID refundUuid) {
        return pool.preparedQuery(CHANNEL_REFUNDS_OF).execute(Tuple.of(refundUuid))
                .map(rows -> {
                    List<ChannelRefund> found = new ArrayList<>();
                    for (Row row : rows) {
                        found.add(channelRefund(row));
                    }
                    return found;
                });
    }

    @Override
    public Future<Optional<ChannelRefund>> claimOverdueChannelRefund(Instant now,
            Instant leaseUntil) {
        return pool.preparedQuery(CLAIM_CHANNEL_REFUND)
                .execute(Tuple.of(utc(now), utc(leaseUntil))).compose(rows -> {
                    if (rows.rowCount() == 0) {
                        return Future.succeededFuture(Optional.empty());
                    }
                    return find(rows.iterator().next().getString("out_refund_no"))
                            .map(Optional::of);
                });
    }

    @Override
    public Future<ChannelRefund> settleChannelRefund(String outRefundNo, String state,
            String channelRefundId, String detail, Instant leaseUntil) {
        return pool.preparedQuery(SETTLE_CHANNEL_REFUND).execute(Tuple.of(outRefundNo, state,
                        truncated(channelRefundId, 256), truncated(detail, 256),
                        utc(leaseUntil)))
                .compose(done -> find(outRefundNo));
    }

    private Future<ChannelRefund> find(String outRefundNo) {
        return pool.preparedQuery(CHANNEL_REFUND).execute(Tuple.of(outRefundNo))
                .map(rows -> channelRefund(rows.iterator().next()));
    }

    private static ChannelRefund channelRefund(Row row) {
        return new ChannelRefund(row.getString("out_refund_no"), row.getUUID("refund_uuid"),
                row.getInteger("tender_number"), row.getString("out_trade_no"),
                TenderKind.valueOf(row.getString("tender_kind")), row.getLong("amount_fen"),
                row.getLong("trade_amount_fen"), row.getString("state"),
                row.getString("detail"), row.getInteger("attempts"));
    }

    private static String truncated(String value, int chars) {
        return value == null ? "" : value.length() <= chars ? value : value.substring(0, chars);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
