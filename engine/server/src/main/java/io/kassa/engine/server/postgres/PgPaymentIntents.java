package io.kassa.engine.server.postgres;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.checkout.IntentState;
import io.kassa.engine.server.checkout.PaymentIntent;
import io.kassa.engine.server.checkout.PaymentIntents;
import io.kassa.engine.server.checkout.SaleKey;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link PaymentIntents} on PostgreSQL ({@code payment_intent}, migration V10). Every
 * transition is one conditional {@code UPDATE ... WHERE state = ANY(from)}; the table's
 * trigger refuses transitions the state machine does not draw, and its constraints keep a
 * merchant order number unique and an intent in at most one committed sale.
 */
public final class PgPaymentIntents implements PaymentIntents {

    private static final String COLUMNS = """
            out_trade_no, store_id, terminal_id, sale_id, tender_number, attempt, channel,
            tender_kind, amount_fen, state, channel_state, transaction_id, detail,
            money_returned, query_count, reverse_count, owner, lease_until, created_at,
            sent_at, order_id""";

    private static final String INSERT = "insert into payment_intent (out_trade_no, store_id,"
            + " terminal_id, sale_id, tender_number, attempt, channel, tender_kind, amount_fen,"
            + " state, owner, lease_until, created_at, updated_at)"
            + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'created', $10, $11, $12, $12)"
            + " returning " + COLUMNS;

    private static final String TRANSITION = "update payment_intent set state = $2,"
            + " channel_state = coalesce($3, channel_state),"
            + " transaction_id = coalesce($4, transaction_id), detail = coalesce($5, detail),"
            + " money_returned = coalesce($6, money_returned),"
            + " query_count = query_count + $7, reverse_count = reverse_count + $8,"
            + " lease_until = coalesce($9, lease_until),"
            + " sent_at = case when $2 = 'sent' then $10 else sent_at end,"
            + " resolved_at = case when $2 in ('succeeded', 'failed', 'reversed', 'refunded')"
            + " then $10 else resolved_at end, updated_at = $10"
            + " where out_trade_no = $1 and state = any($11::text[])"
            // An intent of a committed sale never changes state, and a reverse that returned
            // the money is final: such rows are left alone rather than refused by the trigger.
            + " and (order_id is null or state = $2)"
            + " and not (state = 'reversed' and money_returned and $2 <> 'reversed')"
            + " returning " + COLUMNS;

    private static final String FIND = "select " + COLUMNS
            + " from payment_intent where out_trade_no = $1";

    private static final String OF_SALE = "select " + COLUMNS + " from payment_intent"
            + " where store_id = $1 and terminal_id = $2 and sale_id = $3"
            + " order by tender_number, attempt";

    private static final String CLAIM = "update payment_intent set owner = $1,"
            + " lease_until = $3, updated_at = $2 where out_trade_no = ("
            + " select out_trade_no from payment_intent"
            + " where (state in ('created', 'sent', 'unknown', 'querying', 'reversing')"
            + " or (state = 'succeeded' and order_id is null)) and lease_until < $2"
            + " order by lease_until limit 1 for update skip locked) returning " + COLUMNS;

    private static final String CREATED_BETWEEN = "select " + COLUMNS + " from payment_intent"
            + " where created_at >= $1 and created_at < $2 order by created_at";

    private final Pool pool;
    private final Clock clock;

    public PgPaymentIntents(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    @Override
    public Future<PaymentIntent> create(NewIntent intent) {
        Tuple row = Tuple.tuple().addString(intent.outTradeNo())
                .addString(intent.sale().storeId()).addString(intent.sale().terminalId())
                .addString(intent.sale().saleId()).addInteger(intent.tenderNumber())
                .addInteger(intent.attempt()).addString(intent.channel().name())
                .addString(intent.tenderKind().name()).addLong(intent.amountFen())
                .addString(intent.owner()).addOffsetDateTime(utc(intent.leaseUntil()))
                .addOffsetDateTime(utc(clock.instant()));
        return pool.preparedQuery(INSERT).execute(row).map(rows -> intent(rows.iterator().next()));
    }

    @Override
    public Future<Optional<PaymentIntent>> transition(String outTradeNo, Set<IntentState> from,
            Transition transition) {
        String[] states = from.stream().map(IntentState::sql).toArray(String[]::new);
        Tuple row = Tuple.tuple().addString(outTradeNo).addString(transition.to().sql())
                .addString(transition.channelState().orElse(null))
                .addString(transition.transactionId().orElse(null))
                .addString(transition.detail().orElse(null))
                .addValue(transition.moneyReturned().orElse(null))
                .addInteger(transition.countQuery() ? 1 : 0)
                .addInteger(transition.countReverse() ? 1 : 0)
                .addOffsetDateTime(transition.leaseUntil().map(PgPaymentIntents::utc)
                        .orElse(null))
                .addOffsetDateTime(utc(clock.instant()))
                .addArrayOfString(states);
        return pool.preparedQuery(TRANSITION).execute(row).map(PgPaymentIntents::first);
    }

    @Override
    public Future<Optional<PaymentIntent>> find(String outTradeNo) {
        return pool.preparedQuery(FIND).execute(Tuple.of(outTradeNo))
                .map(PgPaymentIntents::first);
    }

    @Override
    public Future<List<PaymentIntent>> ofSale(SaleKey sale) {
        return pool.preparedQuery(OF_SALE)
                .execute(Tuple.of(sale.storeId(), sale.terminalId(), sale.saleId()))
                .map(PgPaymentIntents::all);
    }

    @Override
    public Future<Optional<PaymentIntent>> claimOverdue(String owner, Instant now,
            Duration lease) {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(owner, utc(now), utc(now.plus(lease))))
                .map(PgPaymentIntents::first);
    }

    @Override
    public Future<List<PaymentIntent>> createdBetween(Instant from, Instant until) {
        return pool.preparedQuery(CREATED_BETWEEN).execute(Tuple.of(utc(from), utc(until)))
                .map(PgPaymentIntents::all);
    }

    private static Optional<PaymentIntent> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty()
                : Optional.of(intent(rows.iterator().next()));
    }

    private static List<PaymentIntent> all(RowSet<Row> rows) {
        List<PaymentIntent> intents = new ArrayList<>(rows.size());
        for (Row row : rows) {
            intents.add(intent(row));
        }
        return intents;
    }

    private static PaymentIntent intent(Row row) {
        return new PaymentIntent(row.getString("out_trade_no"),
                new SaleKey(row.getString("store_id"), row.getString("terminal_id"),
                        row.getString("sale_id")),
                row.getInteger("tender_number"), row.getInteger("attempt"),
                new ChannelId(row.getString("channel")),
                TenderKind.valueOf(row.getString("tender_kind")), row.getLong("amount_fen"),
                IntentState.ofSql(row.getString("state")), row.getString("channel_state"),
                row.getString("transaction_id"), row.getString("detail"),
                row.getBoolean("money_returned"), row.getInteger("query_count"),
                row.getInteger("reverse_count"), row.getString("owner"),
                row.getOffsetDateTime("lease_until").toInstant(),
                row.getOffsetDateTime("created_at").toInstant(),
                Optional.ofNullable(row.getOffsetDateTime("sent_at"))
                        .map(OffsetDateTime::toInstant),
                Optional.ofNullable(row.getUUID("order_id")));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
