package io.kassa.peripherals.gateway;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One trade in the simulator's store. Mutated only on the simulator's event loop; read by
 * tests through {@link GatewaySimulator#trade}, which returns a snapshot.
 */
final class SimulatedTrade {

    /** Channel-neutral states; each channel's API renders them in its own words. */
    enum Status {
        /** Waiting for the customer's password. */
        USER_PAYING,
        /** Paid. */
        SUCCESS,
        /** A definite failure: no money moved. */
        FAILED,
        /** Closed by a reverse or cancel before any money moved (or never created). */
        CLOSED,
        /** Paid, then reversed: the money went back. */
        REVERSED,
        /** Paid, then refunded in part or in full through the refund API. */
        REFUNDED,
    }

    final String channel;
    final String outTradeNo;
    final long amountFen;
    final String transactionId;
    final Instant createdAt;
    final int reverseAttemptsNeeded;
    Status status;
    Instant paidAt;
    int reverseAttempts;
    long refundedFen;
    final Map<String, Long> refundsByRequest = new LinkedHashMap<>();

    SimulatedTrade(String channel, String outTradeNo, long amountFen, String transactionId,
            Instant createdAt, Status status, int reverseAttemptsNeeded) {
        this.channel = channel;
        this.outTradeNo = outTradeNo;
        this.amountFen = amountFen;
        this.transactionId = transactionId;
        this.createdAt = createdAt;
        this.status = status;
        this.reverseAttemptsNeeded = reverseAttemptsNeeded;
    }

    boolean moneyTaken() {
        return status == Status.SUCCESS || status == Status.REFUNDED;
    }

    TradeSnapshot snapshot() {
        return new TradeSnapshot(channel, outTradeNo, transactionId, amountFen, status.name(),
                refundedFen, reverseAttempts, createdAt, paidAt);
    }
}
