package io.kassa.engine.server.gateways;

import java.util.Objects;

/**
 * A refund of {@code refundFen} of the trade {@code outTradeNo} (which was paid {@code
 * totalFen}); {@code outRefundNo} makes it idempotent at the channel.
 */
public record RefundRequest(String outTradeNo, String outRefundNo, long refundFen,
        long totalFen, String reason) {

    public RefundRequest {
        PayRequest.checkOrderNumber(outTradeNo);
        PayRequest.checkOrderNumber(outRefundNo);
        Objects.requireNonNull(reason, "reason");
        if (refundFen <= 0 || refundFen > totalFen || totalFen > PayRequest.AMOUNT_FEN_MAX) {
            throw new IllegalArgumentException("a refund is 1..total fen: " + refundFen
                    + " of " + totalFen);
        }
    }
}
