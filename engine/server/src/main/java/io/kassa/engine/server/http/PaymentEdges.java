package io.kassa.engine.server.http;

import io.kassa.engine.server.gateways.ChannelCredentials;
import io.kassa.engine.server.gateways.ChannelSettings;
import io.kassa.engine.server.gateways.GatewayMetrics;
import io.kassa.engine.server.gateways.PaymentChannels;
import io.kassa.engine.server.gateways.PaymentNotificationSink;
import io.kassa.engine.server.gateways.RecordingNotificationSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The payment edges of one engine node: the channel adapters and the HTTP endpoint receiving
 * their callbacks. The payment orchestration takes {@link #channels()} and replaces the
 * recording sink with its own {@link PaymentNotificationSink}.
 */
public final class PaymentEdges implements AutoCloseable {

    private final PaymentChannels channels;
    private final HttpServer server;
    private final CallbackCounters counters;

    private final SwitchableNotificationSink sink;

    private PaymentEdges(PaymentChannels channels, HttpServer server, CallbackCounters counters,
            SwitchableNotificationSink sink) {
        this.channels = channels;
        this.server = server;
        this.counters = counters;
        this.sink = sink;
    }

    /**
     * Routes verified notifications to the payment orchestration's sink from now on; {@code
     * real} is built around {@link #recorder()}, which keeps deduplicating and auditing.
     */
    public void attach(PaymentNotificationSink real) {
        sink.attach(real);
    }

    /** The sink that records each notification once (the audit and duplicate arbiter). */
    public PaymentNotificationSink recorder() {
        return sink.initial();
    }

    /**
     * Loads the keys (blocking file reads: call from start-up, not from an event loop), creates
     * the adapters and listens for callbacks.
     */
    public static Future<PaymentEdges> start(Vertx vertx, Pool pool, String host, int port,
            Optional<String> keysDirectory, ChannelSettings settings, Clock clock) {
        return start(vertx, pool, host, port, keysDirectory, settings, clock,
                GatewayMetrics.NONE, router -> { });
    }

    /**
     * As above, reporting gateway calls to {@code metrics} and mounting {@code routes} (ops,
     * admin API) on the same HTTP port.
     */
    public static Future<PaymentEdges> start(Vertx vertx, Pool pool, String host, int port,
            Optional<String> keysDirectory, ChannelSettings settings, Clock clock,
            GatewayMetrics metrics, Consumer<Router> routes) {
        ChannelCredentials credentials = keysDirectory.map(Path::of)
                .map(ChannelCredentials::load).orElse(ChannelCredentials.none());
        PaymentChannels channels =
                PaymentChannels.create(vertx, credentials, settings, clock, metrics);
        // Until the payment orchestration attaches its sink (right after start), notifications
        // are recorded and acknowledged only: no intent exists before it does.
        SwitchableNotificationSink sink =
                new SwitchableNotificationSink(new RecordingNotificationSink(pool, clock));
        CallbackCounters counters = new CallbackCounters();
        return HttpEndpoint.start(vertx, host, port,
                        new CallbackRoutes(credentials, settings, sink, counters, clock),
                        routes)
                .map(server -> new PaymentEdges(channels, server, counters, sink))
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
