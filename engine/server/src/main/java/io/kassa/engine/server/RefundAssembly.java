package io.kassa.engine.server;

import io.kassa.engine.server.checkout.RefundJanitor;
import io.kassa.engine.server.checkout.SaleRefunds;
import io.kassa.engine.server.gateways.PaymentChannels;
import io.kassa.engine.server.postgres.PgOutbox;
import io.kassa.engine.server.postgres.PgSaleRefunds;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refunds wired: the refund service over PostgreSQL, the hot copy and the payment channels,
 * enabled on the checkout (and so on the terminal protocol), and its janitor on a timer.
 */
public final class RefundAssembly {

    private static final Logger log = LoggerFactory.getLogger(RefundAssembly.class);

    /** How often stale refunds and unanswered channel refunds are looked for. */
    public static final long REFUND_JANITOR_MILLIS = 10_000;

    /** How long a refund request waits for the channels' answers. */
    public static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final SaleRefunds refunds;
    private final PgOutbox outbox;
    private final long janitorTimer;

    private RefundAssembly(Vertx vertx, SaleRefunds refunds, PgOutbox outbox,
            long janitorTimer) {
        this.vertx = vertx;
        this.refunds = refunds;
        this.outbox = outbox;
        this.janitorTimer = janitorTimer;
    }

    public static RefundAssembly start(Vertx vertx, Pool pool, CheckoutAssembly checkout,
            PaymentChannels channels, Clock clock) {
        PgOutbox outbox = new PgOutbox(vertx, pool);
        SaleRefunds refunds = new SaleRefunds(vertx, checkout::rules, new PgSaleRefunds(pool),
                checkout.hotCopy(), checkout.balances(), checkout.balances(), outbox,
                channels::channel, clock, ANSWER_WITHIN);
        checkout.checkout().enableRefunds(refunds);
        RefundJanitor janitor = new RefundJanitor(refunds, checkout.balances(), clock);
        long timer = vertx.setPeriodic(REFUND_JANITOR_MILLIS, id -> janitor.sweepOnce()
                .onSuccess(sweep -> {
                    if (sweep.abandoned() > 0 || sweep.channelRefundsAsked() > 0) {
                        log.info("refund janitor: {} refunds abandoned, {} channel refunds"
                                + " asked again", sweep.abandoned(), sweep.channelRefundsAsked());
                    }
                })
                .onFailure(error -> log.warn("refund janitor failed", error)));
        return new RefundAssembly(vertx, refunds, outbox, timer);
    }

    public SaleRefunds refunds() {
        return refunds;
    }

    public void close() {
        vertx.cancelTimer(janitorTimer);
        outbox.close(vertx);
    }
}
