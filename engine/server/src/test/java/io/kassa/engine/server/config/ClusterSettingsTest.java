package io.kassa.engine.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The cluster settings an operator writes, and what each mistake gets at start. */
class ClusterSettingsTest {

    @Test
    void noMembersNamedIsASingleNode() {
        assertThat(ClusterSettings.fromEnvironment(Map.of())).isEmpty();
        assertThat(ClusterSettings.fromEnvironment(Map.of("KASSA_CLUSTER_MEMBERS", " ")))
                .isEmpty();
        assertThat(EngineConfig.fromEnvironment(Map.of()).cluster()).isEmpty();
    }

    @Test
    void membersWithAndWithoutPortsAndAMajorityQuorumByDefault() {
        Optional<ClusterSettings> settings = ClusterSettings.fromEnvironment(Map.of(
                "KASSA_CLUSTER_MEMBERS", "kassa-1:5701, kassa-2,10.0.0.3:5801",
                "KASSA_CLUSTER_HOST", "kassa-2"));
        assertThat(settings).hasValueSatisfying(cluster -> {
            assertThat(cluster.members()).containsExactly("kassa-1:5701", "kassa-2",
                    "10.0.0.3:5801");
            assertThat(cluster.host()).isEqualTo("kassa-2");
            assertThat(cluster.port()).isEqualTo(ClusterSettings.DEFAULT_PORT);
            assertThat(cluster.name()).isEqualTo("kassa");
            assertThat(cluster.quorum()).isEqualTo(2);
        });
        assertThat(ClusterSettings.majorityOf(1)).isEqualTo(1);
        assertThat(ClusterSettings.majorityOf(4)).isEqualTo(3);
        assertThat(ClusterSettings.majorityOf(5)).isEqualTo(3);
    }

    @Test
    void eachMistakeIsRefusedNamingItsVariable() {
        assertRefused(Map.of("KASSA_CLUSTER_MEMBERS", "kassa-1;kassa-2"),
                "KASSA_CLUSTER_MEMBERS: not a host[:port]");
        assertRefused(Map.of("KASSA_CLUSTER_MEMBERS", "kassa-1:port"),
                "KASSA_CLUSTER_MEMBERS: not a host[:port]");
        assertRefused(Map.of("KASSA_CLUSTER_MEMBERS", ","), "names no member");
        assertRefused(Map.of("KASSA_CLUSTER_MEMBERS", "a,b", "KASSA_CLUSTER_QUORUM", "3"),
                "KASSA_CLUSTER_QUORUM must be 1..2");
        assertRefused(Map.of("KASSA_CLUSTER_MEMBERS", "a,b", "KASSA_CLUSTER_QUORUM", "0"),
                "KASSA_CLUSTER_QUORUM must be 1..2");
        assertRefused(Map.of("KASSA_CLUSTER_MEMBERS", "a", "KASSA_CLUSTER_PORT", "70000"),
                "KASSA_CLUSTER_PORT must be 1..65535");
        assertRefused(Map.of("KASSA_CLUSTER_MEMBERS", "a", "KASSA_CLUSTER_PORT", "x"),
                "KASSA_CLUSTER_PORT must be an integer");
        assertRefused(Map.of("KASSA_CLUSTER_MEMBERS", "a", "KASSA_CLUSTER_HOST", "a b"),
                "KASSA_CLUSTER_HOST: not a host");
        assertRefused(Map.of("KASSA_CLUSTER_MEMBERS", "a", "KASSA_CLUSTER_NAME", "chain/1"),
                "KASSA_CLUSTER_NAME");
    }

    private static void assertRefused(Map<String, String> environment, String message) {
        assertThatThrownBy(() -> EngineConfig.fromEnvironment(environment))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
