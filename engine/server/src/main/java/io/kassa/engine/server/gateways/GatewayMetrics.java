package io.kassa.engine.server.gateways;

/**
 * Where the channel adapters report each HTTP call to a gateway: its channel, its operation
 * and how it ended ({@code answered}, {@code no_answer}, {@code circuit_open}). Keeps the
 * adapters free of a metrics library; {@link #NONE} by default.
 */
public interface GatewayMetrics {

    GatewayMetrics NONE = (channel, outcome, elapsedNanos) -> {
    };

    void callFinished(String channel, String outcome, long elapsedNanos);
}
