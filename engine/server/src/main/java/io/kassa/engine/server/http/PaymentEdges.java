package io.kassa.engine.server.http;

import io.kassa.engine.server.gateways.ChannelCredentials;
import io.kassa.engine.server.gateways.ChannelSettings;
import io.kassa.engine.server.gateways.PaymentChannels;
import io.kassa.engine.server.gateways.PaymentNotificationSink;
import io.kassa.engine.server.gateways.RecordingNotificationSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The payment edges of one engine node: the channel adapters and the HTTP endpoint receiving
 * their callbacks. The payment orchestration takes {@link #channels()} and replaces the
 * recording sink with its own {@link PaymentNotificationSink}.
 */
public final class PaymentEdges implements AutoCloseable {

    private final PaymentChannels channels;
    private final HttpServer server;
    private final CallbackCounters counters;

    private PaymentEdges(PaymentChannels channels, HttpServer server, CallbackCounters counters) {
        this.channels = channels;
        this.server = server;
        this.counters = counters;
    }

    /**
     * Loads the keys (blocking file reads: call from start-up, not from an event loop), creates
     * the adapters and listens for callbacks.
     */
    public static Future<PaymentEdges> start(Vertx vertx, Pool pool, String host, int port,
            Optional<String> keysDirectory, ChannelSettings settings, Clock clock) {
        ChannelCredentials credentials = keysDirectory.map(Path::of)
                .map(ChannelCredentials::load).orElse(ChannelCredentials.none());
        PaymentChannels channels = PaymentChannels.create(vertx, credentials, settings, clock);
        PaymentNotificationSink sink = new RecordingNotificationSink(pool, clock);
        CallbackCounters counters = new CallbackCounters();
        return HttpEndpoint.start(vertx, host, port,
                        new CallbackRoutes(credentials, settings, sink, counters, clock))
                .map(server -> new PaymentEdges(channels, server, counters))
                .onFailure(failed -> channels.close());
    }

    public PaymentChannels channels() {
        return channels;
    }

    public CallbackCounters callbackCounters() {
        return counters;
    }

    public int httpPort() {
        return server.actualPort();
    }

    @Override
    public void close() {
        server.close();
        channels.close();
    }
}
