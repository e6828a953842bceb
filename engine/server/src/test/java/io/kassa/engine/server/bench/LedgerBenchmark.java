package io.kassa.engine.server.bench;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.checkout.CheckoutCommand;
import io.kassa.engine.server.checkout.CheckoutOutcome;
import io.kassa.engine.server.checkout.CheckoutService;
import io.kassa.engine.server.checkout.HotCopy;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.postgres.Migrations;
import io.kassa.engine.server.postgres.PgGenerationFence;
import io.kassa.engine.server.postgres.PgMemberDirectory;
import io.kassa.engine.server.postgres.PgOutbox;
import io.kassa.engine.server.postgres.PgSalesLedger;
import io.kassa.engine.server.postgres.PostgresLocation;
import io.kassa.engine.server.redis.RedisMemberBalances;
import io.kassa.engine.server.rules.ChainRulesSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Durable member checkouts per second through the engine's own path — hold in Redis, group
 * commit to PostgreSQL (order, lines, tenders, ledger, lots, stored value, member, outbox),
 * hold committed in Redis — at a fixed rate (open model: latency counts from each checkout's
 * intended start). Run by {@code load-tests/bench/ledger-floors.sh}, which runs pgbench and
 * redis-benchmark on the same shapes beside it.
 *
 * <p>Arguments: PostgreSQL URL, Redis URL, rate per second, seconds, members.
 */
public final class LedgerBenchmark {

    private LedgerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String postgresUrl = args[0];
        String redisUrl = args[1];
        double rate = Double.parseDouble(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int members = Integer.parseInt(args[4]);
        String schema = "bench_ledger";
        PostgresLocation location = PostgresLocation.parse(postgresUrl, schema);
        try (Connection connection = DriverManager.getConnection(location.jdbcUrl(),
                location.user(), location.password());
                Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + schema + " cascade");
        }
        Migrations.migrate(location);
        seed(location, members);

        Vertx vertx = Vertx.vertx();
        Clock clock = Clock.systemUTC();
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(8))
                .connectingTo(location.connectOptions()).using(vertx).build();
        Redis redisClient = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(redisUrl).setMaxPoolSize(16).setMaxPoolWaiting(10_000));
        RedisAPI redis = RedisAPI.api(redisClient);
        await(redis.flushall(List.of()));
        ChainRules rules = ChainRulesSource.fromEnvironment(Map.of());
        RedisMemberBalances balances = new RedisMemberBalances(redis);
        PgMemberDirectory directory = new PgMemberDirectory(pool);
        HotCopy hotCopy = new HotCopy(balances, directory, new PgGenerationFence(pool));
        await(hotCopy.check());
        PgOutbox outbox = new PgOutbox(vertx, pool);
        CheckoutService checkout = new CheckoutService(rules,
                new PgSalesLedger(vertx, pool, clock, PgSalesLedger.GroupCommitOptions.DEFAULTS),
                hotCopy, directory, balances, outbox, clock);

        // Warm-up: load every member into the hot copy and let the JIT settle.
        run(vertx, checkout, rate, 5, members, "warm").toCompletionStage()
                .toCompletableFuture().get(120, TimeUnit.SECONDS);
        Result result = run(vertx, checkout, rate, seconds, members, "run").toCompletionStage()
                .toCompletableFuture().get(seconds + 120L, TimeUnit.SECONDS);
        System.out.printf(Locale.ROOT, "engine_commits_per_second=%.1f%n", result.perSecond);
        System.out.printf(Locale.ROOT, "engine_commit_p50_ms=%.2f engine_commit_p99_ms=%.2f"
                + " engine_commit_p999_ms=%.2f engine_commit_max_ms=%.2f failed=%d%n",
                result.histogram.getValueAtPercentile(50) / 1000.0,
                result.histogram.getValueAtPercentile(99) / 1000.0,
                result.histogram.getValueAtPercentile(99.9) / 1000.0,
                result.histogram.getMaxValue() / 1000.0, result.failed);
        outbox.close(vertx);
        await(pool.close());
        redisClient.close();
        await(vertx.close());
    }

    private record Result(double perSecond, Histogram histogram, long failed) {
    }

    private static Future<Result> run(Vertx vertx, CheckoutService checkout, double rate,
            int seconds, int members, String tag) {
        Promise<Result> done = Promise.promise();
        Histogram histogram = new Histogram(60_000_000L, 3);
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong outstanding = new AtomicLong();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        double gapNanos = 1e9 / rate;
        long[] next = {start};
        long[] sequence = {0};
        vertx.setPeriodic(1, timer -> {
            long now = System.nanoTime();
            while (next[0] <= now && next[0] < end) {
                long intended = next[0];
                long sale = sequence[0]++;
                outstanding.incrementAndGet();
                checkout.checkout(command(tag, sale, members)).onComplete(outcome -> {
                    long micros = (System.nanoTime() - intended) / 1_000;
                    synchronized (histogram) {
                        histogram.recordValue(Math.min(micros, 60_000_000L));
                    }
                    if (outcome.succeeded()
                            && outcome.result() instanceof CheckoutOutcome.Committed) {
                        completed.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                    outstanding.decrementAndGet();
                });
                next[0] += (long) gapNanos;
            }
            if (next[0] >= end && outstanding.get() == 0) {
                vertx.cancelTimer(timer);
                double elapsed = (System.nanoTime() - start) / 1e9;
                done.complete(new Result(completed.get() / elapsed, histogram, failed.get()));
            }
        });
        return done.future();
    }

    /** A sale of three lines paid with 1.00 in points, 10.00 stored value and the rest cash. */
    private static CheckoutCommand command(String tag, long sale, int members) {
        String member = "bench-" + (sale % members);
        List<BasketLine> lines = List.of(
                new BasketLine("milk", "dairy", Money.fen(1_250), 2),
                new BasketLine("rice", "grocery", Money.fen(4_990), 1),
                new BasketLine("soap", "household", Money.fen(890), 3));
        long total = 1_250 * 2 + 4_990 + 890 * 3;
        return new CheckoutCommand(new SaleKey("store-001", "T-bench", tag + "-" + sale),
                CurrencyCode.CNY, lines, List.of("", "", ""),
                List.of(new Tender(TenderKind.POINTS, Money.fen(100), Money.fen(100)),
                        new Tender(TenderKind.STORED_VALUE, Money.fen(1_000),
                                Money.fen(1_000)),
                        new Tender(TenderKind.CASH, Money.fen(total - 1_100),
                                Money.fen(total - 1_100))),
                Optional.of("code-" + member));
    }

    private static void seed(PostgresLocation location, int members) throws Exception {
        try (Connection connection = DriverManager.getConnection(location.jdbcUrl(),
                location.user(), location.password());
                Statement statement = connection.createStatement()) {
            statement.execute("set search_path to " + location.schema());
            LocalDate today = LocalDate.now();
            statement.execute("insert into member (member_id, member_code, completed_orders)"
                    + " select 'bench-' || g, 'code-bench-' || g, 1"
                    + " from generate_series(0, " + (members - 1) + ") g");
            statement.execute("insert into stored_value_balance select 'bench-' || g,"
                    + " 1000000000000 from generate_series(0, " + (members - 1) + ") g");
            statement.execute("insert into points_lot (lot_id, member_id, points_remaining,"
                    + " earned_on, expires_on) select 'seed-' || g, 'bench-' || g,"
                    + " 1000000000000, '" + today.minusDays(10) + "', '" + today.plusYears(1)
                    + "' from generate_series(0, " + (members - 1) + ") g");
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
