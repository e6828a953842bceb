package io.kassa.engine.server.checkout;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.core.channel.ChannelTimings;
import io.kassa.engine.core.channel.PaymentCodeRouter;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.gateways.ChannelCredentials;
import io.kassa.engine.server.gateways.ChannelSettings;
import io.kassa.engine.server.gateways.PaymentChannel;
import io.kassa.engine.server.gateways.PaymentChannels;
import io.kassa.engine.server.gateways.RecordingNotificationSink;
import io.kassa.engine.server.http.CallbackCounters;
import io.kassa.engine.server.http.CallbackRoutes;
import io.kassa.engine.server.http.HttpEndpoint;
import io.kassa.engine.server.postgres.Migrations;
import io.kassa.engine.server.postgres.PgGenerationFence;
import io.kassa.engine.server.postgres.PgMemberDirectory;
import io.kassa.engine.server.postgres.PgOutbox;
import io.kassa.engine.server.postgres.PgPaymentIntents;
import io.kassa.engine.server.postgres.PgSalesLedger;
import io.kassa.engine.server.postgres.PostgresLocation;
import io.kassa.engine.server.redis.RedisMemberBalances;
import io.kassa.engine.server.rules.ChainRulesSource;
import io.kassa.engine.server.testing.TestServices;
import io.kassa.peripherals.gateway.GatewaySimulator;
import io.kassa.peripherals.gateway.GatewaySimulatorOptions;
import io.kassa.peripherals.gateway.TradeSnapshot;
import io.kassa.peripherals.scanner.PaymentCodeScanner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The checkout with channel payments wired to real PostgreSQL and Redis and to the real
 * gateway simulator over HTTP (signed requests, signed notifications to a real callback
 * endpoint), with short channel timings so that every path of the state machine runs in
 * about a second. {@code channelWrapper} and {@code intentsWrapper} put crash points into
 * the orchestration for the fault matrix.
 */
final class PaymentFixture {

    /** Query after 100 ms, every 100 ms, give up at 1.2 s, reverse no sooner than 200 ms. */
    static final ChannelTimings FAST_TIMINGS = new ChannelTimings(Duration.ofMillis(100),
            Duration.ofMillis(100), Duration.ofMillis(1_200), Duration.ofMillis(200),
            Duration.ofHours(1));

    static final ChannelSettings SETTINGS = new ChannelSettings(Duration.ofMillis(400),
            Duration.ofMillis(300), 4, Duration.ofMillis(20), Duration.ofMillis(100), 50,
            Duration.ofMillis(300), Duration.ofMinutes(5), 64 * 1024,
            java.time.ZoneId.of("Asia/Shanghai"),
            Map.of(ChannelId.WECHAT_PAY, FAST_TIMINGS, ChannelId.ALIPAY, FAST_TIMINGS,
                    ChannelId.UNIONPAY, FAST_TIMINGS));

    static final Clock CLOCK = Clock.systemUTC();

    final String schema = TestServices.freshSchema("payments");
    final Vertx vertx = Vertx.vertx();
    final Pool pool;
    final Redis redisClient;
    final RedisMemberBalances balances;
    final PgMemberDirectory directory;
    final PgSalesLedger ledger;
    final HotCopy hotCopy;
    final PgOutbox outbox;
    final PgPaymentIntents intents;
    final GatewaySimulator simulator;
    final PaymentChannels channels;
    final PaymentOrchestrator orchestrator;
    final CheckoutService checkout;
    final PaymentNotifications notifications;
    final HttpServer callbacks;
    final List<CheckoutOutcome> pushed = new CopyOnWriteArrayList<>();
    final PaymentCodeScanner scanner = new PaymentCodeScanner(System.nanoTime());
    final ChainRules rules = ChainRulesSource.fromEnvironment(Map.of());

    PaymentFixture(GatewaySimulatorOptions simulatorOptions, Duration answerWithin,
            UnaryOperator<PaymentChannel> channelWrapper,
            UnaryOperator<PaymentIntents> intentsWrapper) throws Exception {
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
        intents = new PgPaymentIntents(pool, CLOCK);
        simulator = await(GatewaySimulator.start(vertx, simulatorOptions.setPort(0)
                .setKeysDirectory(Path.of("target", "gateway-test-keys"))));
        ChannelCredentials credentials = ChannelCredentials.load(simulator.engineKeysDirectory());
        channels = PaymentChannels.create(vertx, credentials, SETTINGS, CLOCK);
        Function<ChannelId, Optional<PaymentChannel>> wrapped =
                id -> channels.channel(id).map(channelWrapper);
        orchestrator = new PaymentOrchestrator(vertx, intentsWrapper.apply(intents), wrapped,
                SETTINGS.timings(), PaymentCodeRouter.defaults(), CLOCK,
                new PaymentOrchestrator.Options("node-a", Duration.ofMillis(500), 2,
                        Duration.ofMillis(50)));
        checkout = new CheckoutService(rules, ledger, hotCopy, directory, balances, outbox,
                CLOCK);
        checkout.enablePayments(orchestrator, (key, outcome) -> pushed.add(outcome),
                answerWithin);
        notifications = new PaymentNotifications(intents, orchestrator,
                new RecordingNotificationSink(pool, CLOCK));
        callbacks = await(HttpEndpoint.start(vertx, "127.0.0.1", 0, new CallbackRoutes(
                credentials, SETTINGS, notifications, new CallbackCounters(), CLOCK)));
        simulator.setCallbackUrl("http://127.0.0.1:" + callbacks.actualPort());
        await(hotCopy.check());
    }

    static PaymentFixture start(GatewaySimulatorOptions options) throws Exception {
        return new PaymentFixture(options, Duration.ofSeconds(10), UnaryOperator.identity(),
                UnaryOperator.identity());
    }

    /** A janitor of another node, on the same database and channels, its clock {@code ahead}. */
    PaymentJanitor janitor(Duration ahead) {
        Clock later = Clock.offset(CLOCK, ahead);
        PaymentOrchestrator other = new PaymentOrchestrator(vertx, intents,
                channels::channel, SETTINGS.timings(), PaymentCodeRouter.defaults(), later,
                new PaymentOrchestrator.Options("node-b", Duration.ofMillis(500), 2,
                        Duration.ofMillis(50)));
        return new PaymentJanitor(intents, other, ledger, (key, outcome) -> pushed.add(outcome),
                later, "node-b");
    }

    Future<CheckoutOutcome> buy(String saleId, long grossFen, Optional<String> memberCode,
            List<Tender> tenders, List<String> references) {
        return checkout.checkout(new CheckoutCommand(new SaleKey("S001", "T1", saleId),
                CurrencyCode.CNY,
                List.of(new BasketLine("sku-" + grossFen, "grocery", Money.fen(grossFen), 1)),
                List.of(""), tenders, memberCode, references));
    }

    /** A sale without member paid by one scanned code. */
    Future<CheckoutOutcome> buyWithCode(String saleId, long fen, TenderKind kind, String code) {
        return buy(saleId, fen, Optional.empty(), List.of(tender(kind, fen)), List.of(code));
    }

    static Tender tender(TenderKind kind, long fen) {
        return new Tender(kind, Money.fen(fen), Money.fen(fen));
    }

    String member(long storedValueFen) throws SQLException {
        String id = "M" + UUID.randomUUID().toString().substring(0, 12);
        execute("insert into member (member_id, member_code, phone) values ('" + id
                + "', 'code-" + id + "', 'phone-" + id + "')");
        execute("insert into stored_value_balance values ('" + id + "', " + storedValueFen
                + ")");
        return id;
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = TestServices.jdbc(schema);
                Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    long count(String sql) {
        return TestServices.count(schema, sql);
    }

    List<PaymentIntent> intentsOf(String saleId) throws Exception {
        return await(intents.ofSale(new SaleKey("S001", "T1", saleId)));
    }

    boolean committed(String saleId) {
        return count("select count(*) from sales_order where sale_id = '" + saleId
                + "' and status = 'COMMITTED'") == 1;
    }

    /** Whether the simulator holds the customer's money for any trade of the sale. */
    boolean charged(String saleId) throws Exception {
        for (PaymentIntent intent : intentsOf(saleId)) {
            Optional<TradeSnapshot> trade =
                    simulator.trade(intent.channel().name(), intent.outTradeNo());
            if (trade.isPresent() && trade.get().paid()
                    && trade.get().refundedFen() < trade.get().amountFen()) {
                return true;
            }
        }
        return false;
    }

    List<TradeSnapshot> trades(String saleId) throws Exception {
        List<TradeSnapshot> found = new ArrayList<>();
        for (PaymentIntent intent : intentsOf(saleId)) {
            simulator.trade(intent.channel().name(), intent.outTradeNo()).ifPresent(found::add);
        }
        return found;
    }

    static LocalDate today() {
        return LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    void close() throws Exception {
        outbox.close(vertx);
        channels.close();
        await(callbacks.close());
        await(simulator.stop());
        await(pool.close());
        redisClient.close();
        await(vertx.close());
        TestServices.dropSchema(schema);
    }
}
