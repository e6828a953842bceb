package io.kassa.engine.server.gateways;

import java.util.Objects;

/** What a query of a trade found. */
public sealed interface QueryResult {

    /**
     * The trade exists. {@code channelState} is the channel's own word (SUCCESS, NOTPAY,
     * WAIT_BUYER_PAY, ...); {@code transactionId} is empty when the channel has none yet.
     */
    record Found(TradeState state, String channelState, String transactionId, long amountFen)
            implements QueryResult {
        public Found {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(channelState, "channelState");
            Objects.requireNonNull(transactionId, "transactionId");
        }
    }

    /** The channel has no trade under this number: the pay call never arrived. */
    record NotFound() implements QueryResult {
    }

    /** The query itself got no usable answer after its retries. */
    record Unknown(UnknownReason reason, String detail) implements QueryResult {
    }
}
