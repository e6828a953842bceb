package io.kassa.engine.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two operations run on a Hazelcast key's owner: a configuration announcement kept only
 * when newer, and a session removed only by the node it names.
 */
class ClusterEntryProcessorsTest {

    /** A map entry as Hazelcast hands it to an entry processor: setValue(null) deletes. */
    static final class Entry extends AbstractMap.SimpleEntry<String, String> {
        private static final long serialVersionUID = 1L;

        Entry(String value) {
            super("key", value);
        }
    }

    static String announced(long version, String document) {
        return NodeCluster.HazelcastConfigurationBroadcast.encode(
                new ConfigurationBroadcast.Version(version, document));
    }

    @Test
    void anAnnouncementReplacesOnlyAnOlderVersion() {
        Map.Entry<String, String> entry = new Entry(null);
        assertThat(new NodeCluster.KeepNewestVersion(announced(4, "{\"a\":1}")).process(entry))
                .isTrue();
        assertThat(new NodeCluster.KeepNewestVersion(announced(3, "{}")).process(entry))
                .as("a late, older announcement").isFalse();
        assertThat(new NodeCluster.KeepNewestVersion(announced(4, "{}")).process(entry))
                .isFalse();
        assertThat(NodeCluster.HazelcastConfigurationBroadcast.decode(entry.getValue()))
                .isEqualTo(new ConfigurationBroadcast.Version(4, "{\"a\":1}"));
        assertThat(new NodeCluster.KeepNewestVersion(announced(5, "line\nbreaks\n"))
                .process(entry)).isTrue();
        assertThat(NodeCluster.HazelcastConfigurationBroadcast.decode(entry.getValue())
                .document()).isEqualTo("line\nbreaks\n");
    }

    @Test
    void aSessionIsRemovedOnlyByTheNodeItNames() {
        Map.Entry<String, String> entry = new Entry("kassa-2");
        assertThat(new HazelcastSessions.RemoveIfOnNode("kassa-1").process(entry)).isFalse();
        assertThat(entry.getValue()).as("the terminal moved to kassa-2 meanwhile")
                .isEqualTo("kassa-2");
        assertThat(new HazelcastSessions.RemoveIfOnNode("kassa-2").process(entry)).isTrue();
        assertThat(entry.getValue()).isNull();
    }
}
