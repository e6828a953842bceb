package io.kassa.engine.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How this node joins the chain's cluster, read from the environment. No members named means
 * a single node: no Hazelcast is started at all, and everything the cluster would carry stays
 * in this node's memory.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><td>KASSA_CLUSTER_MEMBERS</td><td>comma-separated host[:port] of the members to join
 *       by TCP-IP (this node may be among them); unset: single node</td></tr>
 *   <tr><td>KASSA_CLUSTER_HOST</td><td>the address this node binds and advertises for
 *       Hazelcast and the clustered event bus (default 127.0.0.1)</td></tr>
 *   <tr><td>KASSA_CLUSTER_PORT</td><td>Hazelcast's port (default 5701)</td></tr>
 *   <tr><td>KASSA_CLUSTER_NAME</td><td>the cluster's name; nodes of another chain never join
 *       (default kassa)</td></tr>
 *   <tr><td>KASSA_CLUSTER_QUORUM</td><td>members a partition needs to keep serving the
 *       cluster's data structures (default: a majority of the members named)</td></tr>
 * </table>
 */
public record ClusterSettings(List<String> members, String host, int port, String name,
        int quorum) {

    public static final int DEFAULT_PORT = 5701;

    public ClusterSettings {
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("KASSA_CLUSTER_MEMBERS names no member");
        }
        for (String member : members) {
            if (!member.matches("[A-Za-z0-9._-]{1,253}(:[0-9]{1,5})?")) {
                throw new IllegalArgumentException(
                        "KASSA_CLUSTER_MEMBERS: not a host[:port]: '" + member + "'");
            }
        }
        if (host == null || !host.matches("[A-Za-z0-9._-]{1,253}")) {
            throw new IllegalArgumentException("KASSA_CLUSTER_HOST: not a host: " + host);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("KASSA_CLUSTER_PORT must be 1..65535: " + port);
        }
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("KASSA_CLUSTER_NAME: 1..64 of [A-Za-z0-9._-]: "
                    + name);
        }
        if (quorum < 1 || quorum > members.size()) {
            throw new IllegalArgumentException("KASSA_CLUSTER_QUORUM must be 1.."
                    + members.size() + " (the members named): " + quorum);
        }
    }

    /** A majority of {@code memberCount}: two of three, three of four or five. */
    public static int majorityOf(int memberCount) {
        return memberCount / 2 + 1;
    }

    public static Optional<ClusterSettings> fromEnvironment(Map<String, String> environment) {
        String list = environment.get("KASSA_CLUSTER_MEMBERS");
        if (list == null || list.isBlank()) {
            return Optional.empty();
        }
        List<String> members = new ArrayList<>();
        for (String member : list.split(",")) {
            if (!member.isBlank()) {
                members.add(member.trim());
            }
        }
        String host = environment.getOrDefault("KASSA_CLUSTER_HOST", "127.0.0.1").trim();
        int port = EngineConfig.integer(environment, "KASSA_CLUSTER_PORT", DEFAULT_PORT);
        String name = environment.getOrDefault("KASSA_CLUSTER_NAME", "kassa").trim();
        int quorum = EngineConfig.integer(environment, "KASSA_CLUSTER_QUORUM",
                majorityOf(Math.max(1, members.size())));
        return Optional.of(new ClusterSettings(members, host, port, name, quorum));
    }
}
