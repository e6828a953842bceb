package io.kassa.engine.server;

import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.server.checkout.CheckoutMetrics;
import io.kassa.engine.server.checkout.CheckoutService;
import io.kassa.engine.server.checkout.HoldJanitor;
import io.kassa.engine.server.checkout.HotCopy;
import io.kassa.engine.server.checkout.OutboxRelay;
import io.kassa.engine.server.checkout.PointsExpiryJob;
import io.kassa.engine.server.checkout.Reconciler;
import io.kassa.engine.server.postgres.PgGenerationFence;
import io.kassa.engine.server.postgres.PgMemberDirectory;
import io.kassa.engine.server.postgres.PgOutbox;
import io.kassa.engine.server.postgres.PgPointsExpiry;
import io.kassa.engine.server.postgres.PgSalesLedger;
import io.kassa.engine.server.redis.RedisMemberBalances;
import io.kassa.engine.server.rules.ChainRulesSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkout and everything it stands on, wired: the chain's rules, the PostgreSQL ledger
 * with group commit, the Redis hot copy of member balances with its generation watch, the
 * outbox and its relay. Background duties run on timers of the engine's Vert.x.
 */
public final class CheckoutAssembly {

    private static final Logger log = LoggerFactory.getLogger(CheckoutAssembly.class);

    /** How often the hot copy's generation is checked (a lost Redis is noticed this fast). */
    public static final long GENERATION_CHECK_MILLIS = 500;

    /** How often the outbox relay looks for effects the hot copy has not applied. */
    public static final long OUTBOX_RELAY_MILLIS = 1_000;

    /** How often overdue holds are fenced and released. */
    public static final long HOLD_JANITOR_MILLIS = 5_000;

    /** How often the points duties run (each run is idempotent for its day). */
    public static final long POINTS_EXPIRY_MILLIS = 60 * 60_000;

    /** How often the hot copy is compared with the ledger, member by member. */
    public static final long RECONCILE_MILLIS = 15 * 60_000;

    private final Vertx vertx;
    private final Supplier<ChainRules> rules;
    private final CheckoutService checkout;
    private final PgSalesLedger ledger;
    private final RedisMemberBalances balances;
    private final HotCopy hotCopy;
    private final PgOutbox outbox;
    private final OutboxRelay relay;
    private final HoldJanitor janitor;
    private final Reconciler reconciler;
    private final long generationTimer;
    private final long relayTimer;
    private final long janitorTimer;
    private final long reconcileTimer;
    private final PointsExpiryJob expiryJob;
    private final long expiryTimer;

    private CheckoutAssembly(Vertx vertx, Supplier<ChainRules> rules, Pool pool, Redis redis,
            Clock clock, CheckoutMetrics metrics) {
        this.vertx = vertx;
        this.rules = rules;
        this.ledger = new PgSalesLedger(vertx, pool, clock,
                PgSalesLedger.GroupCommitOptions.DEFAULTS);
        this.balances = new RedisMemberBalances(redis);
        PgMemberDirectory directory = new PgMemberDirectory(pool);
        this.hotCopy = new HotCopy(balances, directory, new PgGenerationFence(pool));
        this.outbox = new PgOutbox(vertx, pool);
        this.relay = new OutboxRelay(outbox, balances, hotCopy);
        this.checkout = new CheckoutService(rules, ledger, hotCopy, directory, balances, outbox,
                clock);
        checkout.instrument(metrics);
        this.generationTimer = vertx.setPeriodic(GENERATION_CHECK_MILLIS, id -> hotCopy.check()
                .onFailure(error -> log.warn("hot copy generation check failed", error)));
        this.relayTimer = vertx.setPeriodic(OUTBOX_RELAY_MILLIS, id -> relay
                .relayOnce(OutboxRelay.GRACE)
                .onFailure(error -> log.warn("outbox relay failed", error)));
        this.janitor = new HoldJanitor(balances, ledger, clock);
        this.janitorTimer = vertx.setPeriodic(HOLD_JANITOR_MILLIS, id -> janitor.sweepOnce()
                .onSuccess(metrics::holdsReleasedByJanitor)
                .onFailure(error -> log.warn("hold janitor failed", error)));
        this.expiryJob = new PointsExpiryJob(new PgPointsExpiry(pool, clock), relay, rules, clock);
        this.expiryTimer = vertx.setPeriodic(POINTS_EXPIRY_MILLIS, id -> expiryJob
                .runOnce(expiryJob.today())
                .onSuccess(expired -> log.info("points expiry: {} lots expired", expired))
                .onSuccess(metrics::lotsExpired)
                .onFailure(error -> log.warn("points expiry failed", error)));
        this.reconciler = new Reconciler(balances, directory);
        this.reconcileTimer = vertx.setPeriodic(RECONCILE_MILLIS, id -> reconciler
                .reconcileAll()
                .onSuccess(differences -> {
                    metrics.reconcilerDifferences(differences.size());
                    if (!differences.isEmpty()) {
                        log.error("reconciler: {} differences between Redis and the ledger,"
                                + " first: {}", differences.size(), differences.get(0));
                    }
                })
                .onFailure(error -> log.warn("reconciler failed", error)));
    }

    /** Wires everything and completes once the hot copy's generation is settled. */
    public static Future<CheckoutAssembly> start(Vertx vertx, Pool pool, Redis redis,
            Clock clock) {
        return start(vertx, pool, redis, clock, CheckoutMetrics.NONE);
    }

    /**
     * As above, reporting checkouts and background duties to {@code metrics}, with the rules
     * of KASSA_RULES_FILE (or the demo chain) fixed for the assembly's life.
     */
    public static Future<CheckoutAssembly> start(Vertx vertx, Pool pool, Redis redis,
            Clock clock, CheckoutMetrics metrics) {
        ChainRules fixed = ChainRulesSource.fromEnvironment(System.getenv());
        return start(vertx, pool, redis, clock, metrics, () -> fixed);
    }

    /** As above, pricing with whatever version of the rules {@code rules} holds. */
    public static Future<CheckoutAssembly> start(Vertx vertx, Pool pool, Redis redis,
            Clock clock, CheckoutMetrics metrics, Supplier<ChainRules> rules) {
        CheckoutAssembly assembly =
                new CheckoutAssembly(vertx, rules, pool, redis, clock, metrics);
        return assembly.hotCopy.check().map(ready -> assembly);
    }

    /** The chain's rules the checkout prices with now (stores, templates, points rules). */
    public ChainRules rules() {
        return rules.get();
    }

    public CheckoutService checkout() {
        return checkout;
    }

    public PgSalesLedger ledger() {
        return ledger;
    }

    public HotCopy hotCopy() {
        return hotCopy;
    }

    /** The outbox the checkout marks applied effects in. */
    public io.kassa.engine.server.checkout.Outbox outbox() {
        return outbox;
    }

    public OutboxRelay relay() {
        return relay;
    }

    public RedisMemberBalances balances() {
        return balances;
    }

    public Reconciler reconciler() {
        return reconciler;
    }

    public void close() {
        vertx.cancelTimer(generationTimer);
        vertx.cancelTimer(relayTimer);
        vertx.cancelTimer(janitorTimer);
        vertx.cancelTimer(reconcileTimer);
        vertx.cancelTimer(expiryTimer);
        outbox.close(vertx);
    }
}
