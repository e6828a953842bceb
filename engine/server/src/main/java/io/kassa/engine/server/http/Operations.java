package io.kassa.engine.server.http;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.server.admin.PointsExchanges;
import io.kassa.engine.server.checkout.HotCopy;
import io.kassa.engine.server.cluster.NodeCluster;
import io.kassa.engine.server.gateways.internal.CircuitBreaker;
import io.kassa.engine.server.http.admin.AdminRoutes;
import io.kassa.engine.server.http.admin.ApiKeys;
import io.kassa.engine.server.http.admin.RateLimiter;
import io.kassa.engine.server.metrics.KassaMetrics;
import io.kassa.engine.server.metrics.OpsSampler;
import io.kassa.engine.server.postgres.PgAdminStore;
import io.kassa.engine.server.postgres.PgRedPacketStore;
import io.kassa.engine.server.postgres.PgReports;
import io.kassa.engine.server.redis.RedisChainQuotas;
import io.kassa.engine.server.rules.RulesCatalogue;
import io.kassa.engine.server.terminal.TerminalRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the engine serves to the people who run it, wired: metrics and their sampler,
 * health checks, the live dashboard and the admin API, all on the HTTP port of the payment
 * callbacks ({@link PaymentEdges}).
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><td>KASSA_ADMIN_BOOTSTRAP_KEY</td><td>an HQ admin key that works without being stored
 *       (at least 32 characters), to create the first keys; unset: none</td></tr>
 *   <tr><td>KASSA_ADMIN_RATE_PER_SECOND / KASSA_ADMIN_RATE_BURST</td><td>requests per second
 *       and burst per API key (default 20 / 40)</td></tr>
 * </table>
 */
public final class Operations implements AutoCloseable {

    public static final double DEFAULT_RATE_PER_SECOND = 20;
    public static final int DEFAULT_RATE_BURST = 40;

    private final KassaMetrics metrics;
    private final OpsSampler sampler;
    private final OpsRoutes ops;
    private final AdminRoutes admin;

    private Operations(KassaMetrics metrics, OpsSampler sampler, OpsRoutes ops,
            AdminRoutes admin) {
        this.metrics = metrics;
        this.sampler = sampler;
        this.ops = ops;
        this.admin = admin;
    }

    public static Operations create(Vertx vertx, Pool pool, RedisAPI redis, HotCopy hotCopy,
            RulesCatalogue rules, NodeCluster cluster, TerminalRegistry terminals,
            KassaMetrics metrics, Clock clock, Map<String, String> environment) {
        OpsSampler sampler = new OpsSampler(vertx, pool, redis, metrics, clock,
                () -> hotCopy.generation().isPresent());
        OpsRoutes ops = new OpsRoutes(vertx, pool, redis, metrics, sampler,
                () -> hotCopy.generation().isPresent(), cluster);
        PgAdminStore store = new PgAdminStore(pool, clock);
        ApiKeys keys = new ApiKeys(store, Optional.ofNullable(
                environment.get("KASSA_ADMIN_BOOTSTRAP_KEY")).filter(key -> !key.isBlank()));
        RateLimiter limiter = new RateLimiter(
                Double.parseDouble(environment.getOrDefault("KASSA_ADMIN_RATE_PER_SECOND",
                        Double.toString(DEFAULT_RATE_PER_SECOND))),
                Integer.parseInt(environment.getOrDefault("KASSA_ADMIN_RATE_BURST",
                        Integer.toString(DEFAULT_RATE_BURST))), System::nanoTime);
        AdminRoutes admin = new AdminRoutes(store, new PgReports(pool), terminals, rules, keys,
                limiter, metrics, clock, new PointsExchanges(store, new RedisChainQuotas(redis),
                        hotCopy::generation, clock), new PgRedPacketStore(pool, clock));
        return new Operations(metrics, sampler, ops, admin);
    }

    /** Mounts /metrics, /health/*, /ops and /api/v1 on the engine's HTTP router. */
    public void mount(Router router) {
        ops.mount(router);
        admin.mount(router);
    }

    /**
     * Exposes what the payment edges count themselves: callbacks by channel and verdict (every
     * combination from the start, at zero) and each configured channel's breaker state.
     */
    public void observe(PaymentEdges payments) {
        CallbackCounters counters = payments.callbackCounters();
        counters.observeLag((channel, lagMillis) -> metrics.callbackLag(channel.name(),
                lagMillis));
        List<String> verdicts = new ArrayList<>(List.of("accepted", "duplicate"));
        for (CallbackRejection rejection : CallbackRejection.values()) {
            verdicts.add(rejection.name().toLowerCase(Locale.ROOT));
        }
        for (ChannelId channel : new ChannelId[] {
                ChannelId.WECHAT_PAY, ChannelId.ALIPAY, ChannelId.UNIONPAY}) {
            for (String verdict : verdicts) {
                metrics.callbackCounter(channel.name(), verdict, counters,
                        source -> source.count(channel, verdict));
            }
            if (payments.channels().breakerState(channel).isPresent()) {
                metrics.gauge("kassa.gateway.breaker.open", Tags.of("channel", channel.name()),
                        payments.channels(), channels -> channels.breakerState(channel)
                                .map(state -> state == CircuitBreaker.State.OPEN ? 1.0
                                        : state == CircuitBreaker.State.HALF_OPEN ? 0.5 : 0.0)
                                .orElse(0.0),
                        "1 while the channel's circuit breaker is open, 0.5 half-open");
            }
        }
    }

    public KassaMetrics metrics() {
        return metrics;
    }

    public OpsSampler sampler() {
        return sampler;
    }

    /** The admin API, for in-process key provisioning. */
    public AdminRoutes admin() {
        return admin;
    }

    @Override
    public void close() {
        ops.close();
        sampler.close();
    }
}
