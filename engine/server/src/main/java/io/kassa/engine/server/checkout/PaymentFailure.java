package io.kassa.engine.server.checkout;

import java.util.Objects;

/**
 * Why the external part of a sale's payment did not happen. In every case the customer ends up
 * not charged: whatever a channel took for this sale has been (or is being) given back.
 */
public record PaymentFailure(Reason reason, String explanation) {

    public enum Reason {
        /** The scanned code is not a payment code of any configured channel or tender. */
        CODE_INVALID,
        /** A definite refusal by the channel (insufficient balance, expired code, ...). */
        DECLINED,
        /** The channel is not configured here or its circuit is open: nothing was sent. */
        CHANNEL_UNAVAILABLE,
        /** The outcome stayed unknown until the channel's deadline: the payment was reversed. */
        NOT_CONFIRMED,
    }

    public PaymentFailure {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(explanation, "explanation");
    }
}
