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
}
