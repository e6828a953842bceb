package io.kassa.engine.server.checkout;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.core.tender.TenderKind;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The port to the durable payment intents. Every change is a conditional transition: it
 * happens only from the states named, so two owners racing (the orchestration and the janitor,
 * or a notification) cannot both apply one; the store's own constraints refuse any transition
 * the state machine does not draw.
 */
public interface PaymentIntents {

    /** A new attempt, written as {@link IntentState#CREATED} and leased to {@code owner}. */
    record NewIntent(String outTradeNo, SaleKey sale, int tenderNumber, int attempt,
            ChannelId channel, TenderKind tenderKind, long amountFen, String owner,
            Instant leaseUntil) {
    }

    /**
     * A transition to {@code to}; fields left empty keep their value.
     *
     * @param leaseUntil the owner's new lease, when the owner keeps working on it
     */
    record Transition(IntentState to, Optional<String> channelState,
            Optional<String> transactionId, Optional<String> detail,
            Optional<Boolean> moneyReturned, boolean countQuery, boolean countReverse,
            Optional<Instant> leaseUntil) {

        public static Transition to(IntentState state) {
            return new Transition(state, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), false, false, Optional.empty());
        }

        public Transition channelState(String value) {
            return new Transition(to, Optional.of(truncated(value, 64)), transactionId, detail,
                    moneyReturned, countQuery, countReverse, leaseUntil);
        }

        public Transition transactionId(String value) {
            return new Transition(to, channelState, Optional.of(truncated(value, 64)), detail,
                    moneyReturned, countQuery, countReverse, leaseUntil);
        }

        public Transition detail(String value) {
            return new Transition(to, channelState, transactionId,
                    Optional.of(truncated(value, 256)), moneyReturned, countQuery,
                    countReverse, leaseUntil);
        }

        public Transition moneyReturned(boolean value) {
            return new Transition(to, channelState, transactionId, detail, Optional.of(value),
                    countQuery, countReverse, leaseUntil);
        }

        public Transition queried() {
            return new Transition(to, channelState, transactionId, detail, moneyReturned, true,
                    countReverse, leaseUntil);
        }

        public Transition reverseTried() {
            return new Transition(to, channelState, transactionId, detail, moneyReturned,
                    countQuery, true, leaseUntil);
        }

        public Transition leaseUntil(Instant value) {
            return new Transition(to, channelState, transactionId, detail, moneyReturned,
                    countQuery, countReverse, Optional.of(value));
        }

        private static String truncated(String value, int chars) {
            return value == null ? "" : value.length() <= chars ? value
                    : value.substring(0, chars);
        }
    }

    Future<PaymentIntent> create(NewIntent intent);

    /**
     * Applies {@code transition} if the intent is in one of {@code from}.
     *
     * @return the intent after the transition, or empty when it was in another state (someone
     *     else moved it first)
     */
    Future<Optional<PaymentIntent>> transition(String outTradeNo, Set<IntentState> from,
            Transition transition);

    Future<Optional<PaymentIntent>> find(String outTradeNo);

    /** The intents of a sale, by tender number and attempt. */
    Future<List<PaymentIntent>> ofSale(SaleKey sale);

    /**
     * Takes one intent that is still open (or captured without a committed sale) and whose
     * lease has run out, leasing it to {@code owner} for {@code lease}: one owner at a time,
     * across nodes ({@code FOR UPDATE SKIP LOCKED}).
     */
    Future<Optional<PaymentIntent>> claimOverdue(String owner, Instant now, Duration lease);

    /** Intents created in {@code [from, until)}, for reconciliation. */
    Future<List<PaymentIntent>> createdBetween(Instant from, Instant until);
}
