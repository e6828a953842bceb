package io.kassa.engine.server.config;

import io.kassa.engine.server.gateways.ChannelSettings;
import io.kassa.protocol.FrameLimits;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the engine needs to know about where it runs, read from the environment. An
 * absent PostgreSQL or Redis URL means "start an embedded one": the demo and a developer's
 * first run need nothing installed beyond Java and Maven.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><td>KASSA_PG_URL</td><td>postgresql://user[:password]@host:port/database; embedded
 *       when unset</td></tr>
 *   <tr><td>KASSA_PG_SCHEMA</td><td>schema holding Kassa's tables (default kassa)</td></tr>
 *   <tr><td>KASSA_PG_POOL_SIZE</td><td>connections to PostgreSQL (default 8)</td></tr>
 *   <tr><td>KASSA_REDIS_URL</td><td>redis://host:port; embedded when unset</td></tr>
 *   <tr><td>KASSA_TERMINAL_HOST</td><td>address terminals connect to (default 0.0.0.0)</td></tr>
 *   <tr><td>KASSA_TERMINAL_PORT</td><td>TCP port for terminals (default 7420; 0 picks a free
 *       one)</td></tr>
 *   <tr><td>KASSA_NODE_ID</td><td>this node's name in Welcome and logs (default
 *       kassa-1)</td></tr>
 *   <tr><td>KASSA_HEARTBEAT_INTERVAL_MILLIS</td><td>heartbeat interval told to terminals;
 *       a connection silent for 3 intervals is closed (default 15000)</td></tr>
 *   <tr><td>KASSA_HTTP_HOST / KASSA_HTTP_PORT</td><td>HTTP endpoint for gateway callbacks
 *       (default 0.0.0.0:8080; port 0 picks a free one)</td></tr>
 *   <tr><td>KASSA_PAYMENT_KEYS_DIR</td><td>merchant keys and ids of the payment channels
 *       (see docs/adr/0005); no channel is configured when unset</td></tr>
 *   <tr><td>KASSA_GATEWAY_*</td><td>channel timeouts, retries, breaker: see
 *       {@link ChannelSettings#fromEnvironment}</td></tr>
 *   <tr><td>KASSA_CLUSTER_*</td><td>the chain's cluster: see {@link ClusterSettings}; a
 *       single node when unset</td></tr>
 *   <tr><td>KASSA_FRAME_COMPLETION_MILLIS</td><td>time a begun frame has to complete
 *       (default 10000)</td></tr>
 * </table>
 */
public record EngineConfig(
        Optional<String> postgresUrl, String postgresSchema, int postgresPoolSize,
        Optional<String> redisUrl, String terminalHost, int terminalPort, String nodeId,
        int heartbeatIntervalMillis, int frameCompletionMillis, String httpHost, int httpPort,
        Optional<String> paymentKeysDirectory, ChannelSettings payments,
        Optional<ClusterSettings> cluster) {

    public static final int DEFAULT_HTTP_PORT = 8080;

    /** A single node (no cluster members named). */
    public EngineConfig(Optional<String> postgresUrl, String postgresSchema,
            int postgresPoolSize, Optional<String> redisUrl, String terminalHost,
            int terminalPort, String nodeId, int heartbeatIntervalMillis,
            int frameCompletionMillis, String httpHost, int httpPort,
            Optional<String> paymentKeysDirectory, ChannelSettings payments) {
        this(postgresUrl, postgresSchema, postgresPoolSize, redisUrl, terminalHost,
                terminalPort, nodeId, heartbeatIntervalMillis, frameCompletionMillis, httpHost,
                httpPort, paymentKeysDirectory, payments, Optional.empty());
    }

    /**
     * Without HTTP settings (tests, embedding): callbacks on a free loopback port, no payment
     * channel configured.
     */
    public EngineConfig(Optional<String> postgresUrl, String postgresSchema,
            int postgresPoolSize, Optional<String> redisUrl, String terminalHost,
            int terminalPort, String nodeId, int heartbeatIntervalMillis,
            int frameCompletionMillis) {
        this(postgresUrl, postgresSchema, postgresPoolSize, redisUrl, terminalHost,
                terminalPort, nodeId, heartbeatIntervalMillis, frameCompletionMillis,
                "127.0.0.1", 0, Optional.empty(), ChannelSettings.defaults());
    }

    public static final int DEFAULT_TERMINAL_PORT = 7420;

    /** Defaults of the terminal endpoint's timings, as protocol/SPEC.md documents them. */
    public static final class TerminalTimings {
        public static final int HEARTBEAT_INTERVAL_MILLIS = FrameLimits.HEARTBEAT_INTERVAL_MILLIS;
        public static final int FRAME_COMPLETION_MILLIS = FrameLimits.FRAME_COMPLETION_MILLIS_MAX;

        private TerminalTimings() {
        }
    }

    public EngineConfig {
        Objects.requireNonNull(postgresUrl, "postgresUrl");
        Objects.requireNonNull(redisUrl, "redisUrl");
        if (!postgresSchema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException(
                    "KASSA_PG_SCHEMA must be a lower-case SQL identifier: " + postgresSchema);
        }
        if (postgresPoolSize < 1 || postgresPoolSize > 256) {
            throw new IllegalArgumentException(
                    "KASSA_PG_POOL_SIZE must be 1..256: " + postgresPoolSize);
        }
        if (heartbeatIntervalMillis < 100 || heartbeatIntervalMillis > 600_000) {
            throw new IllegalArgumentException(
                    "KASSA_HEARTBEAT_INTERVAL_MILLIS must be 100..600000: "
                            + heartbeatIntervalMillis);
        }
        if (frameCompletionMillis < 10 || frameCompletionMillis > 600_000) {
            throw new IllegalArgumentException(
                    "KASSA_FRAME_COMPLETION_MILLIS must be 10..600000: " + frameCompletionMillis);
        }
        Objects.requireNonNull(paymentKeysDirectory, "paymentKeysDirectory");
        Objects.requireNonNull(payments, "payments");
        Objects.requireNonNull(cluster, "cluster");
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("KASSA_HTTP_PORT must be 0..65535: " + httpPort);
        }
        if (terminalPort < 0 || terminalPort > 65535) {
            throw new IllegalArgumentException("KASSA_TERMINAL_PORT must be 0..65535: "
                    + terminalPort);
        }
    }

    public static EngineConfig fromEnvironment(Map<String, String> environment) {
        return new EngineConfig(
                nonBlank(environment.get("KASSA_PG_URL")),
                environment.getOrDefault("KASSA_PG_SCHEMA", "kassa"),
                integer(environment, "KASSA_PG_POOL_SIZE", 8),
                nonBlank(environment.get("KASSA_REDIS_URL")),
                environment.getOrDefault("KASSA_TERMINAL_HOST", "0.0.0.0"),
                integer(environment, "KASSA_TERMINAL_PORT", DEFAULT_TERMINAL_PORT),
                environment.getOrDefault("KASSA_NODE_ID", "kassa-1"),
                integer(environment, "KASSA_HEARTBEAT_INTERVAL_MILLIS",
                        TerminalTimings.HEARTBEAT_INTERVAL_MILLIS),
                integer(environment, "KASSA_FRAME_COMPLETION_MILLIS",
                        TerminalTimings.FRAME_COMPLETION_MILLIS),
                environment.getOrDefault("KASSA_HTTP_HOST", "0.0.0.0"),
                integer(environment, "KASSA_HTTP_PORT", DEFAULT_HTTP_PORT),
                nonBlank(environment.get("KASSA_PAYMENT_KEYS_DIR")),
                ChannelSettings.fromEnvironment(environment),
                ClusterSettings.fromEnvironment(environment));
    }

    public EngineConfig withPostgresUrl(String url) {
        return new EngineConfig(Optional.of(url), postgresSchema, postgresPoolSize, redisUrl,
                terminalHost, terminalPort, nodeId, heartbeatIntervalMillis,
                frameCompletionMillis, httpHost, httpPort, paymentKeysDirectory, payments,
                cluster);
    }

    public EngineConfig withRedisUrl(String url) {
        return new EngineConfig(postgresUrl, postgresSchema, postgresPoolSize, Optional.of(url),
                terminalHost, terminalPort, nodeId, heartbeatIntervalMillis,
                frameCompletionMillis, httpHost, httpPort, paymentKeysDirectory, payments,
                cluster);
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    static int integer(Map<String, String> environment, String name, int fallback) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer: " + value, e);
        }
    }
}
