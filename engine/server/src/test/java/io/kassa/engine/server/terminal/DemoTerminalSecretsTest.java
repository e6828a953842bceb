package io.kassa.engine.server.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.engine.server.KassaEngine;
import io.kassa.engine.server.config.EngineConfig;
import io.kassa.engine.server.testing.RawTerminal;
import io.kassa.engine.server.testing.TestServices;
import io.kassa.protocol.TerminalAuthentication;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The demo seed lets any terminal authenticate with its derived secret on an engine with
 * embedded PostgreSQL, and is refused outright with an external PostgreSQL, so that no real
 * deployment can run with it; run against a real engine on embedded PostgreSQL.
 */
class DemoTerminalSecretsTest {

    private static final String SEED = "demo-seed-for-this-test";

    @Test
    void seedIsRefusedWhenPostgresqlIsExternal() {
        EngineConfig external = EngineConfig.fromEnvironment(Map.of(
                "KASSA_PG_URL", TestServices.postgresUrl(), "KASSA_REDIS_URL",
                TestServices.redisUrl(), "KASSA_TERMINAL_PORT", "0"));

        assertThatThrownBy(() -> KassaEngine.start(external,
                TerminalPolicy.defaults().withDemoSecretSeed(SEED), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KASSA_DEMO_TERMINAL_SECRET_SEED");
    }

    @Test
    void shortSeedIsRefused() {
        assertThatThrownBy(() -> TerminalPolicy.fromEnvironment(
                Map.of("KASSA_DEMO_TERMINAL_SECRET_SEED", "1234")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anyTerminalAuthenticatesWithItsDerivedSecretOnTheEmbeddedDemo() throws Exception {
        EngineConfig embedded = new EngineConfig(Optional.empty(), "kassa", 2,
                Optional.of(TestServices.redisUrl()), "127.0.0.1", 0, "demo-node",
                EngineConfig.TerminalTimings.HEARTBEAT_INTERVAL_MILLIS,
                EngineConfig.TerminalTimings.FRAME_COMPLETION_MILLIS);
        try (KassaEngine engine = KassaEngine.start(embedded,
                TerminalPolicy.defaults().withDemoSecretSeed(SEED), Clock.systemUTC())) {
            try (RawTerminal terminal = RawTerminal.connect(engine.terminalPort())) {
                assertThat(terminal.authenticate(RawTerminal.hello("store-001", "T-demo-1"),
                        TerminalAuthentication.demoSecret(SEED, "store-001", "T-demo-1"))
                        .hasWelcome()).isTrue();
            }
            try (RawTerminal terminal = RawTerminal.connect(engine.terminalPort())) {
                // The secret of another store's terminal does not open this one.
                assertThatThrownBy(() -> terminal.authenticate(
                        RawTerminal.hello("store-001", "T-demo-2"),
                        TerminalAuthentication.demoSecret(SEED, "store-002", "T-demo-2")))
                        .hasMessageContaining("AUTHENTICATION_FAILED");
            }
        }
    }
}
