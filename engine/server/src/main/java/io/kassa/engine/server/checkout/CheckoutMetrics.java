package io.kassa.engine.server.checkout;

import io.vertx.core.AsyncResult;

/**
 * Where the orchestration reports what operations watch: checkouts by outcome and latency,
 * background duties' findings. A port like the others, so that this package knows no metrics
 * library; {@link #NONE} is the default and what tests without metrics use.
 *
 * <p>Hooks for the payment intent state machine (payments by channel and outcome, USERPAYING
 * waits, the unknown-intents backlog, reverses, callback lag) are declared here already, with
 * no-op defaults, so that the orchestration can call them as it lands and the dashboard and
 * {@code /metrics} pick them up without further wiring.
 */
public interface CheckoutMetrics {

    /** Reports nothing. */
    CheckoutMetrics NONE = new CheckoutMetrics() {
    };

    /**
     * One checkout finished (or failed as an operating failure), {@code elapsedNanos} after it
     * began at the orchestration.
     */
    default void checkoutFinished(SaleKey sale, AsyncResult<CheckoutOutcome> result,
            long elapsedNanos) {
    }

    /** One quote answered (or failed as an operating failure) after {@code elapsedNanos}. */
    default void quoteFinished(String storeId, boolean succeeded, long elapsedNanos) {
    }

    /** The reconciler compared the hot copy with the ledger and found this many differences. */
    default void reconcilerDifferences(int differences) {
    }

    /** The hold janitor fenced and released this many overdue holds in one sweep. */
    default void holdsReleasedByJanitor(int released) {
    }

    /** The expiry job expired this many lots. */
    default void lotsExpired(int lots) {
    }

    /**
     * A payment on {@code channel} ended with {@code outcome} ({@code paid}, or the failure's
     * reason) {@code elapsedNanos} after it began. Latency only: payments are counted by
     * outcome from PostgreSQL's intents (kassa_payments_total).
     */
    default void paymentFinished(String channel, String outcome, long elapsedNanos) {
    }

    /** A scanned-code payment answered "user is paying" and is now being queried. */
    default void userPaying(String channel) {
    }

    /** A payment was reversed or cancelled on {@code channel} (timeout, failed order). */
    default void paymentReversed(String channel, String reason) {
    }

    /** Intents whose result is still unknown right now (the janitor's backlog). */
    default void unknownIntents(long backlog) {
    }

    /** A channel's callback arrived {@code lagMillis} after the channel says it sent it. */
    default void callbackLag(String channel, long lagMillis) {
    }
}
