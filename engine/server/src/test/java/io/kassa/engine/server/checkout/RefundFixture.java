package io.kassa.engine.server.checkout;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.channel.PaymentCodeRouter;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.gateways.ChannelCredentials;
import io.kassa.engine.server.gateways.PaymentChannels;
import io.kassa.engine.server.postgres.Migrations;
import io.kassa.engine.server.postgres.PgGenerationFence;
import io.kassa.engine.server.postgres.PgInvariants;
import io.kassa.engine.server.postgres.PgMemberDirectory;
import io.kassa.engine.server.postgres.PgOutbox;
import io.kassa.engine.server.postgres.PgPaymentIntents;
import io.kassa.engine.server.postgres.PgSaleRefunds;
import io.kassa.engine.server.postgres.PgSalesLedger;
import io.kassa.engine.server.postgres.PostgresLocation;
import io.kassa.engine.server.redis.RedisMemberBalances;
import io.kassa.engine.server.rules.ChainRulesSource;
import io.kassa.engine.server.testing.TestServices;
import io.kassa.peripherals.gateway.GatewaySimulator;
import io.kassa.peripherals.gateway.GatewaySimulatorOptions;
import io.kassa.peripherals.scanner.PaymentCodeScanner;
import io.kassa.peripherals.scanner.Wallet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Checkouts and refunds wired to real PostgreSQL (a schema of its own), real Redis and the real
 * gateway simulator over HTTP. The engine's clock runs from Wednesday 2026-11-25, noon in
 * Shanghai (the demo chain's member day, ×2), so that DOMAIN.md's worked example earns its 513
 * points; it ticks, so that channel timings and leases behave as in production.
 */
final class RefundFixture {

    static final Instant WEDNESDAY_NOON = Instant.parse("2026-11-25T04:00:00Z");
    static final Clock CLOCK = Clock.offset(Clock.systemUTC(),
            Duration.between(Instant.now(), WEDNESDAY_NOON));
    static final LocalDate TODAY = LocalDate.of(2026, 11, 25);
    static final String STORE = "S001";

    final String schema = TestServices.freshSchema("refunds");
    final Vertx vertx = Vertx.vertx();
    final Pool pool;
    final Redis redisClient;
    final RedisMemberBalances balances;
    final PgMemberDirectory directory;
    final PgSalesLedger ledger;
    final HotCopy hotCopy;
    final PgOutbox outbox;
    final OutboxRelay relay;
    final Reconciler reconciler;
    final GatewaySimulator simulator;
    final PaymentChannels channels;
    final CheckoutService checkout;
    final PgSaleRefunds store;
    final SaleRefunds refunds;
    final PaymentCodeScanner scanner = new PaymentCodeScanner(System.nanoTime());
    final ChainRules rules = ChainRulesSource.fromEnvironment(Map.of());

    RefundFixture() throws Exception {
        PostgresLocation location = PostgresLocation.parse(TestServices.postgresUrl(), schema);
        Migrations.migrate(location);
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(6))
                .connectingTo(location.connectOptions()).using(vertx).build();
        redisClient = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(TestServices.redisUrl()).setMaxPoolSize(8));
        balances = new RedisMemberBalances(RedisAPI.api(redisClient));
        directory = new PgMemberDirectory(pool);
        ledger = new PgSalesLedger(vertx, pool, CLOCK, PgSalesLedger.GroupCommitOptions.DEFAULTS);
        hotCopy = new HotCopy(balances, directory, new PgGenerationFence(pool));
        outbox = new PgOutbox(vertx, pool);
        relay = new OutboxRelay(outbox, balances, hotCopy);
        reconciler = new Reconciler(balances, directory);
        simulator = await(GatewaySimulator.start(vertx, new GatewaySimulatorOptions()
                .setNotifications(false).setPort(0)
                .setKeysDirectory(Path.of("target", "gateway-test-keys"))));
        channels = PaymentChannels.create(vertx,
                ChannelCredentials.load(simulator.engineKeysDirectory()),
                PaymentFixture.SETTINGS, Clock.systemUTC());
        PaymentOrchestrator orchestrator = new PaymentOrchestrator(vertx,
                new PgPaymentIntents(pool, Clock.systemUTC()), channels::channel,
                PaymentFixture.SETTINGS.timings(), PaymentCodeRouter.defaults(),
                Clock.systemUTC(), new PaymentOrchestrator.Options("node-a",
                        Duration.ofMillis(500), 2, Duration.ofMillis(50)));
        checkout = new CheckoutService(rules, ledger, hotCopy, directory, balances, outbox,
                CLOCK);
        checkout.enablePayments(orchestrator, (key, outcome) -> { }, Duration.ofSeconds(10));
        store = new PgSaleRefunds(pool);
        refunds = new SaleRefunds(vertx, () -> rules, store, hotCopy, balances, balances,
                outbox, channels::channel, CLOCK, Duration.ofSeconds(10));
        await(hotCopy.check());
    }

    /** A janitor whose clock is {@code ahead} of the engine's (leases have run out). */
    RefundJanitor janitor(Duration ahead) {
        return new RefundJanitor(refunds, balances, Clock.offset(CLOCK, ahead));
    }

    /**
     * A GOLD member with 300.00 yuan of stored value, 8,000 points (one lot, expiring in half
     * a year) and a "spend 100 get 20 off" coupon, booked in the ledger; not a first order.
     */
    String goldMember() throws SQLException {
        String id = "M" + UUID.randomUUID().toString().substring(0, 12);
        try (Connection connection = TestServices.jdbc(schema);
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("insert into member (member_id, member_code, phone, tier,"
                    + " tier_rank, lifetime_earned_points, completed_orders, last_order_on)"
                    + " values ('" + id + "', 'code-" + id + "', 'phone-" + id + "', 'GOLD', 2,"
                    + " 20000, 12, '" + TODAY.minusDays(3) + "')");
            statement.executeUpdate("insert into stored_value_balance values ('" + id
                    + "', 30000)");
            book(statement, "member/" + id + "/stored_value", 30_000, "CNY");
            statement.executeUpdate("insert into points_lot (lot_id, member_id,"
                    + " points_remaining, earned_on, expires_on) values ('lot-" + id + "', '"
                    + id + "', 8000, '" + TODAY.minusDays(60) + "', '" + TODAY.plusMonths(6)
                    + "')");
            book(statement, "member/" + id + "/points", 8_000, "POINTS");
            statement.executeUpdate("insert into coupon (coupon_id, template_id, member_id,"
                    + " state, valid_from, valid_until) values ('cut-" + id + "', 'cut-100-20',"
                    + " '" + id + "', 'AVAILABLE', '2026-11-01T00:00:00Z',"
                    + " '2026-12-31T00:00:00Z')");
        }
        return id;
    }

    private static void book(Statement statement, String account, long amount, String unit)
            throws SQLException {
        String transaction = UUID.randomUUID().toString();
        statement.executeUpdate("insert into ledger_transaction (transaction_id, kind,"
                + " created_at) values ('" + transaction + "', 'TEST_OPENING', now())");
        statement.executeUpdate("insert into ledger_entry (transaction_id, entry_number,"
                + " account, amount, unit) values ('" + transaction + "', 1, 'chain/opening', "
                + amount + ", '" + unit + "'), ('" + transaction + "', 2, '" + account + "', "
                + (-amount) + ", '" + unit + "')");
    }

    /** DOMAIN.md's basket: A apparel 199.00, B fresh 2 × 30.00, C tobacco 25.00. */
    static List<BasketLine> workedExampleBasket() {
        return List.of(new BasketLine("A", "apparel", Money.fen(19_900), 1),
                new BasketLine("B", "fresh", Money.fen(3_000), 2),
                new BasketLine("C", "tobacco", Money.fen(2_500), 1));
    }

    /**
     * The worked example's sale: 5,000 points (50.00), 100.00 stored value and 114.00 by a
     * scanned WeChat Pay code, on the member day.
     */
    Future<CheckoutOutcome> buyWorkedExample(String memberId, String saleId) {
        String code = scanner.next(Wallet.WECHAT_PAY);
        List<Tender> tenders = List.of(tender(TenderKind.POINTS, 5_000),
                tender(TenderKind.STORED_VALUE, 10_000), tender(TenderKind.WECHAT_PAY, 11_400));
        return checkout.checkout(new CheckoutCommand(new SaleKey(STORE, "T1", saleId),
                CurrencyCode.CNY, workedExampleBasket(), List.of("", "", ""), tenders,
                Optional.of("code-" + memberId), List.of("", "", code)));
    }

    /** A sale without member: two grocery lines paid by one scanned code of {@code wallet}. */
    Future<CheckoutOutcome> buyWithCode(String saleId, Wallet wallet, TenderKind kind) {
        List<BasketLine> lines = List.of(new BasketLine("X", "grocery", Money.fen(1_234), 1),
                new BasketLine("Y", "grocery", Money.fen(567), 3));
        return checkout.checkout(new CheckoutCommand(new SaleKey(STORE, "T1", saleId),
                CurrencyCode.CNY, lines, List.of("", ""), List.of(tender(kind, 2_935)),
                Optional.empty(), List.of(scanner.next(wallet))));
    }

    static Tender tender(TenderKind kind, long fen) {
        return new Tender(kind, Money.fen(fen), Money.fen(fen));
    }

    static RefundCommand refund(String refundId, String saleId, Integer... lines) {
        return new RefundCommand(new RefundKey(STORE, "T2", refundId),
                new SaleKey(STORE, "T1", saleId), List.of(lines), "customer returned it");
    }

    long count(String sql) {
        return TestServices.count(schema, sql);
    }

    long points(String memberId) {
        return count("select coalesce(sum(points_remaining), 0) from points_lot where member_id"
                + " = '" + memberId + "'");
    }

    long storedValue(String memberId) {
        return count("select balance_fen from stored_value_balance where member_id = '"
                + memberId + "'");
    }

    List<String> violations() throws Exception {
        List<String> found = new ArrayList<>();
        for (PgInvariants.Violation violation : await(new PgInvariants(pool).check())) {
            found.add(violation.invariant() + ": " + violation.examples());
        }
        return found;
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    void close() throws Exception {
        outbox.close(vertx);
        channels.close();
        await(simulator.stop());
        await(pool.close());
        redisClient.close();
        await(vertx.close());
        TestServices.dropSchema(schema);
    }
}
