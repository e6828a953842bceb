package io.kassa.engine.server.postgres;

import io.kassa.engine.server.checkout.ShiftLedger;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ShiftLedger} on PostgreSQL: totals read from the committed sales and their tenders,
 * the committed refunds made at the terminal, its voids and its top-ups, each over
 * {@code [from, until)}; closed shifts in {@code terminal_shift}.
 */
public final class PgShiftLedger implements ShiftLedger {

    private static final String SALES = """
            select count(*) as sales, coalesce(sum(payable_fen), 0) as sales_fen,
                   coalesce(sum(change_fen), 0) as change_fen
              from sales_order
             where store_id = $1 and terminal_id = $2 and status <> 'ABANDONED'
               and committed_at >= $3 and committed_at < $4""";

    private static final String SALE_TENDERS = """
            select t.kind, count(*) as count, sum(t.amount_fen) as amount_fen
              from sales_order o join order_tender t using (order_id)
             where o.store_id = $1 and o.terminal_id = $2 and o.status <> 'ABANDONED'
               and o.committed_at >= $3 and o.committed_at < $4
             group by t.kind order by t.kind""";

    private static final String REFUNDS = """
            select count(*) as refunds, coalesce(sum(refunded_fen), 0) as refunds_fen
              from sale_refund
             where store_id = $1 and terminal_id = $2 and state = 'COMMITTED'
               and committed_at >= $3 and committed_at < $4""";

    private static final String VOIDS = """
            select count(*) from sale_void
             where store_id = $1 and terminal_id = $2 and voided_at >= $3 and voided_at < $4""";

    private static final String TOP_UPS = """
            select tender_kind as kind, count(*) as count, sum(amount_fen) as amount_fen,
                   sum(bonus_fen) as bonus_fen
              from terminal_top_up
             where store_id = $1 and terminal_id = $2
               and topped_up_at >= $3 and topped_up_at < $4
             group by tender_kind order by tender_kind""";

    private static final String LAST_CLOSE = """
            select max(until_at) from terminal_shift where store_id = $1 and terminal_id = $2""";

    private static final String CLOSED = """
            select shift_id, from_at, until_at from terminal_shift
             where store_id = $1 and terminal_id = $2 and shift_id = $3""";

    private static final String CLOSE = """
            insert into terminal_shift (store_id, terminal_id, shift_id, from_at, until_at,
                                        closed_at)
            values ($1, $2, $3, $4, $5, $6)
            on conflict (store_id, terminal_id, shift_id) do nothing
            returning shift_id, from_at, until_at""";

    private final Pool pool;
    private final Clock clock;

    public PgShiftLedger(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    @Override
    public Future<Optional<Instant>> lastClose(String storeId, String terminalId) {
        return pool.preparedQuery(LAST_CLOSE).execute(Tuple.of(storeId, terminalId))
                .map(rows -> Optional.ofNullable(rows.iterator().next().getOffsetDateTime(0))
                        .map(OffsetDateTime::toInstant));
    }

    @Override
    public Future<Optional<ClosedShift>> closed(String storeId, String terminalId,
            String shiftId) {
        return pool.preparedQuery(CLOSED).execute(Tuple.of(storeId, terminalId, shiftId))
                .map(rows -> first(rows, true));
    }

    @Override
    public Future<ClosedShift> close(String storeId, String terminalId, String shiftId,
            Instant from, Instant until) {
        return pool.preparedQuery(CLOSE).execute(Tuple.of(storeId, terminalId, shiftId,
                        utc(from), utc(until), utc(clock.instant())))
                .compose(rows -> rows.rowCount() == 1
                        ? Future.succeededFuture(first(rows, false).orElseThrow())
                        // Closed by a concurrent request with the same id: answer its window.
                        : closed(storeId, terminalId, shiftId).map(Optional::orElseThrow));
    }

    @Override
    public Future<Totals> totals(String storeId, String terminalId, Instant from,
            Instant until) {
        // One connection, so that the five reads see the terminal's records alike.
        return pool.withConnection(connection -> {
            Tuple window = Tuple.of(storeId, terminalId, utc(from), utc(until));
            Future<RowSet<Row>> sales = connection.preparedQuery(SALES).execute(window);
            Future<RowSet<Row>> tenders = sales.compose(done ->
                    connection.preparedQuery(SALE_TENDERS).execute(window));
            Future<RowSet<Row>> refunds = tenders.compose(done ->
                    connection.preparedQuery(REFUNDS).execute(window));
            Future<RowSet<Row>> voids = refunds.compose(done ->
                    connection.preparedQuery(VOIDS).execute(window));
            Future<RowSet<Row>> topUps = voids.compose(done ->
                    connection.preparedQuery(TOP_UPS).execute(window));
            return topUps.map(done -> {
                Row sale = sales.result().iterator().next();
                Row refund = refunds.result().iterator().next();
                long topUpCount = 0;
                long topUpFen = 0;
                long bonusFen = 0;
                List<TenderTotal> topUpTenders = new ArrayList<>();
                for (Row row : topUps.result()) {
                    TenderTotal total = tenderTotal(row);
                    topUpTenders.add(total);
                    topUpCount += total.count();
                    topUpFen = Math.addExact(topUpFen, total.amountFen());
                    bonusFen = Math.addExact(bonusFen, row.getLong("bonus_fen"));
                }
                List<TenderTotal> saleTenders = new ArrayList<>();
                for (Row row : tenders.result()) {
                    saleTenders.add(tenderTotal(row));
                }
                return new Totals(sale.getLong("sales"), sale.getLong("sales_fen"),
                        sale.getLong("change_fen"), saleTenders, refund.getLong("refunds"),
                        refund.getLong("refunds_fen"),
                        voids.result().iterator().next().getLong(0), topUpCount, topUpFen,
                        bonusFen, topUpTenders);
            });
        });
    }

    private static TenderTotal tenderTotal(Row row) {
        return new TenderTotal(row.getString("kind"), row.getLong("count"),
                row.getLong("amount_fen"));
    }

    private static Optional<ClosedShift> first(RowSet<Row> rows, boolean replayed) {
        if (rows.rowCount() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new ClosedShift(row.getString("shift_id"),
                row.getOffsetDateTime("from_at").toInstant(),
                row.getOffsetDateTime("until_at").toInstant(), replayed));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
