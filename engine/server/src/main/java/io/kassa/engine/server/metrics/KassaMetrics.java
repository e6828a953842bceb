package io.kassa.engine.server.metrics;

import io.kassa.engine.server.checkout.CheckoutMetrics;
import io.kassa.engine.server.checkout.CheckoutOutcome;
import io.kassa.engine.server.checkout.CommittedSale;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.gateways.GatewayMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The engine's meters, in one Prometheus registry that Vert.x's own metrics (HTTP, TCP, pools,
 * event bus) share. Names follow Prometheus conventions once Micrometer renders them: a counter
 * {@code kassa.checkouts} is scraped as {@code kassa_checkouts_total}, a timer
 * {@code kassa.checkout} as {@code kassa_checkout_seconds}.
 *
 * <p>Receives the orchestration's reports ({@link CheckoutMetrics}) and the channel adapters'
 * ({@link GatewayMetrics}); gauges that need I/O (holds outstanding, the PostgreSQL and Redis
 * probes) are set by {@link OpsSampler}, never computed on a scrape.
 */
public final class KassaMetrics implements CheckoutMetrics, GatewayMetrics, AutoCloseable {

    private static final org.slf4j.Logger log =
            org.slf4j.LoggerFactory.getLogger(KassaMetrics.class);

    /** Most recent errors kept for the dashboard. */
    public static final int RECENT_ERRORS_MAX = 20;

    /** Longest error message kept (the dashboard shows one line). */
    static final int ERROR_MESSAGE_CHARS_MAX = 200;

    private final PrometheusMeterRegistry registry;
    private final Map<String, AtomicLong> terminalsByStore = new ConcurrentHashMap<>();
    private final AtomicLong holdsOutstanding = new AtomicLong();
    private final AtomicLong reconcilerDifferences = new AtomicLong();
    private final AtomicLong unknownIntents = new AtomicLong();
    private final AtomicLong postgresUp = new AtomicLong();
    private final AtomicLong redisUp = new AtomicLong();
    private final Map<String, Long> lastProbeNanos = new ConcurrentHashMap<>();
    private final ArrayDeque<RecentError> recentErrors = new ArrayDeque<>();
    private final Counter checkoutErrors;
    /*
     * Meters of the sale path, looked up once: registering a meter again on every quote and
     * checkout (building its id, sorting its tags, hashing them) cost a few percent of the
     * engine's CPU under load.
     */
    private final Timer quotesAnswered;
    private final Timer quotesFailed;
    private final Counter pointsIssued;
    private final Counter pointsRedeemed;
    private final Map<String, Timer> checkoutTimers = new ConcurrentHashMap<>();
    /** Keyed by outcome and store, joined by a character neither can contain. */
    private final Map<String, Counter> checkoutCounters = new ConcurrentHashMap<>();

    /** One line of the dashboard's "recent errors". */
    public record RecentError(Instant at, String kind, String message) {
    }

    private KassaMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("kassa.holds.outstanding", holdsOutstanding, AtomicLong::get)
                .description("Holds in the hot copy's index (sales in flight or abandoned)")
                .register(registry);
        Gauge.builder("kassa.reconciler.differences", reconcilerDifferences, AtomicLong::get)
                .description("Differences between hot copy and ledger at the last reconcile")
                .register(registry);
        Gauge.builder("kassa.payment.intents.unknown", unknownIntents, AtomicLong::get)
                .description("Payment intents whose result is still unknown (janitor backlog)")
                .register(registry);
        Gauge.builder("kassa.postgres.up", postgresUp, AtomicLong::get)
                .description("1 when the last PostgreSQL probe answered").register(registry);
        Gauge.builder("kassa.redis.up", redisUp, AtomicLong::get)
                .description("1 when the last Redis probe answered").register(registry);
        this.checkoutErrors = Counter.builder("kassa.checkout.errors")
                .description("Checkouts that failed with an operating failure")
                .register(registry);
        for (String flow : List.of("issued", "redeemed", "expired", "adjusted")) {
            points(flow);
        }
        this.pointsIssued = points("issued");
        this.pointsRedeemed = points("redeemed");
        this.quotesAnswered = quoteTimer("answered");
        this.quotesFailed = quoteTimer("failed");
        // Present from the start, so that dashboards and alerts see a zero, not a gap.
        Counter.builder("kassa.checkouts").tags("outcome", "committed", "store", "none")
                .description("Checkouts by outcome and store").register(registry);
        DistributionSummary.builder("kassa.group.commit.batch.size")
                .description("Items written per group-commit transaction")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(registry);
    }

    /**
     * A registry for one engine node. It is also added to Micrometer's global registry, where
     * the ledger's group committer records batch sizes; {@link #close} removes it again.
     */
    public static KassaMetrics create() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics.addRegistry(registry);
        return new KassaMetrics(registry);
    }

    /** Vert.x's own metrics (HTTP server and client, TCP, pools) into the same registry. */
    public VertxBuilder configure(VertxBuilder builder, VertxOptions options) {
        options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                .setJvmMetricsEnabled(true));
        return builder.with(options).withMetrics(new MicrometerMetricsFactory(registry));
    }

    /** Starts counting this node's terminal sessions (see {@link TerminalEvents}). */
    public void attach(Vertx vertx) {
        vertx.eventBus().<String>localConsumer(TerminalEvents.CONNECTED,
                message -> terminals(message.body()).incrementAndGet());
        vertx.eventBus().<String>localConsumer(TerminalEvents.DISCONNECTED,
                message -> terminals(message.body()).decrementAndGet());
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void checkoutFinished(SaleKey sale, AsyncResult<CheckoutOutcome> result,
            long elapsedNanos) {
        String storeId = sale.storeId();
        String outcome;
        if (result.failed()) {
            outcome = "failed";
            checkoutErrors.increment();
            log.warn("checkout failed after {} ms: {} {} {} {}",
                    TimeUnit.NANOSECONDS.toMillis(elapsedNanos), LogFields.store(storeId),
                    LogFields.terminal(sale.terminalId()), LogFields.sale(sale.saleId()),
                    result.cause().toString());
            error("checkout", storeId + ": " + result.cause().getClass().getSimpleName() + ": "
                    + result.cause().getMessage());
        } else {
            CheckoutOutcome value = result.result();
            outcome = outcomeOf(value);
            if (value instanceof CheckoutOutcome.Committed committed && !committed.replayed()) {
                CommittedSale recorded = committed.sale();
                if (recorded.pointsEarned() > 0) {
                    pointsIssued.increment(recorded.pointsEarned());
                }
                if (recorded.pointsRedeemed() > 0) {
                    pointsRedeemed.increment(recorded.pointsRedeemed());
                }
            } else if (value instanceof CheckoutOutcome.Rejected rejected) {
                error("rejected", storeId + ": " + rejected.rejection().code() + " "
                        + rejected.rejection().explanation());
            }
        }
        String finished = outcome;
        checkoutCounters.computeIfAbsent(outcome + '\n' + storeId, key -> Counter
                .builder("kassa.checkouts").tags("outcome", finished, "store", storeId)
                .description("Checkouts by outcome and store").register(registry)).increment();
        checkoutTimers.computeIfAbsent(outcome, this::checkoutTimer)
                .record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    /** A builder of its own per outcome: a shared builder's tags would race between loops. */
    private Timer checkoutTimer(String outcome) {
        return Timer.builder("kassa.checkout").tags("outcome", outcome)
                .description("Checkout latency at the orchestration, by outcome")
                .publishPercentileHistogram()
                .publishPercentiles(0.5, 0.9, 0.99)
                .distributionStatisticExpiry(Duration.ofSeconds(30))
                .distributionStatisticBufferLength(3)
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }

    /**
     * The outcome label: committed or replayed, else the outcome's type in snake case
     * (rejected, conflict, abandoned, payment_pending, ...), so that outcomes added to the
     * sealed interface are counted under their own name without a change here.
     */
    static String outcomeOf(CheckoutOutcome outcome) {
        if (outcome instanceof CheckoutOutcome.Committed committed) {
            return committed.replayed() ? "replayed" : "committed";
        }
        return outcome.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2")
                .toLowerCase(Locale.ROOT);
    }

    @Override
    public void quoteFinished(String storeId, boolean succeeded, long elapsedNanos) {
        (succeeded ? quotesAnswered : quotesFailed).record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    private Timer quoteTimer(String outcome) {
        return Timer.builder("kassa.quote").tags("outcome", outcome)
                .description("Quote latency at the orchestration")
                .publishPercentileHistogram().register(registry);
    }

    /** Payments resolved by channel and final state, as the intent sampler found them. */
    public void paymentsResolved(String channel, String state, long count) {
        Counter.builder("kassa.payments").tags("channel", channel, "outcome", state)
                .description("Payments by channel and outcome").register(registry)
                .increment(count);
        if ("reversed".equals(state) || "refunded".equals(state)) {
            Counter.builder("kassa.payments.reversed").tags("channel", channel, "reason", state)
                    .description("Payments reversed or cancelled").register(registry)
                    .increment(count);
        }
    }

    @Override
    public void reconcilerDifferences(int differences) {
        reconcilerDifferences.set(differences);
        if (differences > 0) {
            error("reconciler", differences + " differences between the hot copy and ledger");
        }
    }

    @Override
    public void holdsReleasedByJanitor(int released) {
        Counter.builder("kassa.holds.released").description("Overdue holds fenced and released")
                .register(registry).increment(released);
    }

    @Override
    public void lotsExpired(int lots) {
        Counter.builder("kassa.points.lots.expired").description("Points lots expired")
                .register(registry).increment(lots);
    }

    /** Points moved by the admin API (adjustments, registration bonuses). */
    public void pointsAdjusted(long points) {
        points("adjusted").increment(Math.abs(points));
    }

    /**
     * A unit of a limited offer's chain-wide quota taken by an exchange this node made. The
     * offers are the chain's configured ones, so the tag's values are few.
     */
    public void quotaTaken(String offerId) {
        Counter.builder("kassa.quota.taken").tags("offer", offerId)
                .description("Units of limited offers' quotas taken by exchanges")
                .register(registry).increment();
    }

    /** An exchange of a limited offer refused as sold out by this node. */
    public void quotaRefused(String offerId) {
        Counter.builder("kassa.quota.refused").tags("offer", offerId)
                .description("Exchanges of limited offers refused as sold out")
                .register(registry).increment();
    }

    /**
     * A red packet created by this node: counted, and its amount in fen (the coupons its
     * shares may become).
     */
    public void redPacketCreated(long amountFen) {
        Counter.builder("kassa.red.packets.created")
                .description("Split red packets created").register(registry).increment();
        Counter.builder("kassa.red.packets.created.fen")
                .description("Fen put into split red packets (their shares' coupons)")
                .register(registry).increment(amountFen);
    }

    /**
     * An opening of a red packet answered by this node: {@code opened} (a share taken, worth
     * {@code shareFen}), {@code replayed} (the member's share again), {@code empty} or
     * {@code expired}.
     */
    public void redPacketOpening(String outcome, long shareFen) {
        Counter.builder("kassa.red.packet.openings").tags("outcome", outcome)
                .description("Openings of split red packets by outcome")
                .register(registry).increment();
        if (shareFen > 0) {
            Counter.builder("kassa.red.packet.opened.fen")
                    .description("Fen of red-packet shares taken (issued as coupons)")
                    .register(registry).increment(shareFen);
        }
    }

    /** Points expired, as the ledger sampler found them. */
    public void pointsExpired(long points) {
        if (points > 0) {
            points("expired").increment(points);
        }
    }

    /** Coupons redeemed, as the ledger sampler found them. */
    public void couponsRedeemed(String templateId, long count) {
        Counter.builder("kassa.coupons.redeemed").tags("template", templateId)
                .description("Coupons redeemed by template").register(registry)
                .increment(count);
    }

    /**
     * The latency of a payment from intent to final answer. The count by outcome is
     * {@code kassa_payments_total}, read from PostgreSQL by the sampler, not counted here.
     */
    @Override
    public void paymentFinished(String channel, String outcome, long elapsedNanos) {
        Timer.builder("kassa.payment").tags("channel", channel, "outcome", outcome)
                .description("Payment latency from intent to final answer")
                .publishPercentileHistogram().register(registry)
                .record(elapsedNanos, TimeUnit.NANOSECONDS);
        if (!"paid".equals(outcome) && !"succeeded".equals(outcome)) {
            error("payment", channel + ": " + outcome);
        }
    }

    @Override
    public void userPaying(String channel) {
        Counter.builder("kassa.payments.userpaying").tags("channel", channel)
                .description("Payments that answered 'user is paying'").register(registry)
                .increment();
    }

    @Override
    public void paymentReversed(String channel, String reason) {
        Counter.builder("kassa.payments.reversed").tags("channel", channel, "reason", reason)
                .description("Payments reversed or cancelled").register(registry).increment();
    }

    @Override
    public void unknownIntents(long backlog) {
        unknownIntents.set(backlog);
    }

    @Override
    public void callbackLag(String channel, long lagMillis) {
        Timer.builder("kassa.callback.lag").tags("channel", channel)
                .description("Time from a channel sending a notification to its arrival")
                .register(registry).record(Math.max(0, lagMillis), TimeUnit.MILLISECONDS);
    }

    @Override
    public void callFinished(String channel, String outcome, long elapsedNanos) {
        Timer.builder("kassa.gateway.call").tags("channel", channel, "outcome", outcome)
                .description("HTTP calls to payment gateways").publishPercentileHistogram()
                .register(registry).record(elapsedNanos, TimeUnit.NANOSECONDS);
        if (!"answered".equals(outcome)) {
            error("gateway", channel + ": " + outcome);
        }
    }

    /** A callback counter kept elsewhere (the callback routes), exposed by channel/verdict. */
    public <T> void callbackCounter(String channel, String verdict, T source,
            ToDoubleFunction<T> count) {
        FunctionCounter.builder("kassa.callbacks", source, count)
                .tags(Tags.of("channel", channel, "verdict", verdict))
                .description("Gateway callbacks by channel and verdict").register(registry);
    }

    /** A gauge whose value is read from {@code source} on every scrape (cheap reads only). */
    public <T> void gauge(String name, Tags tags, T source, ToDoubleFunction<T> value,
            String description) {
        Gauge.builder(name, source, value).tags(tags).description(description)
                .register(registry);
    }

    /** Latency of a probe of an outside system (PostgreSQL, Redis). */
    public void probe(String system, boolean up, long elapsedNanos) {
        (system.equals("postgres") ? postgresUp : redisUp).set(up ? 1 : 0);
        lastProbeNanos.put(system, elapsedNanos);
        Timer.builder("kassa." + system + ".probe").description("Round trip of a trivial "
                        + system + " command, every second")
                .publishPercentileHistogram().register(registry)
                .record(elapsedNanos, TimeUnit.NANOSECONDS);
        if (!up) {
            error(system, system + " did not answer the probe");
        }
    }

    /** How long the last probe of {@code system} took, in milliseconds (0 before any). */
    public double lastProbeMillis(String system) {
        return lastProbeNanos.getOrDefault(system, 0L) / 1e6;
    }

    public void holdsOutstanding(long holds) {
        holdsOutstanding.set(holds);
    }

    /** Connected terminals per store on this node. */
    public Map<String, Long> terminalsConnected() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        terminalsByStore.forEach((store, count) -> copy.put(store, count.get()));
        return copy;
    }

    public long unknownIntentsBacklog() {
        return unknownIntents.get();
    }

    public long holdsOutstandingNow() {
        return holdsOutstanding.get();
    }

    /** Records an error for the dashboard's list (bounded; the oldest goes first). */
    public void error(String kind, String message) {
        String line = message == null ? "" : message.replace('\n', ' ');
        if (line.length() > ERROR_MESSAGE_CHARS_MAX) {
            line = line.substring(0, ERROR_MESSAGE_CHARS_MAX) + "…";
        }
        synchronized (recentErrors) {
            if (recentErrors.size() == RECENT_ERRORS_MAX) {
                recentErrors.pollFirst();
            }
            recentErrors.addLast(new RecentError(Instant.now(), kind, line));
        }
        Counter.builder("kassa.errors").tags("kind", kind)
                .description("Errors shown on the dashboard, by kind").register(registry)
                .increment();
    }

    /** The recent errors, oldest first. */
    public List<RecentError> recentErrors() {
        synchronized (recentErrors) {
            return new ArrayList<>(recentErrors);
        }
    }

    private Counter points(String flow) {
        return Counter.builder("kassa.points").tags("flow", flow)
                .description("Points moved, by flow").register(registry);
    }

    private AtomicLong terminals(String storeId) {
        return terminalsByStore.computeIfAbsent(storeId, store -> {
            AtomicLong count = new AtomicLong();
            Gauge.builder("kassa.terminals.connected", count, AtomicLong::get)
                    .tags("store", store).description("Terminals connected to this node")
                    .register(registry);
            return count;
        });
    }

    @Override
    public void close() {
        Metrics.removeRegistry(registry);
        registry.close();
    }
}
