package io.kassa.engine.server;

import io.kassa.engine.server.checkout.Reconciler;
import io.kassa.engine.server.config.EngineConfig;
import io.kassa.engine.server.postgres.PgInvariants;
import io.kassa.engine.server.postgres.PgMemberDirectory;
import io.kassa.engine.server.postgres.PostgresLocation;
import io.kassa.engine.server.redis.RedisMemberBalances;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar kassa-engine.jar check-invariants}: checks the money invariants of a running
 * (or stopped) deployment — those PostgreSQL can check on its own, and, when KASSA_REDIS_URL is
 * set, that Redis's copy of every member equals the ledger. Reads only. Exit status 0 when all
 * hold, 1 when any is broken (each printed with its count and examples), 2 on bad usage.
 */
public final class InvariantCheckCommand {

    public static final String COMMAND = "check-invariants";
    static final int EXIT_HOLDS = 0;
    static final int EXIT_BROKEN = 1;
    static final int EXIT_USAGE = 2;

    private InvariantCheckCommand() {
    }

    public static int run(Map<String, String> environment, PrintStream out, PrintStream err) {
        EngineConfig config;
        try {
            config = EngineConfig.fromEnvironment(environment);
        } catch (IllegalArgumentException e) {
            err.println("kassa: " + e.getMessage());
            return EXIT_USAGE;
        }
        if (config.postgresUrl().isEmpty()) {
            err.println("kassa: check-invariants needs KASSA_PG_URL (and KASSA_PG_SCHEMA)");
            return EXIT_USAGE;
        }
        Vertx vertx = Vertx.vertx();
        try {
            Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
                    .connectingTo(PostgresLocation.parse(config.postgresUrl().get(),
                            config.postgresSchema()).connectOptions())
                    .using(vertx).build();
            List<PgInvariants.Violation> violations = await(new PgInvariants(pool).check());
            for (String name : PgInvariants.names()) {
                PgInvariants.Violation violation = violations.stream()
                        .filter(v -> v.invariant().equals(name)).findFirst().orElse(null);
                out.println((violation == null ? "holds   " : "BROKEN  ") + name
                        + (violation == null ? "" : " (" + violation.count() + ")"));
                if (violation != null) {
                    violation.examples().forEach(example -> out.println("          " + example));
                }
            }
            long differences = 0;
            if (config.redisUrl().isPresent()) {
                Redis redis = Redis.createClient(vertx,
                        new RedisOptions().setConnectionString(config.redisUrl().get())
                                // The reconciler asks about a page of members at once.
                                .setMaxPoolSize(8).setMaxPoolWaiting(
                                        Reconciler.PAGE_MEMBERS_MAX * 8));
                List<Reconciler.Difference> found = await(new Reconciler(
                        new RedisMemberBalances(RedisAPI.api(redis)),
                        new PgMemberDirectory(pool)).reconcileAll());
                differences = found.size();
                out.println((found.isEmpty() ? "holds   " : "BROKEN  ")
                        + "Redis's copy of every member equals the ledger"
                        + (found.isEmpty() ? "" : " (" + found.size() + ")"));
                found.stream().limit(PgInvariants.EXAMPLES_MAX).forEach(difference ->
                        out.println("          " + difference));
                redis.close();
            }
            await(pool.close());
            return violations.isEmpty() && differences == 0 ? EXIT_HOLDS : EXIT_BROKEN;
        } catch (Exception e) {
            err.println("kassa: check-invariants failed: " + e.getMessage());
            return EXIT_USAGE;
        } finally {
            vertx.close();
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
