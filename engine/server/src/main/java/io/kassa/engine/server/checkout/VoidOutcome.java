package io.kassa.engine.server.checkout;

import java.time.Instant;
import java.util.List;

/** How a terminal's void of a sale ended. */
public sealed interface VoidOutcome {

    /**
     * The sale can never commit; what was held for it is released and its channel payments
     * are given back (or being given back: see each intent's state).
     *
     * @param replayed true when the sale had been voided before
     */
    record Voided(SaleKey key, Instant voidedAt, boolean replayed, List<PaymentIntent> payments)
            implements VoidOutcome {
        public Voided {
            payments = List.copyOf(payments);
        }
    }

    /** The sale is committed: a void cannot undo it (a refund can); nothing changed. */
    record AlreadyCommitted(CommittedSale sale) implements VoidOutcome {
    }
}
