package io.kassa.engine.server.checkout;

import java.util.Objects;

/**
 * The identity of a refund as the refunding terminal names it: the store and terminal where it
 * is asked, and the terminal's refund id. Refunds are idempotent on this key.
 */
public record RefundKey(String storeId, String terminalId, String refundId) {

    public RefundKey {
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(terminalId, "terminalId");
        Objects.requireNonNull(refundId, "refundId");
    }
}
