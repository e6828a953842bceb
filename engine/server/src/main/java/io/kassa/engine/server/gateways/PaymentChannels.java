package io.kassa.engine.server.gateways;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.server.gateways.internal.AlipayChannel;
import io.kassa.engine.server.gateways.internal.ChannelCalls;
import io.kassa.engine.server.gateways.internal.CircuitBreaker;
import io.kassa.engine.server.gateways.internal.UnionPayChannel;
import io.kassa.engine.server.gateways.internal.WechatPayChannel;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configured channels, each with its own HTTP client settings and its own circuit breaker
 * (one channel's outage must not stop the others).
 */
public final class PaymentChannels implements AutoCloseable {

    /** Connections per channel: bounds what one slow channel can hold. */
    public static final int CONNECTIONS_PER_CHANNEL_MAX = 64;

    private final WebClient client;
    private final Map<ChannelId, PaymentChannel> channels;
    private final Map<ChannelId, CircuitBreaker> breakers;

    private PaymentChannels(WebClient client, Map<ChannelId, PaymentChannel> channels,
            Map<ChannelId, CircuitBreaker> breakers) {
        this.client = client;
        this.channels = channels;
        this.breakers = breakers;
    }

    public static PaymentChannels create(Vertx vertx, ChannelCredentials credentials,
            ChannelSettings settings, Clock clock) {
        return create(vertx, credentials, settings, clock, GatewayMetrics.NONE);
    }

    /** As above, with every gateway call's latency and outcome reported to {@code metrics}. */
    public static PaymentChannels create(Vertx vertx, ChannelCredentials credentials,
            ChannelSettings settings, Clock clock, GatewayMetrics metrics) {
        WebClient client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE,
                        settings.callTimeout().toMillis()))
                .setUserAgent("kassa-engine"),
                new PoolOptions().setHttp1MaxSize(CONNECTIONS_PER_CHANNEL_MAX));
        Map<ChannelId, PaymentChannel> channels = new LinkedHashMap<>();
        Map<ChannelId, CircuitBreaker> breakers = new LinkedHashMap<>();
        credentials.wechatPay().ifPresent(wechat -> channels.put(ChannelId.WECHAT_PAY,
                new WechatPayChannel(client, wechat, settings,
                        calls(vertx, settings, breakers, ChannelId.WECHAT_PAY, metrics), clock)));
        credentials.alipay().ifPresent(alipay -> channels.put(ChannelId.ALIPAY,
                new AlipayChannel(client, alipay, settings,
                        calls(vertx, settings, breakers, ChannelId.ALIPAY, metrics), clock)));
        credentials.unionPay().ifPresent(unionPay -> channels.put(ChannelId.UNIONPAY,
                new UnionPayChannel(client, unionPay, settings,
                        calls(vertx, settings, breakers, ChannelId.UNIONPAY, metrics), clock)));
        return new PaymentChannels(client, Map.copyOf(channels), Map.copyOf(breakers));
    }

    private static ChannelCalls calls(Vertx vertx, ChannelSettings settings,
            Map<ChannelId, CircuitBreaker> breakers, ChannelId channel, GatewayMetrics metrics) {
        CircuitBreaker breaker = new CircuitBreaker(settings.breakerFailureThreshold(),
                settings.breakerOpenDuration(), System::nanoTime);
        breakers.put(channel, breaker);
        return new ChannelCalls(vertx, settings, breaker, channel.name(), metrics);
    }

    public Optional<PaymentChannel> channel(ChannelId id) {
        return Optional.ofNullable(channels.get(id));
    }

    public Map<ChannelId, PaymentChannel> all() {
        return channels;
    }

    /** The breaker's state of a configured channel, for health and dashboards. */
    public Optional<CircuitBreaker.State> breakerState(ChannelId id) {
        return Optional.ofNullable(breakers.get(id)).map(CircuitBreaker::state);
    }

    @Override
    public void close() {
        client.close();
    }
}
