package io.kassa.engine.server;

import io.kassa.engine.core.channel.PaymentCodeRouter;
import io.kassa.engine.server.checkout.CheckoutService;
import io.kassa.engine.server.checkout.PaymentJanitor;
import io.kassa.engine.server.checkout.PaymentNotifications;
import io.kassa.engine.server.checkout.PaymentOrchestrator;
import io.kassa.engine.server.checkout.PaymentUpdates;
import io.kassa.engine.server.checkout.SalesLedger;
import io.kassa.engine.server.gateways.ChannelSettings;
import io.kassa.engine.server.http.PaymentEdges;
import io.kassa.engine.server.postgres.PgPaymentIntents;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channel payments wired (ADR 0008): the durable intents, the orchestration over the payment
 * edges' channels, the checkout's scanned-code tenders, the notification sink replacing the
 * recording stand-in, and the payment janitor on a timer.
 */
public final class PaymentAssembly {

    private static final Logger log = LoggerFactory.getLogger(PaymentAssembly.class);

    /** How often intents nobody owns any more are looked for. */
    public static final long PAYMENT_JANITOR_MILLIS = 5_000;

    /** How long a checkout request is held open before it is answered "payment pending". */
    public static final Duration ANSWER_WITHIN = Duration.ofSeconds(20);

    /**
     * {@link #ANSWER_WITHIN}, or KASSA_CHECKOUT_ANSWER_WITHIN_MILLIS (100..60000) where a
     * deployment wants terminals told sooner.
     */
    static Duration answerWithin(java.util.Map<String, String> environment) {
        String value = environment.get("KASSA_CHECKOUT_ANSWER_WITHIN_MILLIS");
        if (value == null || value.isBlank()) {
            return ANSWER_WITHIN;
        }
        long millis;
        try {
            millis = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "KASSA_CHECKOUT_ANSWER_WITHIN_MILLIS must be an integer: " + value, e);
        }
        if (millis < 100 || millis > 60_000) {
            throw new IllegalArgumentException(
                    "KASSA_CHECKOUT_ANSWER_WITHIN_MILLIS must be 100..60000: " + millis);
        }
        return Duration.ofMillis(millis);
    }

    private final Vertx vertx;
    private final PaymentOrchestrator orchestrator;
    private final PaymentJanitor janitor;
    private final long janitorTimer;

    private PaymentAssembly(Vertx vertx, PaymentOrchestrator orchestrator,
            PaymentJanitor janitor, long janitorTimer) {
        this.vertx = vertx;
        this.orchestrator = orchestrator;
        this.janitor = janitor;
        this.janitorTimer = janitorTimer;
    }

    public static PaymentAssembly start(Vertx vertx, Pool pool, CheckoutService checkout,
            SalesLedger ledger, PaymentEdges edges, PaymentUpdates updates,
            ChannelSettings settings, String nodeId, Clock clock) {
        PgPaymentIntents intents = new PgPaymentIntents(pool, clock);
        PaymentOrchestrator orchestrator = new PaymentOrchestrator(vertx, intents,
                edges.channels()::channel, settings.timings(), PaymentCodeRouter.defaults(),
                clock, PaymentOrchestrator.Options.defaults(nodeId));
        checkout.enablePayments(orchestrator, updates, answerWithin(System.getenv()));
        edges.attach(new PaymentNotifications(intents, orchestrator, edges.recorder()));
        PaymentJanitor janitor =
                new PaymentJanitor(intents, orchestrator, ledger, updates, clock, nodeId);
        long timer = vertx.setPeriodic(PAYMENT_JANITOR_MILLIS, id -> janitor.sweepOnce()
                .onSuccess(taken -> {
                    if (taken > 0) {
                        log.info("payment janitor resolved {} intents", taken);
                    }
                })
                .onFailure(error -> log.warn("payment janitor failed", error)));
        return new PaymentAssembly(vertx, orchestrator, janitor, timer);
    }

    public PaymentOrchestrator orchestrator() {
        return orchestrator;
    }

    public PaymentJanitor janitor() {
        return janitor;
    }

    public void close() {
        vertx.cancelTimer(janitorTimer);
    }
}
