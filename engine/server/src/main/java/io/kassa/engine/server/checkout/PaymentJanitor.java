package io.kassa.engine.server.checkout;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves payment intents nobody is working on: still open (created, sent, unknown,
 * querying, reversing) or captured without a committed sale, after their owner's lease ran
 * out — the orchestration's node died, the terminal gave up, or a reverse went unanswered.
 *
 * <p>It takes them one at a time ({@code FOR UPDATE SKIP LOCKED} on the lease, so nodes share
 * the work and never work on one intent together) and never guesses: it first fences the
 * intent's sale, so that the sale can no longer commit, then gives the money back through the
 * channel (reverse, or refund when the reverse is refused) and records what the channel
 * answered. A sale whose payment turns out paid after its terminal gave up therefore ends
 * refunded, never half-committed (ADR 0008). A reverse left unanswered keeps the intent
 * REVERSING and due again after {@link #RETRY_AFTER}.
 */
public final class PaymentJanitor {

    private static final Logger log = LoggerFactory.getLogger(PaymentJanitor.class);

    /** Most intents resolved by one sweep, so that one sweep's length is bounded. */
    public static final int INTENTS_PER_SWEEP_MAX = 64;

    /** How long a claimed intent stays this janitor's before another may take it. */
    public static final Duration LEASE = Duration.ofMinutes(2);

    /** How soon an intent whose give-back went unanswered is tried again. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final PaymentIntents intents;
    private final PaymentOrchestrator orchestrator;
    private final SalesLedger ledger;
    private final PaymentUpdates updates;
    private final Clock clock;
    private final String owner;

    public PaymentJanitor(PaymentIntents intents, PaymentOrchestrator orchestrator,
            SalesLedger ledger, PaymentUpdates updates, Clock clock, String owner) {
        this.intents = Objects.requireNonNull(intents, "intents");
        this.orchestrator = Objects.requireNonNull(orchestrator, "orchestrator");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.updates = Objects.requireNonNull(updates, "updates");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** Resolves overdue intents one after another; completes with how many it took. */
    public Future<Integer> sweepOnce() {
        return sweep(0);
    }

    private Future<Integer> sweep(int taken) {
        if (taken >= INTENTS_PER_SWEEP_MAX) {
            return Future.succeededFuture(taken);
        }
        return intents.claimOverdue(owner, clock.instant(), LEASE).compose(claimed -> {
            if (claimed.isEmpty()) {
                return Future.succeededFuture(taken);
            }
            return resolve(claimed.get())
                    .recover(error -> {
                        log.warn("payment janitor: intent {} not resolved this time",
                                claimed.get().outTradeNo(), error);
                        return Future.succeededFuture();
                    })
                    .compose(done -> sweep(taken + 1));
        });
    }

    /** Fence the sale, then give the money back; the sale is never committed from here. */
    private Future<Void> resolve(PaymentIntent intent) {
        return ledger.fence(intent.sale()).compose(fenced -> {
            if (!fenced) {
                // The sale committed (it claims its own intents in the same transaction):
                // either with this intent, while the janitor waited on the fence (then the
                // give-back below finds it claimed and leaves it), or without it, as an extra
                // attempt whose money goes back too.
                log.warn("intent {} was overdue but its sale {} has committed",
                        intent.outTradeNo(), intent.sale());
            }
            return orchestrator.continueGivingBack(intent)
                    .compose(after -> afterGivingBack(after, fenced));
        });
    }

    private Future<Void> afterGivingBack(PaymentIntent after, boolean fenced) {
        if (after.state() == IntentState.REVERSING) {
            return intents.transition(after.outTradeNo(),
                    java.util.EnumSet.of(IntentState.REVERSING),
                    PaymentIntents.Transition.to(IntentState.REVERSING)
                            .leaseUntil(clock.instant().plus(RETRY_AFTER))).mapEmpty();
        }
        log.info("payment janitor: intent {} of sale {} ended {}", after.outTradeNo(),
                after.sale(), after.state());
        if (!fenced) {
            // The sale committed: its terminal was (or will be, on a resend) told so. A
            // "payment failed" push now would tell the till to take the money again.
            return Future.succeededFuture();
        }
        updates.saleResolved(after.sale(), new CheckoutOutcome.PaymentFailed(after.sale(),
                new PaymentFailure(PaymentFailure.Reason.NOT_CONFIRMED, "the payment of"
                        + " sale '" + after.sale().saleId() + "' was not completed and"
                        + " has been " + describe(after) + "; start a new sale")));
        return Future.succeededFuture();
    }

    private static String describe(PaymentIntent intent) {
        switch (intent.state()) {
            case REFUNDED:
                return "refunded";
            case REVERSED:
                return intent.moneyReturned() ? "reversed (money returned)" : "closed unpaid";
            default:
                return "closed (" + intent.state().sql() + ")";
        }
    }
}
