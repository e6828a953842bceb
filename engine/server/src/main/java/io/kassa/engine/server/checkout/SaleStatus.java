package io.kassa.engine.server.checkout;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a sale stands, as its terminal may ask at any time: what PostgreSQL recorded of it and
 * its payment intents.
 *
 * @param committed the sale as committed, when {@code state} is {@link State#COMMITTED}
 * @param payments the sale's payment intents, by tender number and attempt
 */
public record SaleStatus(SaleKey key, State state, Optional<CommittedSale> committed,
        List<PaymentIntent> payments) {

    public SaleStatus {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(committed, "committed");
        payments = List.copyOf(payments);
        if (committed.isPresent() != (state == State.COMMITTED)) {
            throw new IllegalArgumentException("a committed sale comes with its record");
        }
    }

    public enum State {
        /** Durably recorded. */
        COMMITTED,
        /** A channel payment of the sale is still being resolved; nothing is committed. */
        PAYMENT_PENDING,
        /** Fenced without a void (payment failed, hold expired): it never commits. */
        FAILED,
        /** Voided by its terminal before it was paid. */
        VOIDED,
        /** Nothing is recorded under the sale id. */
        UNKNOWN
    }

    /**
     * The state a sale not in the sales ledger is in, judged by its intents: open ones (or money
     * taken without a sale) mean a payment is still being worked on.
     */
    static State ofIntents(List<PaymentIntent> intents) {
        if (intents.isEmpty()) {
            return State.UNKNOWN;
        }
        for (PaymentIntent intent : intents) {
            if ((intent.state().isOpen() && intent.state() != IntentState.REVERSING)
                    || intent.capturedWithoutSale()) {
                return State.PAYMENT_PENDING;
            }
        }
        return State.FAILED;
    }
}
