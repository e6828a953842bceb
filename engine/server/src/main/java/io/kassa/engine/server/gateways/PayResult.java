package io.kassa.engine.server.gateways;

import java.util.Objects;

/** What a pay call established. */
public sealed interface PayResult {

    /** The channel took the money. */
    record Paid(String transactionId, long amountFen) implements PayResult {
        public Paid {
            Objects.requireNonNull(transactionId, "transactionId");
        }
    }

    /** A definite failure: no money moved; the merchant order number may be reused. */
    record Failed(String code, String message) implements PayResult {
    }

    /**
     * The outcome is not known: the customer may yet be charged. Resolve by query, and reverse
     * at the deadline; never pay again under a new number while this is open.
     */
    record Unknown(UnknownReason reason, String detail) implements PayResult {
        public Unknown {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The request never left Kassa (the channel's circuit is open): no money moved, nothing to
     * reverse. Told apart from {@link Failed} so the terminal can offer another tender at once.
     */
    record NotSent(String reason) implements PayResult {
    }
}
