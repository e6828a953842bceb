package io.kassa.engine.server;

import io.kassa.engine.server.checkout.CheckoutService;
import io.kassa.engine.server.cluster.NodeCluster;
import io.kassa.engine.server.config.EngineConfig;
import io.kassa.engine.server.http.Operations;
import io.kassa.engine.server.http.PaymentEdges;
import io.kassa.engine.server.metrics.KassaMetrics;
import io.kassa.engine.server.postgres.EmbeddedPostgresServer;
import io.kassa.engine.server.postgres.Migrations;
import io.kassa.engine.server.postgres.PgRulesVersions;
import io.kassa.engine.server.postgres.PgSalesLedger;
import io.kassa.engine.server.postgres.PostgresLocation;
import io.kassa.engine.server.redis.EmbeddedRedisServer;
import io.kassa.engine.server.rules.RulesCatalogue;
import io.kassa.engine.server.terminal.PushOutbox;
import io.kassa.engine.server.terminal.TerminalEndpoint;
import io.kassa.engine.server.terminal.TerminalPaymentUpdates;
import io.kassa.engine.server.terminal.TerminalPolicy;
import io.kassa.engine.server.terminal.TerminalRegistry;
import io.kassa.engine.server.terminal.TerminalServerOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running engine node: its PostgreSQL schema migrated, its Redis reachable, its terminal
 * endpoint listening. Starting and closing block the calling thread (never an event loop):
 * they run once, from {@code main} or a test.
 */
public final class KassaEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KassaEngine.class);
    /** Connections to Redis, and requests that may wait for one. */
    static final int REDIS_POOL_SIZE = 16;
    static final int REDIS_POOL_WAITING_MAX = 8_192;

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final Pool pool;
    private final Redis redis;
    private final int terminalPort;
    private final String deploymentId;
    private final List<AutoCloseable> embedded;
    private final EngineConfig config;
    private final PgSalesLedger ledger;
    private final TerminalEndpoint terminals;
    // Set once in start(), right after construction: the payment channels and their callbacks.
    private PaymentEdges payments;
    private PaymentAssembly paymentAssembly;
    private RefundAssembly refundAssembly;
    // Set once in start(), right after construction: metrics, health, dashboard, admin API.
    private Operations operations;
    // Set once in start(), right after construction: the cluster (or this node alone), the
    // configuration catalogue, and the routing of late payment outcomes to terminals.
    private NodeCluster cluster;
    private RulesCatalogue rules;
    private TerminalPaymentUpdates paymentUpdates;

    private KassaEngine(Vertx vertx, Pool pool, Redis redis, int terminalPort,
            String deploymentId, List<AutoCloseable> embedded, EngineConfig config,
            PgSalesLedger ledger, TerminalEndpoint terminals) {
        this.vertx = vertx;
        this.pool = pool;
        this.redis = redis;
        this.terminalPort = terminalPort;
        this.deploymentId = deploymentId;
        this.embedded = embedded;
        this.config = config;
        this.ledger = ledger;
        this.terminals = terminals;
    }

    /**
     * The benchmark runs the demo's conveniences (derived terminal secrets, demo members) on a
     * PostgreSQL of its own that it throws away; it says so with this variable set to {@link
     * #SCRATCH_DATABASE_ACKNOWLEDGED}. Nothing else should ever set it.
     */
    public static final String SCRATCH_DATABASE_VARIABLE = "KASSA_SCRATCH_DATABASE";
    public static final String SCRATCH_DATABASE_ACKNOWLEDGED = "yes-throw-away-data";

    public static boolean scratchDatabaseAcknowledged(java.util.Map<String, String> environment) {
        return SCRATCH_DATABASE_ACKNOWLEDGED.equals(environment.get(SCRATCH_DATABASE_VARIABLE));
    }

    /** Starts with {@link TerminalPolicy#defaults()}: no TLS, no demo secrets. */
    public static KassaEngine start(EngineConfig config, Clock clock) {
        return start(config, TerminalPolicy.defaults(), clock);
    }

    public static KassaEngine start(EngineConfig config, TerminalPolicy policy, Clock clock) {
        if (policy.demoSecretSeed().isPresent() && config.postgresUrl().isPresent()
                && !scratchDatabaseAcknowledged(System.getenv())) {
            // Derived secrets are for a demo on throw-away data, never for a real chain.
            throw new IllegalArgumentException("KASSA_DEMO_TERMINAL_SECRET_SEED is refused when"
                    + " KASSA_PG_URL is set: demo terminal secrets are for the embedded demo only"
                    + " (or a benchmark's scratch database, see " + SCRATCH_DATABASE_VARIABLE
                    + ")");
        }
        List<AutoCloseable> embedded = new ArrayList<>();
        // What this start opened before the engine exists to close it: closed if the start
        // fails, so that no event loop thread keeps a process that failed to start alive.
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            EngineConfig resolved = withEmbeddedDefaults(config, embedded);
            PostgresLocation location = PostgresLocation.parse(
                    resolved.postgresUrl().orElseThrow(), resolved.postgresSchema());
            int applied = Migrations.migrate(location);
            log.info("schema '{}' migrated ({} migrations applied)", location.schema(), applied);

            KassaMetrics metrics = KassaMetrics.create();
            // Netty's epoll transport where the platform has it: fewer system calls per frame
            // and per database or Redis round trip than NIO; NIO elsewhere.
            VertxOptions vertxOptions = new VertxOptions().setPreferNativeTransport(true);
            NodeCluster cluster = await(NodeCluster.start(
                    metrics.configure(Vertx.builder(), vertxOptions), vertxOptions,
                    resolved.cluster(), resolved.nodeId()), "cluster join");
            Vertx vertx = cluster.vertx();
            opened.add(() -> await(vertx.close(), "Vert.x close"));
            log.info("network transport: {}", vertx.isNativeTransportEnabled() ? "epoll"
                    : "NIO (" + vertx.unavailableNativeTransportCause() + ")");
            metrics.attach(vertx);
            Pool pool = PgBuilder.pool()
                    .with(new PoolOptions().setMaxSize(resolved.postgresPoolSize()))
                    .connectingTo(location.connectOptions())
                    .using(vertx)
                    .build();
            Redis redis = Redis.createClient(vertx,
                    new RedisOptions().setConnectionString(resolved.redisUrl().orElseThrow())
                            // Every member checkout makes a handful of short script calls; a
                            // queue far deeper than the client's default 24 absorbs bursts,
                            // and the terminal's in-flight limit bounds it in practice.
                            .setMaxPoolSize(REDIS_POOL_SIZE)
                            .setMaxPoolWaiting(REDIS_POOL_WAITING_MAX));
            opened.add(redis::close);
            opened.add(() -> await(pool.close(), "PostgreSQL pool close"));
            await(RedisAPI.api(redis).ping(List.of()), "Redis PING");
            await(pool.query("select 1").execute(), "PostgreSQL check");

            int port = resolved.terminalPort() == 0 ? freePort() : resolved.terminalPort();
            TerminalServerOptions terminalOptions = TerminalServerOptions.of(
                    resolved.terminalHost(), port, resolved.nodeId(),
                    resolved.heartbeatIntervalMillis(), resolved.frameCompletionMillis());
            RulesCatalogue rules = await(RulesCatalogue.start(vertx,
                    new PgRulesVersions(pool, clock), cluster.configuration(), System.getenv()),
                    "configuration");
            CheckoutAssembly assembly = await(CheckoutAssembly.start(vertx, pool, redis, clock,
                    metrics, rules.live()), "checkout assembly");
            PgSalesLedger ledger = assembly.ledger();
            CheckoutService checkout = assembly.checkout();
            TerminalEndpoint terminals = TerminalEndpoint.create(pool, checkout,
                    terminalOptions, policy, clock, cluster.sessions());
            io.kassa.engine.server.checkout.SaleDesk sales =
                    DeskAssembly.wire(terminals.desk(), pool, assembly, clock);
            if (policy.demoSecretSeed().isPresent()) {
                log.warn("KASSA_DEMO_TERMINAL_SECRET_SEED is set: any terminal id authenticates"
                        + " with a secret derived from the seed. Demo only.");
            }
            String deploymentId = await(vertx.deployVerticle(terminals::newVerticle,
                    new DeploymentOptions().setInstances(
                            VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE)),
                    "terminal endpoint");
            log.info("node '{}' listening for terminals on {}:{}{}", resolved.nodeId(),
                    resolved.terminalHost(), port, terminals.tls() ? " (TLS)" : "");
            Operations operations = Operations.create(vertx, pool, RedisAPI.api(redis),
                    assembly.hotCopy(), rules, cluster, terminals.registry(), metrics, clock,
                    System.getenv());
            PaymentEdges payments = await(PaymentEdges.start(vertx, pool, resolved.httpHost(),
                    resolved.httpPort(), resolved.paymentKeysDirectory(), resolved.payments(),
                    clock, metrics, operations::mount), "HTTP endpoint");
            operations.observe(payments);
            log.info("node '{}' serves /metrics, /health/ready, /api/v1 and the dashboard at"
                    + " http://{}:{}/ops", resolved.nodeId(), resolved.httpHost(),
                    payments.httpPort());
            log.info("node '{}' listening for gateway callbacks on {}:{} (channels: {})",
                    resolved.nodeId(), resolved.httpHost(), payments.httpPort(),
                    payments.channels().all().keySet());
            KassaEngine engine = new KassaEngine(vertx, pool, redis, port, deploymentId,
                    embedded, resolved, ledger, terminals);
            engine.cluster = cluster;
            engine.rules = rules;
            engine.payments = payments;
            engine.paymentUpdates = new TerminalPaymentUpdates(terminals.outbox(), vertx,
                    cluster.sessions(), resolved.nodeId());
            await(engine.paymentUpdates.start(), "payment update hand-over");
            engine.paymentAssembly = PaymentAssembly.start(vertx, pool, checkout, ledger,
                    payments, engine.paymentUpdates, resolved.payments(), resolved.nodeId(),
                    clock);
            engine.paymentAssembly.orchestrator().instrument(operations.metrics());
            sales.enablePayments(engine.paymentAssembly.orchestrator());
            engine.refundAssembly = RefundAssembly.start(vertx, pool, assembly,
                    payments.channels(), clock);
            engine.operations = operations;
            return engine;
        } catch (RuntimeException e) {
            closeAll(opened);
            closeAll(embedded);
            throw e;
        }
    }

    private static EngineConfig withEmbeddedDefaults(
            EngineConfig config, List<AutoCloseable> embedded) {
        EngineConfig resolved = config;
        if (resolved.postgresUrl().isEmpty()) {
            EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
            embedded.add(postgres);
            log.info("KASSA_PG_URL unset: started embedded PostgreSQL at {}", postgres.url());
            resolved = resolved.withPostgresUrl(postgres.url());
        }
        if (resolved.redisUrl().isEmpty()) {
            EmbeddedRedisServer redis = EmbeddedRedisServer.start();
            embedded.add(redis);
            log.info("KASSA_REDIS_URL unset: started embedded Redis at {}", redis.url());
            resolved = resolved.withRedisUrl(redis.url());
        }
        return resolved;
    }

    public int terminalPort() {
        return terminalPort;
    }

    /** Metrics, health checks, the dashboard and the admin API. */
    public Operations operations() {
        return operations;
    }

    /** The port of the HTTP endpoint (callbacks, /metrics, /health, /ops, /api/v1). */
    public int httpPort() {
        return payments.httpPort();
    }

    /** The payment channel adapters and the callback endpoint. */
    public PaymentEdges payments() {
        return payments;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Pool pool() {
        return pool;
    }

    public PgSalesLedger ledger() {
        return ledger;
    }

    /** The provisioned terminals: provisioning, rotation, disabling. */
    public TerminalRegistry terminalRegistry() {
        return terminals.registry();
    }

    /** This node's cluster (a single node's when no members are configured). */
    public NodeCluster cluster() {
        return cluster;
    }

    /** The chain's configuration as this node prices with it. */
    public RulesCatalogue rules() {
        return rules;
    }

    /** The pushes to terminals served by this node. */
    public PushOutbox terminalPushes() {
        return terminals.outbox();
    }

    /** The configuration as resolved, with the URLs of embedded services filled in. */
    public EngineConfig config() {
        return config;
    }

    public Optional<String> embeddedSummary() {
        return embedded.isEmpty() ? Optional.empty()
                : Optional.of(embedded.size() + " embedded service(s)");
    }

    /**
     * Drains the terminal endpoint (in-flight requests are answered), then closes clients,
     * Vert.x and any embedded services, in that order.
     */
    @Override
    public void close() {
        try {
            await(vertx.undeploy(deploymentId), "terminal endpoint drain");
        } catch (RuntimeException e) {
            log.warn("terminal endpoint did not stop cleanly", e);
        }
        if (operations != null) {
            operations.close();
        }
        if (refundAssembly != null) {
            refundAssembly.close();
        }
        if (paymentAssembly != null) {
            paymentAssembly.close();
        }
        if (rules != null) {
            rules.close();
        }
        if (payments != null) {
            payments.close();
        }
        try {
            await(pool.close(), "PostgreSQL pool close");
            redis.close();
            await(vertx.close(), "Vert.x close");
        } catch (RuntimeException e) {
            log.warn("engine did not close cleanly", e);
        }
        if (operations != null) {
            operations.metrics().close();
        }
        closeAll(embedded);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (int index = resources.size() - 1; index >= 0; index--) {
            try {
                resources.get(index).close();
            } catch (Exception e) {
                log.warn("failed to stop {}", resources.get(index), e);
            }
        }
        resources.clear();
    }

    private static <T> T await(io.vertx.core.Future<T> future, String step) {
        try {
            return future.toCompletionStage().toCompletableFuture()
                    .get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(step + " failed: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(step + " timed out after " + STEP_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(step + " interrupted", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
