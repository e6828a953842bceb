package io.kassa.engine.server.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.kassa.engine.server.config.ClusterSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's place in the chain's cluster: the Vert.x Hazelcast cluster manager (membership
 * and the clustered event bus), the terminal session registry and the broadcast of
 * configuration versions. A single node has no Hazelcast at all and the same interfaces
 * answered locally (docs/adr/0010).
 *
 * <p>Nothing here holds money or a quota: Hazelcast's maps are AP (Jepsen: lost updates and
 * non-exclusive locks under partition). Sessions and configuration announcements are hints
 * a node can lose and recover — a push falls back to the node that made it, a configuration
 * version is re-read from PostgreSQL.
 */
public final class NodeCluster {

    private static final Logger log = LoggerFactory.getLogger(NodeCluster.class);

    static final String SESSIONS_MAP = "kassa.terminal-sessions";
    static final String CONFIGURATION_MAP = "kassa.configuration";
    static final String RULES_KEY = "rules";
    static final String QUORUM_NAME = "kassa-quorum";
    /** The member attribute naming the Kassa node a Hazelcast member runs. */
    public static final String NODE_ATTRIBUTE = "kassa.node";
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:]+");

    private final Vertx vertx;
    private final String nodeId;
    private final Optional<ClusterSettings> settings;
    private final Optional<HazelcastInstance> hazelcast;
    private final TerminalSessions sessions;
    private final ConfigurationBroadcast configuration;

    private NodeCluster(Vertx vertx, String nodeId, Optional<ClusterSettings> settings,
            Optional<HazelcastInstance> hazelcast, TerminalSessions sessions,
            ConfigurationBroadcast configuration) {
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.settings = settings;
        this.hazelcast = hazelcast;
        this.sessions = sessions;
        this.configuration = configuration;
    }

    /**
     * Builds this node's Vert.x and joins the cluster: clustered when {@code settings} names
     * members, a plain Vert.x otherwise. The caller has set metrics and other options on
     * {@code builder} already.
     */
    public static Future<NodeCluster> start(VertxBuilder builder, VertxOptions options,
            Optional<ClusterSettings> settings, String nodeId) {
        if (settings.isEmpty()) {
            return Future.succeededFuture(single(builder.with(options).build(), nodeId));
        }
        ClusterSettings cluster = settings.get();
        options.getEventBusOptions().setHost(cluster.host()).setClusterPublicHost(cluster.host())
                .setPort(0);
        HazelcastClusterManager manager =
                new HazelcastClusterManager(hazelcastConfig(cluster, nodeId));
        return builder.with(options).withClusterManager(manager).buildClustered().map(vertx -> {
            HazelcastInstance instance = manager.getHazelcastInstance();
            IMap<String, String> sessionMap = instance.getMap(SESSIONS_MAP);
            IMap<String, String> configurationMap = instance.getMap(CONFIGURATION_MAP);
            log.info("node '{}' joined cluster '{}' ({} members)", nodeId, cluster.name(),
                    instance.getCluster().getMembers().size());
            return new NodeCluster(vertx, nodeId, settings, Optional.of(instance),
                    new HazelcastSessions(sessionMap, nodeId, vertx),
                    new HazelcastConfigurationBroadcast(configurationMap));
        });
    }

    /** A node on its own, on {@code vertx}. */
    public static NodeCluster single(Vertx vertx, String nodeId) {
        return new NodeCluster(vertx, nodeId, Optional.empty(), Optional.empty(),
                TerminalSessions.singleNode(), ConfigurationBroadcast.singleNode());
    }

    static Config hazelcastConfig(ClusterSettings cluster, String nodeId) {
        // Vert.x's own maps (event bus subscriptions, node info) come from its default file.
        Config config = ConfigUtil.loadConfig();
        config.setClusterName(cluster.name());
        config.setInstanceName("kassa-" + nodeId);
        config.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, nodeId);
        // A killed node must leave the membership in seconds, not Hazelcast's default minute:
        // its terminals' pushes and its event bus addresses are routed around only then.
        defaultProperty(config, "hazelcast.heartbeat.interval.seconds", "1");
        defaultProperty(config, "hazelcast.max.no.heartbeat.seconds", "8");
        defaultProperty(config, "hazelcast.wait.seconds.before.join", "1");
        defaultProperty(config, "hazelcast.merge.first.run.delay.seconds", "5");
        defaultProperty(config, "hazelcast.merge.next.run.delay.seconds", "5");
        defaultProperty(config, "hazelcast.phone.home.enabled", "false");
        defaultProperty(config, "hazelcast.shutdownhook.enabled", "false");
        defaultProperty(config, "hazelcast.logging.type", "slf4j");

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(cluster.port()).setPortAutoIncrement(false);
        if (IP_LITERAL.matcher(cluster.host()).matches()) {
            config.setProperty("hazelcast.local.localAddress", cluster.host());
        } else {
            network.setPublicAddress(cluster.host() + ":" + cluster.port());
        }
        var join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members().stream()
                .map(member -> member.contains(":") ? member
                        : member + ":" + ClusterSettings.DEFAULT_PORT)
                .toList());

        // A minority partition stops serving Kassa's maps rather than answering from a
        // stale half: a session looked up there fails and the push stays with its maker.
        config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(QUORUM_NAME, true,
                cluster.quorum()));
        config.addMapConfig(new MapConfig(SESSIONS_MAP).setBackupCount(1)
                .setSplitBrainProtectionName(QUORUM_NAME));
        config.addMapConfig(new MapConfig(CONFIGURATION_MAP).setBackupCount(2)
                .setSplitBrainProtectionName(QUORUM_NAME)
                .setNearCacheConfig(new NearCacheConfig(CONFIGURATION_MAP)
                        .setInMemoryFormat(InMemoryFormat.OBJECT)
                        .setInvalidateOnChange(true)));
        return config;
    }

    private static void defaultProperty(Config config, String name, String value) {
        if (System.getProperty(name) == null) {
            config.setProperty(name, value);
        }
    }

    public Vertx vertx() {
        return vertx;
    }

    public String nodeId() {
        return nodeId;
    }

    public boolean clustered() {
        return hazelcast.isPresent();
    }

    public TerminalSessions sessions() {
        return sessions;
    }

    public ConfigurationBroadcast configuration() {
        return configuration;
    }

    /** Members currently in the cluster, this node included; 1 for a single node. */
    public int members() {
        return hazelcast.map(instance -> instance.getLifecycleService().isRunning()
                ? instance.getCluster().getMembers().size() : 0).orElse(1);
    }

    /**
     * Whether the cluster can be relied on: a single node always; a member while it runs in
     * a partition of at least the quorum.
     */
    public boolean usable() {
        return settings.map(cluster -> members() >= cluster.quorum()).orElse(true);
    }

    /** The Kassa node ids of the current members (this one first for a single node). */
    public java.util.List<String> memberNodes() {
        return hazelcast.map(instance -> instance.getCluster().getMembers().stream()
                .map(member -> Optional.ofNullable(member.getAttribute(NODE_ATTRIBUTE))
                        .orElse(member.getUuid().toString()))
                .sorted().toList()).orElse(java.util.List.of(nodeId));
    }

    /** Describes the cluster for health output. */
    public Map<String, Object> describe() {
        return Map.of("clustered", clustered(), "members", members(),
                "quorum", settings.map(ClusterSettings::quorum).orElse(1),
                "nodes", memberNodes());
    }

    static final class HazelcastConfigurationBroadcast implements ConfigurationBroadcast {

        private final IMap<String, String> map;

        HazelcastConfigurationBroadcast(IMap<String, String> map) {
            this.map = map;
        }

        @Override
        public void announce(Version version) {
            // Kept only when newer: two announcements racing never leave an older version
            // for a node that joins later.
            map.submitToKey(RULES_KEY, new KeepNewestVersion(encode(version)))
                    .whenComplete((ignored, error) -> {
                        if (error != null) {
                            log.warn("configuration version {} not announced: {}",
                                    version.number(), error.toString());
                        }
                    });
        }

        @Override
        public void listen(Consumer<Version> listener) {
            map.addEntryListener(new VersionListener(listener), true);
        }

        @Override
        public Optional<Version> latest() {
            try {
                return Optional.ofNullable(map.get(RULES_KEY)).map(
                        HazelcastConfigurationBroadcast::decode);
            } catch (RuntimeException e) {
                log.warn("configuration map unreadable: {}", e.toString());
                return Optional.empty();
            }
        }

        static String encode(Version version) {
            return version.number() + "\n" + version.document();
        }

        static Version decode(String value) {
            int newline = value.indexOf('\n');
            return new Version(Long.parseLong(value.substring(0, newline)),
                    value.substring(newline + 1));
        }
    }

    /** Replaces the stored version only with a newer one; runs on the key's owner. */
    static final class KeepNewestVersion
            implements com.hazelcast.map.EntryProcessor<String, String, Boolean> {
        private static final long serialVersionUID = 1L;
        private final String encoded;

        KeepNewestVersion(String encoded) {
            this.encoded = encoded;
        }

        @Override
        public Boolean process(Map.Entry<String, String> entry) {
            long offered = HazelcastConfigurationBroadcast.decode(encoded).number();
            String current = entry.getValue();
            if (current != null
                    && HazelcastConfigurationBroadcast.decode(current).number() >= offered) {
                return false;
            }
            entry.setValue(encoded);
            return true;
        }
    }

    private static final class VersionListener implements EntryAddedListener<String, String>,
            EntryUpdatedListener<String, String> {
        private final Consumer<ConfigurationBroadcast.Version> listener;

        VersionListener(Consumer<ConfigurationBroadcast.Version> listener) {
            this.listener = listener;
        }

        @Override
        public void entryAdded(com.hazelcast.core.EntryEvent<String, String> event) {
            deliver(event.getValue());
        }

        @Override
        public void entryUpdated(com.hazelcast.core.EntryEvent<String, String> event) {
            deliver(event.getValue());
        }

        private void deliver(String value) {
            if (value != null) {
                listener.accept(HazelcastConfigurationBroadcast.decode(value));
            }
        }
    }
}
