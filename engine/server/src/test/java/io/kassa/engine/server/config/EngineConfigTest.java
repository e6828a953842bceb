package io.kassa.engine.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The environment is read as documented, and a bad value stops start-up naming the variable. */
class EngineConfigTest {

    @Test
    void emptyEnvironmentMeansEmbeddedServicesOnTheDefaultPort() {
        EngineConfig config = EngineConfig.fromEnvironment(Map.of());
        assertThat(config.postgresUrl()).isEmpty();
        assertThat(config.redisUrl()).isEmpty();
        assertThat(config.terminalPort()).isEqualTo(7420);
        assertThat(config.postgresSchema()).isEqualTo("kassa");
        assertThat(config.heartbeatIntervalMillis()).isEqualTo(15_000);
    }

    @Test
    void configuredValuesAreTaken() {
        EngineConfig config = EngineConfig.fromEnvironment(Map.of(
                "KASSA_PG_URL", "postgresql://kassa:secret@db:5432/kassa",
                "KASSA_REDIS_URL", "redis://cache:6379",
                "KASSA_TERMINAL_PORT", "9000", "KASSA_NODE_ID", "node-b"));
        assertThat(config.postgresUrl()).contains("postgresql://kassa:secret@db:5432/kassa");
        assertThat(config.redisUrl()).contains("redis://cache:6379");
        assertThat(config.terminalPort()).isEqualTo(9000);
        assertThat(config.nodeId()).isEqualTo("node-b");
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> EngineConfig.fromEnvironment(
                Map.of("KASSA_TERMINAL_PORT", "seventy")))
                .hasMessageContaining("KASSA_TERMINAL_PORT");
        assertThatThrownBy(() -> EngineConfig.fromEnvironment(
                Map.of("KASSA_TERMINAL_PORT", "65536")))
                .hasMessageContaining("KASSA_TERMINAL_PORT");
        assertThatThrownBy(() -> EngineConfig.fromEnvironment(
                Map.of("KASSA_PG_SCHEMA", "drop table;")))
                .hasMessageContaining("KASSA_PG_SCHEMA");
        assertThatThrownBy(() -> EngineConfig.fromEnvironment(
                Map.of("KASSA_PG_POOL_SIZE", "0")))
                .hasMessageContaining("KASSA_PG_POOL_SIZE");
    }
}
