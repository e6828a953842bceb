package io.kassa.engine.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kassa.engine.server.http.OpsRoutes;
import io.kassa.engine.server.testing.DemoLoad;
import io.kassa.engine.server.testing.Http;
import io.kassa.engine.server.testing.TestEngine;
import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ops endpoints of a running engine: every metric the issue names is in /metrics and the
 * ones a demo load drives move under it (read twice, compared); /health/live and /health/ready
 * answer, and readiness turns 503 when Redis is unreachable or the hot copy is not settled.
 */
class OpsEndpointsTest {

    private static TestEngine engine;
    private static Http http;

    @BeforeAll
    static void start() {
        engine = TestEngine.start("ops");
        http = new Http(engine.engine().httpPort());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** The metric families (as scraped) the issue asks for, present from the start. */
    static final List<String> ALWAYS_PRESENT = List.of(
            "kassa_checkouts_total", "kassa_checkout_errors_total",
            "kassa_group_commit_batch_size_count", "kassa_holds_outstanding",
            "kassa_reconciler_differences", "kassa_points_total",
            "kassa_payment_intents_unknown", "kassa_callbacks_total",
            "kassa_postgres_probe_seconds_count", "kassa_redis_probe_seconds_count",
            "kassa_postgres_up", "kassa_redis_up");

    @Test
    void metricsAreNamedAndMoveUnderADemoLoad() throws Exception {
        await().atMost(5, TimeUnit.SECONDS).until(() ->
                http.get("/metrics", null).body().contains("kassa_postgres_probe_seconds_count"));
        String before = http.get("/metrics", null).body();
        for (String name : ALWAYS_PRESENT) {
            assertThat(before).as(name).contains(name);
        }

        try (DemoLoad load = new DemoLoad(engine).connect("S001", "S002")) {
            load.checkouts(10);
            load.quotes(3);
            // A callback for a channel without keys: counted as channel_not_configured.
            assertThat(http.post("/callbacks/wechatpay", null, "{}").status()).isEqualTo(503);
            // A coupon redeemed by one of these orders, as the ledger sampler will find it.
            TestServices.count(engine.schema(), """
                    with member_row as (
                        insert into member (member_id, member_code) values ('M-ops', 'C-ops')
                        returning member_id),
                    redeemed as (
                        insert into coupon (coupon_id, template_id, member_id, state, valid_from,
                                            valid_until, redeemed_order_id)
                        select 'cpn-ops', 'cut-100-20', member_id, 'REDEEMED',
                               now() - interval '1 day', now() + interval '1 day',
                               (select order_id from sales_order order by committed_at desc
                                limit 1)
                          from member_row returning 1)
                    select count(*) from redeemed""");

            // Payment intents as the lead's orchestration records them: one paid, one unknown.
            TestServices.count(engine.schema(), """
                    with intents as (
                        insert into payment_intent (out_trade_no, store_id, terminal_id, sale_id,
                            tender_number, attempt, channel, tender_kind, amount_fen, state,
                            lease_until, created_at, sent_at, resolved_at, updated_at)
                        values ('KOPS000001', 'S001', 'T1', 'pay-1', 1, 1, 'wechatpay',
                                'WECHAT_PAY', 700, 'succeeded', now(), now(), now(), now(),
                                now()),
                               ('KOPS000002', 'S001', 'T1', 'pay-2', 1, 1, 'alipay', 'ALIPAY',
                                900, 'unknown', now(), now(), now(), null, now())
                        returning 1)
                    select count(*) from intents""");

            await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250)).until(() ->
                    value(http.get("/metrics", null).body(),
                            "kassa_coupons_redeemed_total{template=\"cut-100-20\"}") >= 1
                    && value(http.get("/metrics", null).body(), "kassa_payments_total{"
                            + "channel=\"wechatpay\",outcome=\"succeeded\"}") >= 1);
            String after = http.get("/metrics", null).body();

            assertThat(sum(after, "kassa_checkouts_total", "outcome=\"committed\""))
                    .isEqualTo(sum(before, "kassa_checkouts_total", "outcome=\"committed\"")
                            + 20);
            assertThat(value(after, "kassa_checkouts_total{outcome=\"committed\",store=\"S001\"}"))
                    .isEqualTo(10);
            assertThat(sum(after, "kassa_checkout_seconds_count", "outcome=\"committed\""))
                    .isEqualTo(20);
            assertThat(after).contains("kassa_checkout_seconds_bucket");
            assertThat(sum(after, "kassa_group_commit_batch_size_count", ""))
                    .isGreaterThan(sum(before, "kassa_group_commit_batch_size_count", ""));
            assertThat(value(after, "kassa_terminals_connected{store=\"S001\"}")).isEqualTo(1);
            assertThat(value(after, "kassa_terminals_connected{store=\"S002\"}")).isEqualTo(1);
            assertThat(value(after, "kassa_callbacks_total{channel=\"wechatpay\","
                    + "verdict=\"channel_not_configured\"}")).isEqualTo(1);
            assertThat(value(after, "kassa_coupons_redeemed_total{template=\"cut-100-20\"}"))
                    .isEqualTo(1);
            assertThat(sum(after, "kassa_redis_probe_seconds_count", ""))
                    .isGreaterThan(sum(before, "kassa_redis_probe_seconds_count", ""));
            assertThat(value(after, "kassa_postgres_up")).isEqualTo(1);
            assertThat(value(after, "kassa_payment_intents_unknown")).isEqualTo(1);
            assertThat(sum(after, "kassa_quote_seconds_count", "outcome=\"answered\""))
                    .isEqualTo(3);
            assertThat(sum(after, "kassa_group_commit_seconds_count", "")).isPositive();
            // Vert.x's own meters share the registry: HTTP server requests, TCP connections.
            assertThat(after).contains("vertx_http_server_requests_total");
            assertThat(after).contains("vertx_net_server_active_connections");
            // PostgreSQL and Redis command latency, per client, from Vert.x's client metrics.
            assertThat(sum(after, "vertx_sql_processing_time_seconds_count", ""))
                    .isGreaterThan(sum(before, "vertx_sql_processing_time_seconds_count", ""));
            assertThat(sum(after, "vertx_redis_processing_time_seconds_count", ""))
                    .isGreaterThan(sum(before, "vertx_redis_processing_time_seconds_count", ""));

            JsonObject snapshot = engine.engine().operations().sampler().snapshot();
            assertThat(snapshot.getJsonObject("checkouts").getDouble("committed"))
                    .isGreaterThanOrEqualTo(20);
            assertThat(snapshot.getJsonObject("terminals").getLong("S001")).isEqualTo(1);
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> value(http.get("/metrics", null).body(),
                "kassa_terminals_connected{store=\"S001\"}") == 0);
    }

    @Test
    void liveAndReadyAnswerWhileEverythingIsUp() {
        Http.Reply live = http.get("/health/live", null);
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().getString("status")).isEqualTo("UP");
        Http.Reply ready = http.get("/health/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().getString("outcome")).isEqualTo("UP");
        assertThat(ready.body()).contains("postgres", "redis", "hot-copy");
    }

    @Test
    void readinessIsDownWhenRedisIsUnreachableOrTheHotCopyIsNotSettled() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Redis deadRedis = Redis.createClient(vertx,
                    new RedisOptions().setConnectionString("redis://127.0.0.1:1"));
            KassaMetrics metrics = KassaMetrics.create();
            OpsSampler sampler = new OpsSampler(vertx, engine.engine().pool(),
                    RedisAPI.api(deadRedis), metrics, Clock.systemUTC(), () -> false);
            Router router = Router.router(vertx);
            new OpsRoutes(vertx, engine.engine().pool(), RedisAPI.api(deadRedis), metrics,
                    sampler, () -> false).mount(router);
            var server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            Http down = new Http(server.actualPort());
            Http.Reply ready = down.get("/health/ready", null);
            assertThat(ready.status()).isEqualTo(503);
            JsonObject checks = new JsonObject();
            ready.json().getJsonArray("checks").forEach(check -> checks.put(
                    ((JsonObject) check).getString("id"),
                    ((JsonObject) check).getString("status")));
            assertThat(checks.getMap()).isEqualTo(Map.of("postgres", "UP", "redis", "DOWN",
                    "hot-copy", "DOWN", "cluster", "UP"));
            assertThat(down.get("/health/live", null).status()).isEqualTo(200);
            await().atMost(5, TimeUnit.SECONDS).until(() -> value(
                    down.get("/metrics", null).body(), "kassa_redis_up") == 0);
            sampler.close();
            metrics.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    /** The value of one sample line, e.g. {@code name{label="x"}}; 0 when absent. */
    static double value(String scrape, String sample) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return 0;
    }

    /** The sum of every sample of a family whose labels contain {@code labelFilter}. */
    static double sum(String scrape, String family, String labelFilter) {
        Pattern sample = Pattern.compile("^" + Pattern.quote(family) + "(\\{[^}]*\\})? (\\S+)$",
                Pattern.MULTILINE);
        Matcher matcher = sample.matcher(scrape);
        double total = 0;
        Map<String, Double> seen = new TreeMap<>();
        while (matcher.find()) {
            String labels = matcher.group(1) == null ? "" : matcher.group(1);
            if (labels.contains(labelFilter)) {
                total += Double.parseDouble(matcher.group(2));
                seen.put(labels, Double.parseDouble(matcher.group(2)));
            }
        }
        return total;
    }
}
