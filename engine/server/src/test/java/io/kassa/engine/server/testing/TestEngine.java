package io.kassa.engine.server.testing;

import io.kassa.engine.server.KassaEngine;
import io.kassa.engine.server.config.EngineConfig;
import java.time.Clock;
import java.util.Optional;

/** An engine node on the test services, in a schema of its own, on a free loopback port. */
public final class TestEngine implements AutoCloseable {

    private final KassaEngine engine;
    private final String schema;

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
        String schema = TestServices.freshSchema(purpose);
        EngineConfig config = new EngineConfig(Optional.of(TestServices.postgresUrl()), schema,
                4, Optional.of(TestServices.redisUrl()), "127.0.0.1", 0, "test-node",
                heartbeatIntervalMillis, frameCompletionMillis);
        return new TestEngine(KassaEngine.start(config, Clock.systemUTC()), schema);
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
