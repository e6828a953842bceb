package io.kassa.engine.server.checkout;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.postgres.Migrations;
import io.kassa.engine.server.postgres.PgGenerationFence;
import io.kassa.engine.server.postgres.PgMemberDirectory;
import io.kassa.engine.server.postgres.PgOutbox;
import io.kassa.engine.server.postgres.PgSalesLedger;
import io.kassa.engine.server.postgres.PostgresLocation;
import io.kassa.engine.server.redis.RedisMemberBalances;
import io.kassa.engine.server.rules.ChainRulesSource;
import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The checkout wired to a real PostgreSQL (a schema of its own) and a real Redis, without the
 * TCP edge, plus helpers to seed members. {@code balancesWrapper} lets a test put a crash point
 * between the checkout and the hot copy.
 */
final class MemberCheckoutFixture {

    /** Sunday 2026-11-22, noon in Shanghai: no member day, no holiday of the demo chain. */
    static final Clock CLOCK = Clock.fixed(java.time.Instant.parse("2026-11-22T04:00:00Z"),
            java.time.ZoneOffset.UTC);
    static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

    final String schema = TestServices.freshSchema("member");
    final Vertx vertx = Vertx.vertx();
    final Pool pool;
    final Redis redisClient;
    final RedisAPI redis;
    final ChainRules rules = ChainRulesSource.fromEnvironment(Map.of());
    final RedisMemberBalances realBalances;
    final MemberBalances balances;
    final PgMemberDirectory directory;
    final PgSalesLedger ledger;
    final HotCopy hotCopy;
    final PgOutbox outbox;
    final OutboxRelay relay;
    final CheckoutService checkout;
    final Reconciler reconciler;

    MemberCheckoutFixture(String redisUrl, UnaryOperator<MemberBalances> balancesWrapper)
            throws Exception {
        PostgresLocation location = PostgresLocation.parse(TestServices.postgresUrl(), schema);
        Migrations.migrate(location);
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(6))
                .connectingTo(location.connectOptions()).using(vertx).build();
        redisClient = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl)
                .setMaxPoolSize(16).setMaxPoolWaiting(1_000));
        redis = RedisAPI.api(redisClient);
        // As the engine builds it: index entries pipelined with the reserve and commit.
        realBalances = new RedisMemberBalances(redisClient);
        balances = balancesWrapper.apply(realBalances);
        directory = new PgMemberDirectory(pool);
        ledger = new PgSalesLedger(vertx, pool, CLOCK, PgSalesLedger.GroupCommitOptions.DEFAULTS);
        hotCopy = new HotCopy(realBalances, directory, new PgGenerationFence(pool));
        outbox = new PgOutbox(vertx, pool);
        relay = new OutboxRelay(outbox, realBalances, hotCopy);
        checkout = new CheckoutService(rules, ledger, hotCopy, directory, balances, outbox,
                CLOCK);
        reconciler = new Reconciler(realBalances, directory);
        await(hotCopy.check());
    }

    /**
     * Creates a member with stored value, one points lot and coupons, their opening balances
     * booked in the ledger (so that the money invariants hold from the start).
     */
    String member(long storedValueFen, long points, String... couponTemplates)
            throws SQLException {
        String id = "M" + UUID.randomUUID().toString().substring(0, 12);
        try (Connection connection = TestServices.jdbc(schema);
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("insert into member (member_id, member_code, phone)"
                    + " values ('" + id + "', 'code-" + id + "', 'phone-" + id + "')");
            statement.executeUpdate("insert into stored_value_balance values ('" + id + "', "
                    + storedValueFen + ")");
            book(statement, "member/" + id + "/stored_value", storedValueFen, "CNY");
            if (points > 0) {
                statement.executeUpdate("insert into points_lot (lot_id, member_id,"
                        + " points_remaining, earned_on, expires_on) values ('lot-" + id
                        + "', '" + id + "', " + points + ", '" + TODAY.minusDays(30) + "', '"
                        + TODAY.plusMonths(6) + "')");
                book(statement, "member/" + id + "/points", points, "POINTS");
            }
            for (int index = 0; index < couponTemplates.length; index++) {
                statement.executeUpdate("insert into coupon (coupon_id, template_id, member_id,"
                        + " state, valid_from, valid_until) values ('cpn-" + id + "-" + index
                        + "', '" + couponTemplates[index] + "', '" + id + "', 'AVAILABLE',"
                        + " '2026-11-01T00:00:00Z', '2026-12-31T00:00:00Z')");
            }
        }
        return id;
    }

    /** An opening balance: credited to the member's account against the chain's. */
    private static void book(Statement statement, String account, long amount, String unit)
            throws SQLException {
        if (amount == 0) {
            return;
        }
        String transaction = UUID.randomUUID().toString();
        statement.executeUpdate("insert into ledger_transaction (transaction_id, kind,"
                + " created_at) values ('" + transaction + "', 'TEST_OPENING', now())");
        statement.executeUpdate("insert into ledger_entry (transaction_id, entry_number,"
                + " account, amount, unit) values ('" + transaction + "', 1, 'chain/opening', "
                + amount + ", '" + unit + "'), ('" + transaction + "', 2, '" + account + "', "
                + (-amount) + ", '" + unit + "')");
    }

    /** Runs one statement against the fixture's schema (seeding and assertions). */
    void execute(String sql) throws SQLException {
        try (Connection connection = TestServices.jdbc(schema);
                Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    /** Adds a lot to a member, earned 400 days ago, expiring on {@code expiresOn}, booked. */
    void lot(String memberId, String lotId, long points, LocalDate expiresOn) throws SQLException {
        execute("insert into points_lot (lot_id, member_id, points_remaining, earned_on,"
                + " expires_on) values ('" + lotId + "', '" + memberId + "', " + points + ", '"
                + TODAY.minusDays(400) + "', '" + expiresOn + "')");
        try (Connection connection = TestServices.jdbc(schema);
                Statement statement = connection.createStatement()) {
            book(statement, "member/" + memberId + "/points", points, "POINTS");
        }
    }

    /** The money invariants PostgreSQL can check; empty when all hold. */
    List<io.kassa.engine.server.postgres.PgInvariants.Violation> violations() throws Exception {
        return await(new io.kassa.engine.server.postgres.PgInvariants(pool).check());
    }

    Future<CheckoutOutcome> buy(String memberId, String store, String saleId, long grossFen,
            Tender... tenders) {
        return checkout.checkout(new CheckoutCommand(new SaleKey(store, "T1", saleId),
                CurrencyCode.CNY,
                List.of(new BasketLine("sku-" + grossFen, "grocery", Money.fen(grossFen), 1)),
                List.of(""), List.of(tenders), Optional.of("code-" + memberId)));
    }

    static Tender tender(TenderKind kind, long fen) {
        return new Tender(kind, Money.fen(fen), Money.fen(fen));
    }

    long count(String sql) {
        return TestServices.count(schema, sql);
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    void close() throws Exception {
        outbox.close(vertx);
        await(pool.close());
        redisClient.close();
        await(vertx.close());
        TestServices.dropSchema(schema);
    }
}
