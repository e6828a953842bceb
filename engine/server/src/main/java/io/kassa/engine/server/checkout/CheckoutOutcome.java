package io.kassa.engine.server.checkout;

import io.kassa.engine.core.decision.Rejection;

/** How a checkout ended, as a value the terminal adapter turns into one reply. */
public sealed interface CheckoutOutcome {

    /**
     * The sale is durably committed.
     *
     * @param replayed true when this answers a retry of a sale committed earlier
     */
    record Committed(CommittedSale sale, boolean replayed) implements CheckoutOutcome {
    }

    /** The rules refused the sale; nothing was written. */
    record Rejected(Rejection rejection) implements CheckoutOutcome {
    }

    /** The sale id was already used for a different basket or tenders; nothing was written. */
    record Conflict(CommittedSale existing) implements CheckoutOutcome {
    }

    /** The sale was abandoned (its hold passed its deadline and was released); start anew. */
    record Abandoned(SaleKey key) implements CheckoutOutcome {
    }

    /**
     * The sale's channel payment is still being resolved (a customer entering a password, a
     * channel not answering) past the time a checkout request is held open. The outcome comes
     * later as a {@link PaymentUpdates} push; a retry with the same sale id asks again.
     */
    record PaymentPending(SaleKey key) implements CheckoutOutcome {
    }

    /**
     * A channel tender was not paid; nothing was committed, the sale is fenced, its hold
     * released, and whatever a channel took for it has been given back (or is being, by the
     * payment janitor). The terminal starts a new sale.
     */
    record PaymentFailed(SaleKey key, PaymentFailure failure) implements CheckoutOutcome {
    }
}
