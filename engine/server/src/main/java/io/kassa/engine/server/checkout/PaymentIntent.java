package io.kassa.engine.server.checkout;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.core.tender.TenderKind;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One attempt to take a tender's money through an external channel, as persisted.
 *
 * @param outTradeNo the merchant order number: new for every attempt, never reused
 * @param tenderNumber the tender's 1-based position in the sale
 * @param attempt 1 for the first attempt of this tender of this sale
 * @param sentAt when the pay call was sent; empty while {@link IntentState#CREATED}
 * @param orderId the committed sale this intent's money belongs to, once it does
 */
public record PaymentIntent(
        String outTradeNo, SaleKey sale, int tenderNumber, int attempt, ChannelId channel,
        TenderKind tenderKind, long amountFen, IntentState state, String channelState,
        String transactionId, String detail, boolean moneyReturned, int queryCount,
        int reverseCount, String owner, Instant leaseUntil, Instant createdAt,
        Optional<Instant> sentAt, Optional<UUID> orderId) {

    public PaymentIntent {
        Objects.requireNonNull(outTradeNo, "outTradeNo");
        Objects.requireNonNull(sale, "sale");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(tenderKind, "tenderKind");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(orderId, "orderId");
        if (amountFen <= 0) {
            throw new IllegalArgumentException("an intent is for a positive amount");
        }
        if (orderId.isPresent() && state != IntentState.SUCCEEDED) {
            throw new IllegalStateException("only a succeeded intent belongs to a sale");
        }
    }

    /** Whether the customer's money is with the merchant and not part of a committed sale. */
    public boolean capturedWithoutSale() {
        return state == IntentState.SUCCEEDED && orderId.isEmpty();
    }
}
