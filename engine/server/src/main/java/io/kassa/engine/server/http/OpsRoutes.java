package io.kassa.engine.server.http;

import io.kassa.engine.server.metrics.KassaMetrics;
import io.kassa.engine.server.metrics.OpsSampler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.kassa.engine.server.cluster.NodeCluster;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What operations reach over HTTP:
 *
 * <pre>
 * GET /metrics        Prometheus text exposition (version 0.0.4)
 * GET /health/live    200 while the event loops answer
 * GET /health/ready   200 when PostgreSQL and Redis answer, the cluster has its quorum (always
 *                     for a single node) and the hot copy's generation is
 *                     settled; 503 with the failing checks otherwise
 * GET /ops            the live dashboard (static page, no build step)
 * GET /ops/stream     Server-Sent Events: the dashboard snapshot once a second
 * GET /ops/assets/*   the dashboard's script and style
 * </pre>
 */
public final class OpsRoutes {

    /** Dashboards streaming at once; more are refused with 503 (each costs a timer write). */
    public static final int STREAM_CLIENTS_MAX = 64;

    /** How long a readiness check may take before it counts as down. */
    public static final long READY_CHECK_TIMEOUT_MILLIS = 2_000;

    private final Vertx vertx;
    private final KassaMetrics metrics;
    private final OpsSampler sampler;
    private final HealthChecks readiness;
    private final Set<HttpServerResponse> streams = new HashSet<>();
    private long streamTimer = -1;

    public OpsRoutes(Vertx vertx, Pool pool, RedisAPI redis, KassaMetrics metrics,
            OpsSampler sampler, BooleanSupplier hotCopySettled) {
        this(vertx, pool, redis, metrics, sampler, hotCopySettled,
                NodeCluster.single(vertx, "single"));
    }

    /** As above, ready only while {@code cluster} is usable (a quorum of members). */
    public OpsRoutes(Vertx vertx, Pool pool, RedisAPI redis, KassaMetrics metrics,
            OpsSampler sampler, BooleanSupplier hotCopySettled, NodeCluster cluster) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.sampler = sampler;
        this.readiness = HealthChecks.create(vertx)
                .register("postgres", READY_CHECK_TIMEOUT_MILLIS, promise -> pool
                        .query("select 1").execute()
                        .onComplete(done -> promise.complete(done.succeeded() ? Status.OK()
                                : Status.KO(new JsonObject().put("error",
                                        done.cause().getMessage())))))
                .register("redis", READY_CHECK_TIMEOUT_MILLIS, promise -> redis.ping(List.of())
                        .onComplete(done -> promise.complete(done.succeeded() ? Status.OK()
                                : Status.KO(new JsonObject().put("error",
                                        done.cause().getMessage())))))
                .register("hot-copy", READY_CHECK_TIMEOUT_MILLIS, promise -> promise.complete(
                        hotCopySettled.getAsBoolean() ? Status.OK()
                                : Status.KO(new JsonObject().put("reason",
                                        "the hot copy's generation is being rebuilt"))))
                .register("cluster", READY_CHECK_TIMEOUT_MILLIS, promise -> {
                    JsonObject state = new JsonObject(cluster.describe());
                    promise.complete(cluster.usable() ? Status.OK(state)
                            : Status.KO(state.put("reason", "fewer members than the quorum")));
                });
    }

    public void mount(Router router) {
        router.get("/metrics").handler(context -> context.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()));
        router.get("/health/live").handler(context -> context.response()
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("status", "UP").encode()));
        router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
        router.get("/ops").handler(context -> context.response()
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .sendFile("ops/index.html"));
        router.get("/ops/assets/*").handler(StaticHandler.create("ops/assets")
                .setCachingEnabled(false).setDirectoryListing(false));
        router.get("/ops/stream").handler(context -> stream(context.response()));
    }

    private void stream(HttpServerResponse response) {
        if (streams.size() >= STREAM_CLIENTS_MAX) {
            response.setStatusCode(503).putHeader("Retry-After", "5")
                    .putHeader("Content-Type", "application/problem+json")
                    .end(new JsonObject().put("type", "about:blank")
                            .put("title", "Too many dashboards").put("status", 503)
                            .put("detail", "at most " + STREAM_CLIENTS_MAX + " streams").encode());
            return;
        }
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        // The first event at once, so that a page has numbers before the first tick.
        response.write("retry: 2000\n\n" + event(sampler.snapshot()));
        streams.add(response);
        response.closeHandler(closed -> streams.remove(response));
        response.exceptionHandler(failed -> streams.remove(response));
        if (streamTimer < 0) {
            streamTimer = vertx.setPeriodic(OpsSampler.SAMPLE_MILLIS, id -> pushToStreams());
        }
    }

    private void pushToStreams() {
        if (streams.isEmpty()) {
            return;
        }
        String event = event(sampler.snapshot());
        for (HttpServerResponse response : List.copyOf(streams)) {
            if (response.writeQueueFull()) {
                // A dashboard that does not read is not buffered for: it gets the next one.
                continue;
            }
            response.write(event).onFailure(failed -> streams.remove(response));
        }
    }

    private static String event(JsonObject snapshot) {
        return "event: snapshot\ndata: " + snapshot.encode() + "\n\n";
    }

    /** Ends every stream (the node is closing). */
    public Future<Void> close() {
        if (streamTimer >= 0) {
            vertx.cancelTimer(streamTimer);
        }
        for (HttpServerResponse response : List.copyOf(streams)) {
            response.end();
        }
        streams.clear();
        return Future.succeededFuture();
    }
}
