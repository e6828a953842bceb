package io.kassa.peripherals.gateway;

import java.time.Instant;

/**
 * A trade as the simulator holds it at one moment, for tests and the statement.
 *
 * @param status one of USER_PAYING, SUCCESS, FAILED, CLOSED, REVERSED, REFUNDED
 * @param paidAt null unless money was taken at some point
 */
public record TradeSnapshot(String channel, String outTradeNo, String transactionId,
        long amountFen, String status, long refundedFen, int reverseAttempts, Instant createdAt,
        Instant paidAt) {

    /** Whether the customer's money is with the merchant now (refunds aside). */
    public boolean paid() {
        return status.equals("SUCCESS") || status.equals("REFUNDED");
    }
}
