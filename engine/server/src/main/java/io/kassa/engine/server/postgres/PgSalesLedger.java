package io.kassa.engine.server.postgres;

import io.kassa.engine.core.ledger.LedgerEntry;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.server.checkout.CommittedSale;
import io.kassa.engine.server.checkout.TimeOrderedIds;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.checkout.HotCopyLostException;
import io.kassa.engine.server.checkout.SalesLedger;
import io.kassa.engine.server.checkout.ProfileUpdate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@link SalesLedger} on PostgreSQL, with group commit: concurrent sales share one
 * transaction (see {@link GroupCommitter}), written with one multi-row statement per table, so
 * a batch of any size costs the same two round trips and one commit: BEGIN and every
 * statement of the batch at once, pipelined on the connection (the generation check, the
 * order rows, lines, tenders, ledger, and the member effects: draws, rolling expiry, earned
 * lots, stored value, coupons, members, outbox rows), PostgreSQL running them in that order;
 * then, once every answer is checked, COMMIT. Waiting for each statement's answer before
 * sending the next took about eight round trips per batch, each a wake-up of the engine and
 * of PostgreSQL on a machine where a wake-up may wait milliseconds for a core.
 *
 * <p>Exactly once per sale key: the order rows carry the unique (store_id, terminal_id,
 * sale_id), so a sale whose key was taken — by an earlier transaction, a concurrent one (whose
 * row lock the insert waits on), or a duplicate in the same batch — fails its batch, which the
 * group committer then writes sale by sale; alone, such a sale is read back and reported as
 * already recorded (or fenced). Resends of a committed sale are rare, so the batch is written
 * without first learning which keys are new.
 */
public final class PgSalesLedger implements SalesLedger {

    private static final String INSERT_ORDERS = """
            insert into sales_order (order_id, store_id, terminal_id, sale_id,
                request_fingerprint, currency, subtotal_fen, discount_fen, payable_fen,
                change_fen, committed_at, member_id, points_earned, points_spent, bonus_points,
                points_per_yuan)
            select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
                $6::text[], $7::int8[], $8::int8[], $9::int8[], $10::int8[],
                $11::timestamptz[], $12::text[], $13::int8[], $14::int8[], $15::int8[],
                $16::int8[])""";

    /** The constraint a sale whose key is taken violates. */
    static final String SALE_KEY_CONSTRAINT = "sales_order_sale_unique";

    private static final String FENCE = """
            insert into sales_order (order_id, store_id, terminal_id, sale_id,
                request_fingerprint, currency, subtotal_fen, discount_fen, payable_fen,
                change_fen, committed_at, status)
            values ($1, $2, $3, $4, '', 'CNY', 0, 0, 0, 0, now(), 'ABANDONED')
            on conflict (store_id, terminal_id, sale_id) do nothing""";

    private static final String SALE_STATUS = """
            select status from sales_order
             where store_id = $1 and terminal_id = $2 and sale_id = $3""";

    private static final String CURRENT_GENERATION = """
            select generation from redis_generation for share""";

    private static final String INSERT_LINES = """
            insert into order_line (order_id, line_number, sku, category, name,
                unit_price_fen, quantity, gross_fen, discount_fen, net_fen, earned_points)
            select * from unnest($1::uuid[], $2::int4[], $3::text[], $4::text[], $5::text[],
                $6::int8[], $7::int4[], $8::int8[], $9::int8[], $10::int8[], $11::int8[])""";

    private static final String INSERT_TENDERS = """
            insert into order_tender (order_id, tender_number, kind, amount_fen, received_fen,
                reference)
            select * from unnest($1::uuid[], $2::int4[], $3::text[], $4::int8[], $5::int8[],
                $6::text[])""";

    private static final String INSERT_TRANSACTIONS = """
            insert into ledger_transaction (transaction_id, kind, order_id, created_at)
            select * from unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[])""";

    private static final String INSERT_ENTRIES = """
            insert into ledger_entry (transaction_id, entry_number, account, amount, unit)
            select * from unnest($1::uuid[], $2::int4[], $3::text[], $4::int8[], $5::text[])""";

    private static final String SELECT_ORDER = """
            select order_id, request_fingerprint, currency, payable_fen, change_fen, committed_at,
                   status, member_id, points_earned, points_spent
              from sales_order where store_id = $1 and terminal_id = $2 and sale_id = $3""";

    private static final String SELECT_LINES = """
            select line_number, sku, gross_fen, discount_fen, net_fen
              from order_line where order_id = $1 order by line_number""";

    private static final String SELECT_TOTALS = """
            select count(*) as sales, coalesce(sum(payable_fen), 0) as payable_fen
              from sales_order""";

    static final String TRANSACTION_KIND_SALE = "SALE";

    private final Pool pool;
    private final TimeOrderedIds ids;
    private final GroupCommitter<SaleRecord, RecordResult> committer;

    public PgSalesLedger(Vertx vertx, Pool pool, Clock clock, GroupCommitOptions options) {
        this.pool = pool;
        this.ids = new TimeOrderedIds(clock);
        this.committer = new GroupCommitter<>(vertx, options.batchMax(),
                options.flushesInFlightMax(), this::recordBatch);
    }

    /**
     * How sales share transactions.
     *
     * @param batchMax most sales in one transaction
     * @param flushesInFlightMax transactions in flight at once; a sale arriving while all are
     *     busy waits for the next one, which is how batches form
     */
    public record GroupCommitOptions(int batchMax, int flushesInFlightMax) {
        /**
         * One transaction at a time: a sale that arrives while one is committing joins the
         * next, so the batch grows with the load and PostgreSQL's work per sale (statements,
         * commit, WAL flush) falls as the rate rises; alone, a sale is written at once
         * (BENCHMARKS.md, measurement notes, compares one and two in flight).
         */
        public static final GroupCommitOptions DEFAULTS = new GroupCommitOptions(128, 1);
    }

    @Override
    public Future<RecordResult> record(SaleRecord sale) {
        return committer.submit(sale);
    }

    /** Records every sale of {@code batch} in one transaction; one result per sale, in order. */
    Future<List<RecordResult>> recordBatch(List<SaleRecord> batch) {
        return pool.withConnection(connection -> inTransaction(connection, batch))
                .recover(failure -> batch.size() == 1 && saleKeyTaken(failure)
                        ? find(batch.get(0).sale().key()).map(found -> List.of(found.orElseThrow(
                                () -> new IllegalStateException("sale " + batch.get(0).sale()
                                        .key() + " conflicted but cannot be read back"))))
                        : Future.failedFuture(failure));
    }

    /**
     * BEGIN and the batch's statements go out together (two round trips for the transaction:
     * the statements, then COMMIT once their answers are checked); any failure rolls back.
     * BEGIN is sent as a plain statement rather than through the client's transaction, which
     * would hold the statements back until BEGIN is answered.
     */
    private Future<List<RecordResult>> inTransaction(SqlConnection connection,
            List<SaleRecord> batch) {
        Future<?> begun = connection.query("BEGIN").execute();
        return writeBatch(connection, batch, begun).transform(written -> {
            if (written.succeeded()) {
                return connection.query("COMMIT").execute().map(committed -> written.result());
            }
            return connection.query("ROLLBACK").execute().transform(rolledBack ->
                    Future.<List<RecordResult>>failedFuture(written.cause()));
        });
    }

    /** The batch's statements, sent after {@code begun} without waiting for it or each other. */
    private Future<List<RecordResult>> writeBatch(SqlConnection connection,
            List<SaleRecord> batch, Future<?> begun) {
        List<SaleRecord> memberSales = new ArrayList<>();
        for (SaleRecord record : batch) {
            if (record.member().isPresent()) {
                memberSales.add(record);
            }
        }
        // Sent in this order without waiting for one another: PostgreSQL runs them in order on
        // the connection, and the answers are judged together before COMMIT.
        List<Future<?>> statements = new ArrayList<>();
        statements.add(begun);
        statements.add(checkGeneration(connection, batch));
        statements.add(insertOrders(connection, batch));
        statements.add(connection.preparedQuery(INSERT_LINES).execute(lineArrays(batch)));
        statements.add(connection.preparedQuery(INSERT_TENDERS).execute(tenderArrays(batch)));
        statements.addAll(insertLedger(connection, batch));
        Future<PgMemberEffects.Written> effects =
                PgMemberEffects.write(connection, memberSales, statements);
        return Future.join(statements).transform(answered -> {
            for (Future<?> statement : statements) {
                if (statement.failed()) {
                    // The first failure in sending order is the cause; the later ones only
                    // report the transaction it aborted.
                    return Future.<List<RecordResult>>failedFuture(statement.cause());
                }
            }
            return Future.succeededFuture(results(batch, effects.result()));
        });
    }

    /** Whether {@code failure} is the unique sale key of an order taken already. */
    static boolean saleKeyTaken(Throwable failure) {
        return failure instanceof io.vertx.pgclient.PgException pg
                && "23505".equals(pg.getSqlState())
                && SALE_KEY_CONSTRAINT.equals(pg.getConstraint());
    }

    /**
     * Holds made in a hot copy that has since been lost must not commit: the rebuild has read
     * (or is about to read) the truth without them. Reading the generation FOR SHARE makes a
     * rebuild's generation change wait for this transaction, and this transaction see it.
     */
    private Future<Void> checkGeneration(SqlConnection connection, List<SaleRecord> batch) {
        boolean anyMember = batch.stream().anyMatch(record -> record.member().isPresent());
        if (!anyMember) {
            return Future.succeededFuture();
        }
        return connection.preparedQuery(CURRENT_GENERATION).execute().compose(rows -> {
            String current = rows.iterator().next().getString("generation");
            for (SaleRecord record : batch) {
                if (record.member().isPresent()
                        && !record.member().get().generation().equals(current)) {
                    return Future.failedFuture(new HotCopyLostException("sale "
                            + record.sale().key() + " holds balances in generation "
                            + record.member().get().generation() + ", current is " + current));
                }
            }
            return Future.succeededFuture();
        });
    }

    @Override
    public Future<Boolean> fence(SaleKey key) {
        Tuple sale = Tuple.of(ids.next(), key.storeId(), key.terminalId(), key.saleId());
        return pool.preparedQuery(FENCE).execute(sale)
                .compose(done -> pool.preparedQuery(SALE_STATUS).execute(
                        Tuple.of(key.storeId(), key.terminalId(), key.saleId())))
                .map(rows -> "ABANDONED".equals(rows.iterator().next().getString("status")));
    }

    @Override
    public Future<Optional<RecordResult>> find(SaleKey key) {
        return pool.withConnection(connection -> connection.preparedQuery(SALE_STATUS)
                .execute(Tuple.of(key.storeId(), key.terminalId(), key.saleId()))
                .compose(rows -> rows.rowCount() == 0
                        ? Future.succeededFuture(Optional.<RecordResult>empty())
                        : findSale(connection, key).map(Optional::of)));
    }

    private Future<Void> insertOrders(SqlConnection connection, List<SaleRecord> batch) {
        int size = batch.size();
        UUID[] orderIds = new UUID[size];
        String[] stores = new String[size];
        String[] terminals = new String[size];
        String[] saleIds = new String[size];
        String[] fingerprints = new String[size];
        String[] currencies = new String[size];
        Long[] subtotals = new Long[size];
        Long[] discounts = new Long[size];
        Long[] payables = new Long[size];
        Long[] changes = new Long[size];
        OffsetDateTime[] committedAt = new OffsetDateTime[size];
        String[] members = new String[size];
        Long[] pointsEarned = new Long[size];
        Long[] pointsSpent = new Long[size];
        Long[] bonusPoints = new Long[size];
        Long[] pointsPerYuan = new Long[size];
        for (int index = 0; index < size; index++) {
            SaleRecord record = batch.get(index);
            CommittedSale sale = record.sale();
            long subtotalFen = 0;
            long discountFen = 0;
            for (RecordedLine line : record.lines()) {
                subtotalFen = Math.addExact(subtotalFen, line.grossFen());
                discountFen = Math.addExact(discountFen, line.discountFen());
            }
            orderIds[index] = sale.orderId();
            stores[index] = sale.key().storeId();
            terminals[index] = sale.key().terminalId();
            saleIds[index] = sale.key().saleId();
            fingerprints[index] = sale.requestFingerprint();
            currencies[index] = sale.currency().name();
            subtotals[index] = subtotalFen;
            discounts[index] = discountFen;
            payables[index] = sale.payable().amountMinor();
            changes[index] = sale.change().amountMinor();
            committedAt[index] = OffsetDateTime.ofInstant(sale.committedAt(), ZoneOffset.UTC);
            members[index] = record.member().map(MemberEffects::memberId).orElse(null);
            pointsEarned[index] = record.member().map(MemberEffects::pointsEarned).orElse(0L);
            pointsSpent[index] = record.member().map(MemberEffects::pointsRedeemed).orElse(0L);
            bonusPoints[index] = record.member().map(MemberEffects::bonusPoints).orElse(0L);
            pointsPerYuan[index] = record.member().map(MemberEffects::pointsPerYuan)
                    .filter(rate -> rate > 0).orElse(100L);
        }
        Tuple arguments = Tuple.tuple().addArrayOfUUID(orderIds).addArrayOfString(stores)
                .addArrayOfString(terminals).addArrayOfString(saleIds)
                .addArrayOfString(fingerprints).addArrayOfString(currencies)
                .addArrayOfLong(subtotals).addArrayOfLong(discounts).addArrayOfLong(payables)
                .addArrayOfLong(changes).addArrayOfOffsetDateTime(committedAt)
                .addArrayOfString(members).addArrayOfLong(pointsEarned)
                .addArrayOfLong(pointsSpent).addArrayOfLong(bonusPoints)
                .addArrayOfLong(pointsPerYuan);
        return connection.preparedQuery(INSERT_ORDERS).execute(arguments).compose(rows ->
                rows.rowCount() == size ? Future.succeededFuture()
                        : Future.failedFuture(new IllegalStateException("inserted "
                                + rows.rowCount() + " of " + size + " orders")));
    }

    private static Tuple lineArrays(List<SaleRecord> fresh) {
        int size = 0;
        for (SaleRecord record : fresh) {
            size += record.lines().size();
        }
        UUID[] orderIds = new UUID[size];
        Integer[] numbers = new Integer[size];
        String[] skus = new String[size];
        String[] categories = new String[size];
        String[] names = new String[size];
        Long[] unitPrices = new Long[size];
        Integer[] quantities = new Integer[size];
        Long[] grosses = new Long[size];
        Long[] discounts = new Long[size];
        Long[] nets = new Long[size];
        Long[] earned = new Long[size];
        int index = 0;
        for (SaleRecord record : fresh) {
            for (RecordedLine line : record.lines()) {
                orderIds[index] = record.sale().orderId();
                numbers[index] = line.lineNumber();
                skus[index] = line.sku();
                categories[index] = line.category();
                names[index] = line.name();
                unitPrices[index] = line.unitPriceFen();
                quantities[index] = line.quantity();
                grosses[index] = line.grossFen();
                discounts[index] = line.discountFen();
                nets[index] = line.netFen();
                earned[index] = line.earnedPoints();
                index++;
            }
        }
        return Tuple.tuple().addArrayOfUUID(orderIds).addArrayOfInteger(numbers)
                .addArrayOfString(skus).addArrayOfString(categories).addArrayOfString(names)
                .addArrayOfLong(unitPrices).addArrayOfInteger(quantities)
                .addArrayOfLong(grosses).addArrayOfLong(discounts).addArrayOfLong(nets)
                .addArrayOfLong(earned);
    }

    private static Tuple tenderArrays(List<SaleRecord> fresh) {
        int size = 0;
        for (SaleRecord record : fresh) {
            size += record.tenders().size();
        }
        UUID[] orderIds = new UUID[size];
        Integer[] numbers = new Integer[size];
        String[] kinds = new String[size];
        Long[] amounts = new Long[size];
        Long[] received = new Long[size];
        String[] references = new String[size];
        int index = 0;
        for (SaleRecord record : fresh) {
            for (RecordedTender tender : record.tenders()) {
                orderIds[index] = record.sale().orderId();
                numbers[index] = tender.tenderNumber();
                kinds[index] = tender.kind();
                amounts[index] = tender.amountFen();
                received[index] = tender.receivedFen();
                references[index] = tender.reference();
                index++;
            }
        }
        return Tuple.tuple().addArrayOfUUID(orderIds).addArrayOfInteger(numbers)
                .addArrayOfString(kinds).addArrayOfLong(amounts).addArrayOfLong(received)
                .addArrayOfString(references);
    }

    /** The ledger's transactions and entries: two statements, sent without waiting. */
    private List<Future<?>> insertLedger(SqlConnection connection, List<SaleRecord> fresh) {
        int entryCount = 0;
        for (SaleRecord record : fresh) {
            entryCount += record.entries().size();
        }
        UUID[] transactionIds = new UUID[fresh.size()];
        String[] kinds = new String[fresh.size()];
        UUID[] orderIds = new UUID[fresh.size()];
        OffsetDateTime[] createdAt = new OffsetDateTime[fresh.size()];
        UUID[] entryTransactions = new UUID[entryCount];
        Integer[] entryNumbers = new Integer[entryCount];
        String[] accounts = new String[entryCount];
        Long[] amounts = new Long[entryCount];
        String[] units = new String[entryCount];
        int entryIndex = 0;
        for (int index = 0; index < fresh.size(); index++) {
            SaleRecord record = fresh.get(index);
            UUID transactionId = ids.next();
            transactionIds[index] = transactionId;
            kinds[index] = TRANSACTION_KIND_SALE;
            orderIds[index] = record.sale().orderId();
            createdAt[index] =
                    OffsetDateTime.ofInstant(record.sale().committedAt(), ZoneOffset.UTC);
            for (int number = 0; number < record.entries().size(); number++) {
                LedgerEntry entry = record.entries().get(number);
                entryTransactions[entryIndex] = transactionId;
                entryNumbers[entryIndex] = number + 1;
                accounts[entryIndex] = entry.account().path();
                amounts[entryIndex] = entry.amount();
                units[entryIndex] = entry.unit().name();
                entryIndex++;
            }
        }
        Tuple transactions = Tuple.tuple().addArrayOfUUID(transactionIds)
                .addArrayOfString(kinds).addArrayOfUUID(orderIds)
                .addArrayOfOffsetDateTime(createdAt);
        Tuple entries = Tuple.tuple().addArrayOfUUID(entryTransactions)
                .addArrayOfInteger(entryNumbers).addArrayOfString(accounts)
                .addArrayOfLong(amounts).addArrayOfString(units);
        return List.of(connection.preparedQuery(INSERT_TRANSACTIONS).execute(transactions),
                connection.preparedQuery(INSERT_ENTRIES).execute(entries));
    }

    /** Every sale of a written batch recorded, with its outbox row and member's profile. */
    private static List<RecordResult> results(List<SaleRecord> batch,
            PgMemberEffects.Written written) {
        List<RecordResult> results = new ArrayList<>(batch.size());
        for (SaleRecord record : batch) {
            Optional<Long> outboxId = record.member()
                    .map(effects -> written.outboxIds().get(effects.holdId()));
            Optional<ProfileUpdate> profile = record.member()
                    .map(effects -> written.profiles().get(effects.memberId()));
            results.add(new RecordResult.Recorded(record.sale(), outboxId, profile));
        }
        return results;
    }

    /** Sales recorded so far and their payable total: the demo's proof that sales land. */
    public Future<SalesTotals> totals() {
        return pool.query(SELECT_TOTALS).execute().map(rows -> {
            Row row = rows.iterator().next();
            return new SalesTotals(row.getLong("sales"), row.getLong("payable_fen"));
        });
    }

    public record SalesTotals(long sales, long payableFen) {
    }

    /** Reads a recorded sale back in the shape the terminal was first told. */
    private static Future<RecordResult> findSale(SqlConnection connection, SaleKey key) {
        return connection.preparedQuery(SELECT_ORDER)
                .execute(Tuple.of(key.storeId(), key.terminalId(), key.saleId()))
                .compose(orders -> {
                    if (orders.rowCount() != 1) {
                        return Future.failedFuture(new IllegalStateException(
                                "sale " + key + " conflicted but cannot be read back"));
                    }
                    Row order = orders.iterator().next();
                    if ("ABANDONED".equals(order.getString("status"))) {
                        return Future.succeededFuture(new RecordResult.Fenced(key));
                    }
                    return connection.preparedQuery(SELECT_LINES)
                            .execute(Tuple.of(order.getUUID("order_id")))
                            .map(lines -> new RecordResult.AlreadyRecorded(
                                    toSale(key, order, lines)));
                });
    }

    private static CommittedSale toSale(SaleKey key, Row order, RowSet<Row> lineRows) {
        CurrencyCode currency = CurrencyCode.parse(order.getString("currency").trim())
                .orElseThrow(() -> new IllegalStateException(
                        "stored currency unknown: " + order.getString("currency")));
        List<CommittedSale.Line> lines = new ArrayList<>(lineRows.rowCount());
        for (Row line : lineRows) {
            lines.add(new CommittedSale.Line(line.getInteger("line_number"),
                    line.getString("sku"),
                    Money.ofMinor(line.getLong("gross_fen"), currency),
                    Money.ofMinor(line.getLong("discount_fen"), currency),
                    Money.ofMinor(line.getLong("net_fen"), currency)));
        }
        return new CommittedSale(order.getUUID("order_id"), key,
                order.getString("request_fingerprint"), currency, lines,
                Money.ofMinor(order.getLong("payable_fen"), currency),
                Money.ofMinor(order.getLong("change_fen"), currency),
                order.getOffsetDateTime("committed_at").toInstant(),
                Optional.ofNullable(order.getString("member_id")),
                order.getLong("points_earned"), order.getLong("points_spent"));
    }
}
