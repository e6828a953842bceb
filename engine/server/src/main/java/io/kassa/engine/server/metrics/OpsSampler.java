package io.kassa.engine.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does the I/O behind the gauges, on the engine's timers and never on a scrape: every second it
 * probes PostgreSQL and Redis, counts the holds outstanding and renders the dashboard's
 * snapshot; every few seconds it reads what the ledger recorded since the last look (points
 * expired, coupons redeemed by template, payment intents resolved by channel and state) and
 * how many payment intents are unknown right now, through indexed reads.
 *
 * <p>The ledger-derived counters are chain-wide (any node's sales, payments and expiry runs),
 * counted from this node's start: aggregate them across nodes with {@code max}, not
 * {@code sum}.
 */
public final class OpsSampler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpsSampler.class);

    public static final long SAMPLE_MILLIS = 1_000;
    public static final long LEDGER_SAMPLE_MILLIS = 3_000;

    /** A ledger row younger than this may still belong to an open transaction: read later. */
    static final Duration LEDGER_SETTLE = Duration.ofSeconds(2);

    /** Probes and samples give up after this long (and count as down). */
    static final long PROBE_TIMEOUT_MILLIS = 2_000;

    /** The hold index of the hot copy (see redis/RedisMemberBalances). */
    static final String HOLD_INDEX_KEY = "kassa:holds";

    private static final String EXPIRED_SINCE = """
            select coalesce(sum(e.amount), 0) as points from ledger_transaction t
              join ledger_entry e using (transaction_id)
             where t.kind = 'POINTS_EXPIRY' and t.created_at > $1 and t.created_at <= $2
               and e.account like 'member/%' and e.amount > 0""";

    private static final String COUPONS_SINCE = """
            select c.template_id, count(*) as redeemed from sales_order o
              join coupon c on c.redeemed_order_id = o.order_id
             where o.committed_at > $1 and o.committed_at <= $2
             group by c.template_id""";

    private static final String INTENTS_RESOLVED_SINCE = """
            select channel, state, count(*) as intents from payment_intent
             where resolved_at > $1 and resolved_at <= $2
             group by channel, state""";

    private static final String INTENTS_UNKNOWN = """
            select count(*) as intents from payment_intent
             where state in ('unknown', 'querying')""";

    private final Vertx vertx;
    private final Pool pool;
    private final RedisAPI redis;
    private final KassaMetrics metrics;
    private final Clock clock;
    private final BooleanSupplier hotCopySettled;
    private final long sampleTimer;
    private final long ledgerTimer;
    private final Instant startedAt;
    private Instant ledgerReadUpTo;
    private volatile JsonObject snapshot = new JsonObject();
    private boolean ledgerSampling;
    private volatile boolean closed;

    public OpsSampler(Vertx vertx, Pool pool, RedisAPI redis, KassaMetrics metrics, Clock clock,
            BooleanSupplier hotCopySettled) {
        this.vertx = vertx;
        this.pool = pool;
        this.redis = redis;
        this.metrics = metrics;
        this.clock = clock;
        this.hotCopySettled = hotCopySettled;
        this.startedAt = clock.instant();
        this.ledgerReadUpTo = startedAt;
        this.sampleTimer = vertx.setPeriodic(0, SAMPLE_MILLIS, id -> sampleOnce());
        this.ledgerTimer = vertx.setPeriodic(LEDGER_SAMPLE_MILLIS, id -> sampleLedger());
    }

    /** The latest dashboard snapshot (rendered once a second). */
    public JsonObject snapshot() {
        return snapshot;
    }

    Future<Void> sampleOnce() {
        long pgStart = System.nanoTime();
        Future<Void> postgres = pool.query("select 1").execute()
                .timeout(PROBE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .andThen(done -> metrics.probe("postgres", done.succeeded(),
                        System.nanoTime() - pgStart)).mapEmpty();
        long redisStart = System.nanoTime();
        Future<Void> redisProbe = redis.zcard(HOLD_INDEX_KEY)
                .timeout(PROBE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .andThen(done -> {
                    metrics.probe("redis", done.succeeded(), System.nanoTime() - redisStart);
                    if (done.succeeded() && done.result() != null) {
                        metrics.holdsOutstanding(done.result().toLong());
                    }
                }).mapEmpty();
        return Future.join(postgres, redisProbe).transform(done -> {
            snapshot = render();
            return Future.succeededFuture();
        });
    }

    /** Reads the ledger from where the last read stopped up to a moment ago. */
    Future<Void> sampleLedger() {
        if (ledgerSampling) {
            return Future.succeededFuture();
        }
        ledgerSampling = true;
        Instant from = ledgerReadUpTo;
        Instant to = clock.instant().minus(LEDGER_SETTLE);
        if (!to.isAfter(from)) {
            ledgerSampling = false;
            return Future.succeededFuture();
        }
        Tuple range = Tuple.of(OffsetDateTime.ofInstant(from, ZoneOffset.UTC),
                OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        Future<Void> expired = pool.preparedQuery(EXPIRED_SINCE).execute(range)
                .map(rows -> {
                    metrics.pointsExpired(rows.iterator().next().getLong("points"));
                    return null;
                });
        Future<Void> coupons = pool.preparedQuery(COUPONS_SINCE).execute(range).map(rows -> {
            for (Row row : rows) {
                metrics.couponsRedeemed(row.getString("template_id"), row.getLong("redeemed"));
            }
            return null;
        });
        Future<Void> payments = pool.preparedQuery(INTENTS_RESOLVED_SINCE).execute(range)
                .map(rows -> {
                    for (Row row : rows) {
                        metrics.paymentsResolved(row.getString("channel"),
                                row.getString("state"), row.getLong("intents"));
                    }
                    return null;
                });
        Future<Void> unknown = pool.query(INTENTS_UNKNOWN).execute().map(rows -> {
            metrics.unknownIntents(rows.iterator().next().getLong("intents"));
            return null;
        });
        return Future.all(expired, coupons, payments, unknown).<Void>mapEmpty()
                .onSuccess(done -> ledgerReadUpTo = to)
                .onFailure(error -> {
                    if (!closed) {
                        log.warn("ledger sample failed", error);
                    }
                })
                .andThen(done -> ledgerSampling = false);
    }

    /** Reads the chain's ledger right now, without the settle delay (tests). */
    public Future<Void> sampleLedgerNow() {
        return sampleOnce().compose(done -> sampleLedger());
    }

    private JsonObject render() {
        var registry = metrics.registry();
        JsonObject checkouts = new JsonObject();
        JsonObject checkoutsByStore = new JsonObject();
        for (Meter meter : registry.find("kassa.checkouts").meters()) {
            double count = ((Counter) meter).count();
            String outcome = meter.getId().getTag("outcome");
            checkouts.put(outcome, checkouts.getDouble(outcome, 0.0) + count);
            if ("committed".equals(outcome) && !"none".equals(meter.getId().getTag("store"))) {
                checkoutsByStore.put(meter.getId().getTag("store"), count);
            }
        }
        JsonObject latency = new JsonObject();
        Timer committed = registry.find("kassa.checkout").tag("outcome", "committed").timer();
        if (committed != null) {
            for (ValueAtPercentile percentile : committed.takeSnapshot().percentileValues()) {
                latency.put("p" + Math.round(percentile.percentile() * 100),
                        percentile.value(TimeUnit.MILLISECONDS));
            }
        }
        JsonObject payments = byTwoTags(registry.find("kassa.payments").meters(), "channel",
                "outcome");
        JsonObject callbacks = byTwoTags(registry.find("kassa.callbacks").meters(), "channel",
                "verdict");
        JsonObject gatewayCalls = byTwoTags(registry.find("kassa.gateway.call").meters(),
                "channel", "outcome");
        JsonObject coupons = new JsonObject();
        for (Meter meter : registry.find("kassa.coupons.redeemed").meters()) {
            coupons.put(meter.getId().getTag("template"), ((Counter) meter).count());
        }
        JsonObject points = new JsonObject();
        for (Meter meter : registry.find("kassa.points").meters()) {
            points.put(meter.getId().getTag("flow"), ((Counter) meter).count());
        }
        JsonObject terminals = new JsonObject();
        metrics.terminalsConnected().forEach(terminals::put);
        DistributionSummary batches = registry.find("kassa.group.commit.batch.size").summary();
        JsonArray errors = new JsonArray();
        for (KassaMetrics.RecentError error : metrics.recentErrors()) {
            errors.add(new JsonObject().put("at", error.at().toString())
                    .put("kind", error.kind()).put("message", error.message()));
        }
        JsonObject probes = new JsonObject();
        for (String system : List.of("postgres", "redis")) {
            Gauge up = registry.find("kassa." + system + ".up").gauge();
            probes.put(system, new JsonObject()
                    .put("up", up != null && up.value() == 1)
                    .put("lastMillis", metrics.lastProbeMillis(system)));
        }
        return new JsonObject()
                .put("at", clock.instant().toString())
                .put("upSeconds", Duration.between(startedAt, clock.instant()).toSeconds())
                .put("checkouts", checkouts)
                .put("committedByStore", checkoutsByStore)
                .put("latencyMillis", latency)
                .put("payments", payments)
                .put("callbacks", callbacks)
                .put("gatewayCalls", gatewayCalls)
                .put("couponsRedeemed", coupons)
                .put("points", points)
                .put("terminals", terminals)
                .put("unknownIntents", metrics.unknownIntentsBacklog())
                .put("holdsOutstanding", metrics.holdsOutstandingNow())
                .put("groupCommit", new JsonObject()
                        .put("batches", batches == null ? 0 : batches.count())
                        .put("meanSize", batches == null ? 0 : batches.mean()))
                .put("hotCopySettled", hotCopySettled.getAsBoolean())
                .put("probes", probes)
                .put("errorsTotal", registry.find("kassa.errors").counters().stream()
                        .mapToDouble(Counter::count).sum())
                .put("errors", errors);
    }

    private static JsonObject byTwoTags(java.util.Collection<Meter> meters, String outer, String inner) {
        Map<String, JsonObject> grouped = new TreeMap<>();
        for (Meter meter : meters) {
            double count;
            if (meter instanceof Counter counter) {
                count = counter.count();
            } else if (meter instanceof FunctionCounter counter) {
                count = counter.count();
            } else if (meter instanceof Timer timer) {
                count = timer.count();
            } else {
                continue;
            }
            grouped.computeIfAbsent(meter.getId().getTag(outer), key -> new JsonObject())
                    .put(meter.getId().getTag(inner), count);
        }
        JsonObject result = new JsonObject();
        grouped.forEach(result::put);
        return result;
    }

    @Override
    public void close() {
        closed = true;
        vertx.cancelTimer(sampleTimer);
        vertx.cancelTimer(ledgerTimer);
    }
}
