package io.kassa.engine.server.checkout;

import java.util.Objects;

/** How a refund request ended, as the terminal is answered. */
public sealed interface SaleRefundOutcome {

    /** Committed (now, or earlier: {@code replayed}). */
    record Refunded(RefundReceipt receipt, boolean replayed) implements SaleRefundOutcome {
        public Refunded {
            Objects.requireNonNull(receipt, "receipt");
        }
    }

    /** Refused; nothing was refunded by this request. */
    record Refused(Reason reason, String explanation) implements SaleRefundOutcome {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(explanation, "explanation");
        }
    }

    enum Reason {
        /** No committed sale under the sale key (never sold, or abandoned). */
        ORDER_NOT_FOUND,
        /** A line not in the sale, already refunded, or nothing left to refund. */
        REFUND_EXCEEDS_SALE,
        /** The refund id was used for another sale or other lines. */
        REFUND_CONFLICT,
        /** This or another refund of the sale is being recorded right now: retry shortly. */
        REFUND_PENDING
    }
}
