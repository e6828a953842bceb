package io.kassa.engine.server.postgres;

import io.kassa.engine.core.ledger.LedgerEntry;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.server.checkout.CommittedSale;
import io.kassa.engine.server.checkout.OrderIds;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.checkout.SalesLedger;
import io.vertx.core.Future;
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
import java.util.UUID;

/**
 * The {@link SalesLedger} on PostgreSQL. One transaction per sale: the order row first, guarded
 * by the unique (store, terminal, sale) constraint with {@code ON CONFLICT DO NOTHING}; only
 * when that insert wins are the lines, tenders and ledger entries written. A concurrent retry
 * waits on the winner's row lock, then finds nothing inserted and reads the winner's sale.
 */
public final class PgSalesLedger implements SalesLedger {

    private static final String INSERT_ORDER = """
            insert into sales_order (order_id, store_id, terminal_id, sale_id,
                request_fingerprint, currency, subtotal_fen, discount_fen, payable_fen,
                change_fen, committed_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            on conflict (store_id, terminal_id, sale_id) do nothing
            returning order_id""";

    private static final String INSERT_LINE = """
            insert into order_line (order_id, line_number, sku, category, name,
                unit_price_fen, quantity, gross_fen, discount_fen, net_fen)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""";

    private static final String INSERT_TENDER = """
            insert into order_tender (order_id, tender_number, kind, amount_fen, received_fen)
            values ($1, $2, $3, $4, $5)""";

    private static final String INSERT_TRANSACTION = """
            insert into ledger_transaction (transaction_id, kind, order_id, created_at)
            values ($1, $2, $3, $4)""";

    private static final String INSERT_ENTRY = """
            insert into ledger_entry (transaction_id, entry_number, account, amount_fen, currency)
            values ($1, $2, $3, $4, $5)""";

    private static final String SELECT_ORDER = """
            select order_id, request_fingerprint, currency, payable_fen, change_fen, committed_at
              from sales_order where store_id = $1 and terminal_id = $2 and sale_id = $3""";

    private static final String SELECT_LINES = """
            select line_number, sku, gross_fen, discount_fen, net_fen
              from order_line where order_id = $1 order by line_number""";

    private static final String SELECT_TOTALS = """
            select count(*) as sales, coalesce(sum(payable_fen), 0) as payable_fen
              from sales_order""";

    static final String TRANSACTION_KIND_SALE = "SALE";

    private final Pool pool;
    private final OrderIds transactionIds;

    public PgSalesLedger(Pool pool, Clock clock) {
        this.pool = pool;
        this.transactionIds = new OrderIds(clock);
    }

    @Override
    public Future<RecordResult> record(SaleRecord record) {
        return pool.withTransaction(connection -> insertOrder(connection, record)
                .compose(inserted -> inserted
                        ? insertDetails(connection, record)
                                .<RecordResult>map(done -> new RecordResult.Recorded(record.sale()))
                        : findSale(connection, record.sale().key())
                                .<RecordResult>map(RecordResult.AlreadyRecorded::new)));
    }

    private Future<Boolean> insertOrder(SqlConnection connection, SaleRecord record) {
        CommittedSale sale = record.sale();
        long subtotalFen = 0;
        long discountFen = 0;
        for (RecordedLine line : record.lines()) {
            subtotalFen = Math.addExact(subtotalFen, line.grossFen());
            discountFen = Math.addExact(discountFen, line.discountFen());
        }
        Tuple order = Tuple.tuple()
                .addUUID(sale.orderId())
                .addString(sale.key().storeId())
                .addString(sale.key().terminalId())
                .addString(sale.key().saleId())
                .addString(sale.requestFingerprint())
                .addString(sale.currency().name())
                .addLong(subtotalFen)
                .addLong(discountFen)
                .addLong(sale.payable().amountMinor())
                .addLong(sale.change().amountMinor())
                .addOffsetDateTime(OffsetDateTime.ofInstant(sale.committedAt(), ZoneOffset.UTC));
        return connection.preparedQuery(INSERT_ORDER).execute(order)
                .map(rows -> rows.rowCount() == 1);
    }

    private Future<Void> insertDetails(SqlConnection connection, SaleRecord record) {
        UUID orderId = record.sale().orderId();
        List<Tuple> lines = new ArrayList<>(record.lines().size());
        for (RecordedLine line : record.lines()) {
            lines.add(Tuple.tuple().addUUID(orderId).addInteger(line.lineNumber())
                    .addString(line.sku()).addString(line.category()).addString(line.name())
                    .addLong(line.unitPriceFen()).addInteger(line.quantity())
                    .addLong(line.grossFen()).addLong(line.discountFen()).addLong(line.netFen()));
        }
        List<Tuple> tenders = new ArrayList<>(record.tenders().size());
        for (RecordedTender tender : record.tenders()) {
            tenders.add(Tuple.of(orderId, tender.tenderNumber(), tender.kind(),
                    tender.amountFen(), tender.receivedFen()));
        }
        UUID transactionId = transactionIds.next();
        OffsetDateTime createdAt =
                OffsetDateTime.ofInstant(record.sale().committedAt(), ZoneOffset.UTC);
        List<Tuple> entries = new ArrayList<>(record.entries().size());
        for (int index = 0; index < record.entries().size(); index++) {
            LedgerEntry entry = record.entries().get(index);
            entries.add(Tuple.of(transactionId, index + 1, entry.account().path(),
                    entry.amount().amountMinor(), entry.amount().currency().name()));
        }
        return connection.preparedQuery(INSERT_LINE).executeBatch(lines)
                .compose(done -> connection.preparedQuery(INSERT_TENDER).executeBatch(tenders))
                .compose(done -> connection.preparedQuery(INSERT_TRANSACTION).execute(
                        Tuple.of(transactionId, TRANSACTION_KIND_SALE, orderId, createdAt)))
                .compose(done -> connection.preparedQuery(INSERT_ENTRY).executeBatch(entries))
                .mapEmpty();
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
    public Future<CommittedSale> findSale(SqlConnection connection, SaleKey key) {
        return connection.preparedQuery(SELECT_ORDER)
                .execute(Tuple.of(key.storeId(), key.terminalId(), key.saleId()))
                .compose(orders -> {
                    if (orders.rowCount() != 1) {
                        return Future.failedFuture(new IllegalStateException(
                                "sale " + key + " conflicted but cannot be read back"));
                    }
                    Row order = orders.iterator().next();
                    return connection.preparedQuery(SELECT_LINES)
                            .execute(Tuple.of(order.getUUID("order_id")))
                            .map(lines -> toSale(key, order, lines));
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
                order.getOffsetDateTime("committed_at").toInstant());
    }
}
