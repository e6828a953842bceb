package io.kassa.engine.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.ledger.LedgerAccount;
import io.kassa.engine.core.ledger.LedgerEntry;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.server.checkout.CommittedSale;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.checkout.SalesLedger.RecordResult;
import io.kassa.engine.server.checkout.SalesLedger.RecordedLine;
import io.kassa.engine.server.checkout.SalesLedger.RecordedTender;
import io.kassa.engine.server.checkout.SalesLedger.SaleRecord;
import io.kassa.engine.server.checkout.TimeOrderedIds;
import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL sales ledger with group commit, against a real PostgreSQL: concurrent sales
 * share transactions and all land balanced; duplicates inside one batch are written once; a
 * sale the database refuses fails alone while its batch-mates commit.
 */
class PgSalesLedgerTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private static String schema;
    private static Vertx vertx;
    private static Pool pool;
    private static final TimeOrderedIds IDS = new TimeOrderedIds(CLOCK);

    @BeforeAll
    static void start() {
        schema = TestServices.freshSchema("ledger");
        PostgresLocation location = PostgresLocation.parse(TestServices.postgresUrl(), schema);
        Migrations.migrate(location);
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
                .connectingTo(location.connectOptions()).using(vertx).build();
    }

    @AfterAll
    static void stop() throws Exception {
        await(pool.close());
        await(vertx.close());
        TestServices.dropSchema(schema);
    }

    @Test
    void concurrentSalesShareTransactionsAndAllLandBalanced() throws Exception {
        PgSalesLedger ledger = new PgSalesLedger(vertx, pool, CLOCK,
                new PgSalesLedger.GroupCommitOptions(16, 1));
        List<Future<RecordResult>> results = new ArrayList<>();
        for (int sale = 0; sale < 100; sale++) {
            results.add(ledger.record(sale("S-conc", "conc-" + sale, 1_000 + sale, true)));
        }
        for (Future<RecordResult> result : results) {
            assertThat(await(result)).isInstanceOf(RecordResult.Recorded.class);
        }
        assertThat(TestServices.count(schema,
                "select count(*) from sales_order where store_id = 'S-conc'")).isEqualTo(100);
        assertThat(TestServices.count(schema, "select coalesce(sum(payable_fen), 0) from"
                + " sales_order where store_id = 'S-conc'")).isEqualTo(100 * 1_000 + 4_950);
        assertThat(TestServices.count(schema, "select count(*) from (select transaction_id"
                + " from ledger_entry group by transaction_id having sum(amount) <> 0) u"))
                .isZero();
        // Only a handful of transactions carried the 100 sales: PostgreSQL counts commits.
        assertThat(TestServices.count(schema, "select count(distinct xmin::text) from"
                + " sales_order where store_id = 'S-conc'")).isLessThan(100);
    }

    /**
     * Two sales with one key in one batch (a terminal's resend racing its original): the batch
     * is refused by the key's constraint and written again sale by sale, concurrently, so
     * either may take the key; exactly one is recorded and the other is answered with it.
     */
    @Test
    void duplicateKeysInOneBatchAreWrittenOnce() throws Exception {
        PgSalesLedger ledger = new PgSalesLedger(vertx, pool, CLOCK,
                new PgSalesLedger.GroupCommitOptions(64, 1));
        // Hold the only flush slot so that the next two sales form one batch.
        Future<RecordResult> opener = ledger.record(sale("S-dup", "dup-0", 100, true));
        Future<RecordResult> first = ledger.record(sale("S-dup", "dup-1", 500, true));
        Future<RecordResult> second = ledger.record(sale("S-dup", "dup-1", 500, true));
        assertThat(await(opener)).isInstanceOf(RecordResult.Recorded.class);
        List<RecordResult> both = List.of(await(first), await(second));
        assertThat(both).filteredOn(RecordResult.Recorded.class::isInstance).hasSize(1);
        assertThat(both).filteredOn(RecordResult.AlreadyRecorded.class::isInstance).hasSize(1);
        UUID recorded = both.stream().filter(RecordResult.Recorded.class::isInstance)
                .map(result -> ((RecordResult.Recorded) result).sale().orderId())
                .findFirst().orElseThrow();
        assertThat(both.stream().filter(RecordResult.AlreadyRecorded.class::isInstance)
                .map(result -> ((RecordResult.AlreadyRecorded) result).existing().orderId())
                .findFirst().orElseThrow()).isEqualTo(recorded);
        // And a key recorded by an earlier transaction, sent alone: answered with it too.
        RecordResult again = await(ledger.record(sale("S-dup", "dup-1", 500, true)));
        assertThat(((RecordResult.AlreadyRecorded) again).existing().orderId())
                .isEqualTo(recorded);
        assertThat(TestServices.count(schema,
                "select count(*) from order_line l join sales_order o using (order_id)"
                        + " where o.store_id = 'S-dup'")).isEqualTo(2);
    }

    @Test
    void aSaleTheDatabaseRefusesFailsAloneAndItsBatchMatesCommit() throws Exception {
        PgSalesLedger ledger = new PgSalesLedger(vertx, pool, CLOCK,
                new PgSalesLedger.GroupCommitOptions(64, 1));
        // Hold the only flush slot so that the next three sales form one batch.
        Future<RecordResult> opener = ledger.record(sale("S-bad", "bad-0", 100, true));
        Future<RecordResult> good1 = ledger.record(sale("S-bad", "bad-1", 100, true));
        Future<RecordResult> unbalanced = ledger.record(sale("S-bad", "bad-2", 100, false));
        Future<RecordResult> good2 = ledger.record(sale("S-bad", "bad-3", 100, true));
        assertThat(await(opener)).isInstanceOf(RecordResult.Recorded.class);
        assertThat(await(good1)).isInstanceOf(RecordResult.Recorded.class);
        assertThat(await(good2)).isInstanceOf(RecordResult.Recorded.class);
        unbalanced.toCompletionStage().toCompletableFuture().handle((v, e) -> null)
                .get(10, TimeUnit.SECONDS);
        assertThat(unbalanced.failed()).isTrue();
        assertThat(unbalanced.cause()).hasMessageContaining("does not balance");
        assertThat(TestServices.count(schema,
                "select count(*) from sales_order where sale_id = 'bad-2'")).isZero();
        assertThat(TestServices.count(schema,
                "select count(*) from sales_order where store_id = 'S-bad'")).isEqualTo(3);
    }

    private static SaleRecord sale(String store, String saleId, long amountFen,
            boolean balanced) {
        Instant now = CLOCK.instant().truncatedTo(ChronoUnit.MICROS);
        Money amount = Money.fen(amountFen);
        CommittedSale sale = new CommittedSale(IDS.next(), new SaleKey(store, "T1", saleId),
                "fingerprint-" + saleId, CurrencyCode.CNY,
                List.of(new CommittedSale.Line(1, "sku", amount, Money.fen(0), amount)),
                amount, Money.fen(0), now);
        List<LedgerEntry> entries = List.of(
                LedgerEntry.money(LedgerAccount.storeTender(store, "CASH"), amount),
                LedgerEntry.money(LedgerAccount.storeSales(store),
                        Money.fen(balanced ? -amountFen : -amountFen + 1)));
        return new SaleRecord(sale,
                List.of(new RecordedLine(1, "sku", "grocery", "", amountFen, 1, amountFen, 0,
                        amountFen)),
                List.of(new RecordedTender(1, "CASH", amountFen, amountFen)), entries);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }
}
