package io.kassa.engine.server.testing;

import io.kassa.engine.server.KassaEngine;
import io.kassa.engine.server.config.EngineConfig;
import io.kassa.engine.server.terminal.TerminalPolicy;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** An engine node on the test services, in a schema of its own, on a free loopback port. */
public final class TestEngine implements AutoCloseable {

    private final KassaEngine engine;
    private final String schema;
    // Terminals provisioned so far, so that a test can greet the same terminal many times.
    private final Map<String, byte[]> secrets = new ConcurrentHashMap<>();

    private TestEngine(KassaEngine engine, String schema) {
        this.engine = engine;
        this.schema = schema;
    }

    public static TestEngine start(String purpose) {
        return start(purpose, EngineConfig.TerminalTimings.HEARTBEAT_INTERVAL_MILLIS,
                EngineConfig.TerminalTimings.FRAME_COMPLETION_MILLIS);
    }

    public static TestEngine start(
            String purpose, int heartbeatIntervalMillis, int frameCompletionMillis) {
        return start(purpose, heartbeatIntervalMillis, frameCompletionMillis,
                TerminalPolicy.defaults());
    }

    public static TestEngine start(String purpose, TerminalPolicy policy) {
        return start(purpose, EngineConfig.TerminalTimings.HEARTBEAT_INTERVAL_MILLIS,
                EngineConfig.TerminalTimings.FRAME_COMPLETION_MILLIS, policy);
    }

    public static TestEngine start(String purpose, int heartbeatIntervalMillis,
            int frameCompletionMillis, TerminalPolicy policy) {
        String schema = TestServices.freshSchema(purpose);
        EngineConfig config = new EngineConfig(Optional.of(TestServices.postgresUrl()), schema,
                4, Optional.of(TestServices.redisUrl()), "127.0.0.1", 0, "test-node",
                heartbeatIntervalMillis, frameCompletionMillis);
        return new TestEngine(KassaEngine.start(config, policy, Clock.systemUTC()), schema);
    }

    /**
     * The secret of terminal {@code terminalId} of {@code storeId}, provisioning it in this
     * engine's registry on first use.
     */
    public byte[] secret(String storeId, String terminalId) {
        return secrets.computeIfAbsent(terminalId, id -> await(
                engine.terminalRegistry().provision(storeId, terminalId)).secret()).clone();
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return engine.terminalPort();
    }

    public String schema() {
        return schema;
    }

    public KassaEngine engine() {
        return engine;
    }

    public long count(String sql) {
        return TestServices.count(schema, sql);
    }

    @Override
    public void close() {
        engine.close();
        TestServices.dropSchema(schema);
    }
}
