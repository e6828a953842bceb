package io.kassa.engine.server.metrics;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Terminal sessions starting and ending on this node, told on the local event bus (never across
 * the cluster: each node counts its own connections) with the store id as the message body. The
 * terminal endpoint publishes; {@link KassaMetrics} keeps {@code kassa_terminals_connected}.
 */
public final class TerminalEvents {

    public static final String CONNECTED = "kassa.terminal.connected";
    public static final String DISCONNECTED = "kassa.terminal.disconnected";

    private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

    private TerminalEvents() {
    }

    /** A terminal of {@code storeId} authenticated on this node. */
    public static void connected(Vertx vertx, String storeId) {
        vertx.eventBus().publish(CONNECTED, storeId, LOCAL);
    }

    /** An authenticated terminal of {@code storeId} went away. */
    public static void disconnected(Vertx vertx, String storeId) {
        vertx.eventBus().publish(DISCONNECTED, storeId, LOCAL);
    }
}
