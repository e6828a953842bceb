package io.kassa.engine.server.gateways;

/** What a refund call established. */
public sealed interface RefundResult {

    /** Accepted; {@code settled} is false while the channel reports it as processing. */
    record Refunded(String refundId, long refundFen, boolean settled) implements RefundResult {
    }

    /** A definite refusal (not paid, amount exceeds what remains, ...). */
    record Refused(String code, String message) implements RefundResult {
    }

    /** No usable answer after the retries: repeat later with the same refund number. */
    record Unknown(UnknownReason reason, String detail) implements RefundResult {
    }
}
