package io.kassa.loadtests.inprocess;

import io.kassa.engine.server.KassaEngine;
import io.kassa.engine.server.admin.ApiRole;
import io.kassa.engine.server.config.EngineConfig;
import io.kassa.engine.server.gateways.ChannelSettings;
import io.kassa.engine.server.postgres.PgDemoMembers;
import io.kassa.engine.server.postgres.PostgresLocation;
import io.kassa.peripherals.gateway.GatewaySimulator;
import io.kassa.peripherals.gateway.GatewaySimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Everything a load run needs, started in this JVM through the engine's own start API: the
 * gateway simulator (real keys and signatures; notifications to the engine), and one engine
 * node using it, with demo members. So that a simulation or the smoke test runs on a clean
 * machine with one command, PostgreSQL is the machine's own when it answers on 5432 (a fresh
 * schema, dropped at the end) and an embedded one otherwise, and Redis is an embedded one of
 * this run's own: the engine takes a Redis that loses its keys for a lost hot copy and
 * rebuilds (answering UNAVAILABLE meanwhile), so a shared Redis that another run flushes or
 * restarts would put that into the figures. {@code -Dkassa.pg.url} and
 * {@code -Dkassa.redis.url} name others.
 *
 * <p>Starting and closing block the calling thread: call them from a test or a simulation's
 * constructor and {@code after()}, never from an event loop or a Gatling action.
 */
public final class InProcessKassa implements AutoCloseable {

    private static final String LOCAL_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test";
    private static final long STEP_SECONDS = 60;

    private final Vertx simulatorVertx;
    private final GatewaySimulator simulator;
    private final KassaEngine engine;
    private final Path keysDirectory;
    private final Optional<String> droppedSchemaUrl;
    private final String schema;
    private final Map<String, byte[]> secrets = new ConcurrentHashMap<>();

    private InProcessKassa(Vertx simulatorVertx, GatewaySimulator simulator, KassaEngine engine,
            Path keysDirectory, Optional<String> droppedSchemaUrl, String schema) {
        this.simulatorVertx = simulatorVertx;
        this.simulator = simulator;
        this.engine = engine;
        this.keysDirectory = keysDirectory;
        this.droppedSchemaUrl = droppedSchemaUrl;
        this.schema = schema;
    }

    /**
     * @param purpose a word for the schema's name
     * @param members demo members to create (member-0001 ..: 500.00 yuan stored value, 3,000
     *     points, two coupons each)
     * @param simulatorOptions the gateway simulator's knobs (port, keys and callback URL are
     *     set here)
     */
    public static InProcessKassa start(String purpose, int members,
            GatewaySimulatorOptions simulatorOptions) {
        Vertx simulatorVertx = Vertx.vertx();
        try {
            Path keys = Files.createTempDirectory("kassa-load-keys");
            GatewaySimulator simulator = await(GatewaySimulator.start(simulatorVertx,
                    simulatorOptions.setPort(0).setKeysDirectory(keys)), "gateway simulator");
            Optional<String> postgres = service("kassa.pg.url", 5432, LOCAL_POSTGRES_URL);
            Optional<String> redis = Optional.ofNullable(System.getProperty("kassa.redis.url"))
                    .filter(url -> !url.isBlank()); // else the engine starts an embedded one
            String schema = ("load_" + purpose + "_" + UUID.randomUUID().toString()
                    .substring(0, 8)).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
            EngineConfig config = new EngineConfig(postgres, schema, 8, redis, "127.0.0.1", 0,
                    "load-node", EngineConfig.TerminalTimings.HEARTBEAT_INTERVAL_MILLIS,
                    EngineConfig.TerminalTimings.FRAME_COMPLETION_MILLIS, "127.0.0.1", 0,
                    Optional.of(simulator.engineKeysDirectory().toString()),
                    ChannelSettings.defaults());
            KassaEngine engine = KassaEngine.start(config, Clock.systemUTC());
            simulator.setCallbackUrl("http://127.0.0.1:" + engine.httpPort());
            if (members > 0) {
                await(PgDemoMembers.seed(engine.pool(), members,
                        LocalDate.now(ZoneId.of("Asia/Shanghai"))), "demo members");
            }
            return new InProcessKassa(simulatorVertx, simulator, engine, keys, postgres, schema);
        } catch (IOException e) {
            simulatorVertx.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            simulatorVertx.close();
            throw e;
        }
    }

    /** The system property's value, else the machine's service when it answers, else none. */
    private static Optional<String> service(String property, int port, String localUrl) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(configured.trim());
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return Optional.of(localUrl);
        } catch (IOException absent) {
            return Optional.empty(); // the engine starts an embedded one
        }
    }

    public int terminalPort() {
        return engine.terminalPort();
    }

    /** The engine's HTTP endpoint: callbacks, /api/v1, /metrics. */
    public String httpBaseUrl() {
        return "http://127.0.0.1:" + engine.httpPort();
    }

    public GatewaySimulator simulator() {
        return simulator;
    }

    public KassaEngine engine() {
        return engine;
    }

    /** The secret of a terminal, provisioning it in the engine's registry on first use. */
    public byte[] secret(String storeId, String terminalId) {
        return secrets.computeIfAbsent(terminalId, id -> await(
                engine.terminalRegistry().provision(storeId, terminalId), "provisioning")
                .secret()).clone();
    }

    /** A new admin API key, created the way the engine's tests create them. */
    public String adminKey(String name, ApiRole role, Set<String> stores) {
        return await(engine.operations().admin().createKey(name, role, stores), "API key");
    }

    /** One number from a query on the engine's schema. */
    public long count(String sql) {
        return await(engine.pool().query(sql).execute(), sql).iterator().next().getLong(0);
    }

    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            try {
                await(simulator.stop(), "simulator stop");
                await(simulatorVertx.close(), "simulator Vert.x");
            } finally {
                droppedSchemaUrl.ifPresent(this::dropSchema);
                deleteQuietly(keysDirectory);
            }
        }
    }

    private void dropSchema(String url) {
        PostgresLocation location = PostgresLocation.parse(url, schema);
        try (Connection connection = DriverManager.getConnection(location.jdbcUrl(),
                location.user(), location.password());
                Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + schema + " cascade");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop schema " + schema, e);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the OS cleans it eventually
        }
    }

    static <T> T await(Future<T> future, String what) {
        try {
            return future.await(STEP_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        }
    }
}
