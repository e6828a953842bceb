package io.kassa.engine.server.simulation;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.gateways.ChannelNotification;
import io.kassa.engine.server.gateways.NotificationVerdict;
import io.kassa.engine.server.gateways.PayRequest;
import io.kassa.engine.server.gateways.PayResult;
import io.kassa.engine.server.gateways.PaymentChannel;
import io.kassa.engine.server.gateways.QueryResult;
import io.kassa.engine.server.gateways.RefundRequest;
import io.kassa.engine.server.gateways.RefundResult;
import io.kassa.engine.server.gateways.ReverseResult;
import io.kassa.engine.server.gateways.TradeState;
import io.kassa.engine.server.gateways.UnknownReason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The payment channels' side of the simulation: every trade, the money it took and gave back
 * (the truth the properties are checked against), and the faults a channel and the network
 * to it inflict, each drawn from the seed: declines, USERPAYING for a while, SYSTEMERROR,
 * requests lost before they reach the channel and answers lost after it acted, queries
 * unanswered, reverses refused or unanswered (acted on or not), refunds unanswered, and
 * notifications late, repeated, out of order, with a wrong amount, or after a reverse.
 *
 * <p>It behaves as the real channels' contracts say: a merchant order number is paid at most
 * once; a reverse closes the order for good, so a pay arriving after it is refused; a reverse
 * or refund is idempotent; a notification is resent until acknowledged.
 */
final class SimGateway {

    /** A tender as the simulation generated it: the code the customer showed names it. */
    record TenderRef(SaleKey sale, int tenderNumber, long amountFen) {
    }

    enum TradeStatus { WAITING, PAID, FAILED, CLOSED, REVERSED, REFUNDED }

    /** Merchant order numbers no intent has: notifications for them must be refused. */
    static final String UNKNOWN_ORDER = "NOSUCHORDER";

    static final class Trade {
        final String outTradeNo;
        final ChannelId channel;
        final TenderRef tender;
        final long amountFen;
        final String transactionId;
        TradeStatus status;
        long takenFen;
        long returnedFen;
        boolean reverseRefused;
        final Set<String> refundNumbers = new LinkedHashSet<>();

        Trade(String outTradeNo, ChannelId channel, TenderRef tender, long amountFen,
                String transactionId) {
            this.outTradeNo = outTradeNo;
            this.channel = channel;
            this.tender = tender;
            this.amountFen = amountFen;
            this.transactionId = transactionId;
        }

        long netFen() {
            return takenFen - returnedFen;
        }
    }

    private final SimScheduler scheduler;
    private final SplittableRandom random;
    private final SimFaults faults;
    private final Simulation.Trace trace;
    private final Map<String, Trade> trades = new LinkedHashMap<>();
    private final Map<String, TenderRef> codes = new LinkedHashMap<>();
    private final Map<TenderRef, Integer> paysArrived = new LinkedHashMap<>();
    private final List<String> violations;
    private final Supplier<Optional<SimNode>> liveNode;
    private final boolean reverseSwallowed;
    private int payCalls;
    private long transactions;
    private long notificationIds;
    private long notificationsPending;

    SimGateway(SimScheduler scheduler, SplittableRandom random, SimFaults faults,
            Simulation.Trace trace, List<String> violations,
            Supplier<Optional<SimNode>> liveNode, boolean reverseSwallowed) {
        this.reverseSwallowed = reverseSwallowed;
        this.scheduler = scheduler;
        this.random = random;
        this.faults = faults;
        this.trace = trace;
        this.violations = violations;
        this.liveNode = liveNode;
    }

    void issueCode(String code, TenderRef tender) {
        codes.put(code, tender);
    }

    List<Trade> trades() {
        return new ArrayList<>(trades.values());
    }

    int payCalls() {
        return payCalls;
    }

    long notificationsPending() {
        return notificationsPending;
    }

    /** The channel as one incarnation of the engine reaches it: its answers die with it. */
    PaymentChannel channel(SimNode node, ChannelId id) {
        return new NodeChannel(node, id);
    }

    private final class NodeChannel implements PaymentChannel {
        private final SimNode node;
        private final ChannelId id;

        NodeChannel(SimNode node, ChannelId id) {
            this.node = node;
            this.id = id;
        }

        @Override
        public ChannelId id() {
            return id;
        }

        @Override
        public Future<PayResult> pay(PayRequest request) {
            if (faults.active() && chance(faults.payNotSent)) {
                trace.add("pay " + trace.id(request.outTradeNo()) + " not sent (circuit open)");
                return answer(1, new PayResult.NotSent("circuit open"));
            }
            return exchange("pay " + trace.id(request.outTradeNo()), () -> payArrives(id,
                    request), new PayResult.Unknown(UnknownReason.NO_ANSWER, "timed out"), 1);
        }

        @Override
        public Future<QueryResult> query(String outTradeNo) {
            return exchange("query " + trace.id(outTradeNo), () -> queryArrives(outTradeNo),
                    new QueryResult.Unknown(UnknownReason.NO_ANSWER, "timed out"), 3);
        }

        @Override
        public Future<ReverseResult> reverse(String outTradeNo) {
            return exchange("reverse " + trace.id(outTradeNo), () -> reverseArrives(outTradeNo),
                    new ReverseResult.Unanswered(UnknownReason.NO_ANSWER, 3), 3);
        }

        @Override
        public Future<RefundResult> refund(RefundRequest request) {
            return exchange("refund " + trace.id(request.outTradeNo()),
                    () -> refundArrives(request),
                    new RefundResult.Unknown(UnknownReason.NO_ANSWER, "timed out"), 3);
        }

        /**
         * One call: the request is lost on the way, or the channel acts on it and its answer
         * is lost, or the answer comes back; a lost exchange is answered {@code noAnswer} once
         * the adapter's timeout (times its {@code attempts}) has passed.
         */
        private <T> Future<T> exchange(String call, Supplier<T> atChannel, T noAnswer,
                int attempts) {
            long timeout = faults.callTimeoutMillis * attempts;
            if (faults.active() && chance(faults.requestLost)) {
                trace.add(call + ": request lost");
                return answer(timeout, noAnswer);
            }
            Promise<T> promise = Promise.promise();
            long there = 1 + random.nextLong(faults.callLatencyMaxMillis);
            scheduler.at(there, () -> {
                T result = atChannel.get();
                boolean lost = faults.active() && chance(faults.answerLost);
                trace.add(call + " -> " + result + (lost ? " (answer lost)" : ""));
                long back = lost ? timeout - there : 1 + random.nextLong(faults.callLatencyMaxMillis);
                deliver(promise, Math.max(1, back), lost ? noAnswer : result);
            });
            return promise.future();
        }

        private <T> Future<T> answer(long afterMillis, T value) {
            Promise<T> promise = Promise.promise();
            deliver(promise, afterMillis, value);
            return promise.future();
        }

        private <T> void deliver(Promise<T> promise, long afterMillis, T value) {
            scheduler.at(afterMillis, () -> {
                if (node.alive()) {
                    promise.complete(value);
                }
            });
        }
    }

    private PayResult payArrives(ChannelId channel, PayRequest request) {
        TenderRef tender = codes.get(request.authCode());
        if (tender == null) {
            violations.add("a pay call with a code never issued: " + request.authCode());
            return new PayResult.Failed("AUTHCODEEXPIRE", "unknown code");
        }
        payCalls++;
        int arrived = paysArrived.merge(tender, 1, Integer::sum);
        if (arrived > 1) {
            violations.add("two pay calls reached the channel under one tender: " + tender);
        }
        if (request.amountFen() != tender.amountFen()) {
            violations.add("pay of " + request.amountFen() + " fen for a tender of "
                    + tender.amountFen() + ": " + tender);
        }
        Trade existing = trades.get(request.outTradeNo());
        if (existing != null) {
            // Closed by a reverse that arrived first: the order number is spent.
            return new PayResult.Failed("ORDERREVERSED", "the order was reversed");
        }
        Trade trade = new Trade(request.outTradeNo(), channel, tender, request.amountFen(),
                "T" + (++transactions));
        trades.put(trade.outTradeNo, trade);
        trade.reverseRefused = faults.active() && chance(faults.reverseRefused);
        boolean active = faults.active();
        double roll = random.nextDouble();
        if (active && roll < faults.decline) {
            trade.status = TradeStatus.FAILED;
            return new PayResult.Failed("NOTENOUGH", "insufficient balance");
        }
        if (active && roll < faults.decline + faults.userPaying) {
            trade.status = TradeStatus.WAITING;
            boolean pays = random.nextDouble() < 0.8;
            long after = 500 + random.nextLong(faults.userPayingMaxMillis);
            scheduler.at(after, () -> userFinishes(trade, pays));
            return new PayResult.Unknown(UnknownReason.USER_PAYING, "USERPAYING");
        }
        if (active && roll < faults.decline + faults.userPaying + faults.systemError) {
            if (random.nextBoolean()) {
                take(trade);
            } else {
                trade.status = TradeStatus.FAILED;
            }
            return new PayResult.Unknown(UnknownReason.SYSTEM_ERROR, "SYSTEMERROR");
        }
        take(trade);
        return new PayResult.Paid(trade.transactionId, trade.amountFen);
    }

    private void userFinishes(Trade trade, boolean pays) {
        if (trade.status != TradeStatus.WAITING) {
            return;
        }
        trace.add("customer " + (pays ? "pays " : "gives up on ") + trace.id(trade.outTradeNo));
        if (pays) {
            take(trade);
        } else {
            trade.status = TradeStatus.FAILED;
        }
    }

    private void take(Trade trade) {
        trade.status = TradeStatus.PAID;
        trade.takenFen = trade.amountFen;
        long heldForTender = 0;
        for (Trade other : trades.values()) {
            if (other.tender.equals(trade.tender)) {
                heldForTender += other.netFen();
            }
        }
        if (heldForTender > trade.tender.amountFen()) {
            violations.add("the customer holds " + heldForTender + " fen charged for a tender"
                    + " of " + trade.tender.amountFen() + ": " + trade.tender);
        }
        notifyPaid(trade);
    }

    private QueryResult queryArrives(String outTradeNo) {
        Trade trade = trades.get(outTradeNo);
        if (trade == null) {
            return new QueryResult.NotFound();
        }
        switch (trade.status) {
            case WAITING:
                return found(trade, TradeState.WAITING_FOR_USER, "USERPAYING", "");
            case PAID:
                return found(trade, TradeState.PAID, "SUCCESS", trade.transactionId);
            case FAILED:
                return found(trade, TradeState.FAILED, "PAYERROR", "");
            case CLOSED:
                return found(trade, TradeState.CLOSED, "CLOSED", "");
            case REVERSED:
                return found(trade, TradeState.REVERSED, "REVOKED", trade.transactionId);
            default:
                return found(trade, TradeState.REFUNDED, "REFUND", trade.transactionId);
        }
    }

    private static QueryResult found(Trade trade, TradeState state, String word,
            String transactionId) {
        return new QueryResult.Found(state, word, transactionId, trade.amountFen);
    }

    private ReverseResult reverseArrives(String outTradeNo) {
        Trade trade = trades.get(outTradeNo);
        if (trade == null) {
            // A reverse of an order the channel never saw closes the number for good.
            Trade tombstone = new Trade(outTradeNo, ChannelId.WECHAT_PAY,
                    new TenderRef(new SaleKey("-", "-", outTradeNo), 0, 0), 0, "");
            tombstone.status = TradeStatus.CLOSED;
            trades.put(outTradeNo, tombstone);
            return new ReverseResult.Reversed(false);
        }
        if (trade.reverseRefused && faults.active()) {
            return new ReverseResult.Refused("REVERSE_EXPIRED", "the reverse window has passed");
        }
        switch (trade.status) {
            case WAITING:
            case FAILED:
                trade.status = TradeStatus.CLOSED;
                return new ReverseResult.Reversed(false);
            case PAID:
                if (reverseSwallowed) {
                    return new ReverseResult.Reversed(true);
                }
                trade.status = TradeStatus.REVERSED;
                trade.returnedFen = trade.takenFen;
                // WeChat Pay's answer does not say whether money moved.
                return new ReverseResult.Reversed(!trade.channel.equals(ChannelId.WECHAT_PAY));
            case CLOSED:
                return new ReverseResult.Reversed(false);
            case REVERSED:
                return new ReverseResult.Reversed(!trade.channel.equals(ChannelId.WECHAT_PAY));
            default:
                return new ReverseResult.Refused("TRADE_REFUNDED", "the trade was refunded");
        }
    }

    private RefundResult refundArrives(RefundRequest request) {
        Trade trade = trades.get(request.outTradeNo());
        if (trade == null || trade.takenFen == 0) {
            return new RefundResult.Refused("TRADE_NOT_PAID", "the trade is not paid");
        }
        if (trade.refundNumbers.contains(request.outRefundNo())) {
            return new RefundResult.Refunded("RF-" + trace.id(request.outTradeNo()), request.refundFen(),
                    true);
        }
        if (trade.status != TradeStatus.PAID && trade.status != TradeStatus.REFUNDED
                || request.refundFen() > trade.netFen()) {
            return new RefundResult.Refused("NOT_ENOUGH", "nothing left to refund");
        }
        trade.refundNumbers.add(request.outRefundNo());
        trade.returnedFen += request.refundFen();
        trade.status = TradeStatus.REFUNDED;
        return new RefundResult.Refunded("RF-" + trace.id(request.outTradeNo()), request.refundFen(),
                true);
    }

    /** A paid trade's notification: maybe none, maybe late, repeated, or garbled. */
    private void notifyPaid(Trade trade) {
        if (!chance(faults.notify)) {
            return;
        }
        String id = "N" + (++notificationIds);
        send(notification(trade, id, "SUCCESS", trade.amountFen), randomDelay());
        while (chance(faults.duplicateNotification)) {
            send(notification(trade, id, "SUCCESS", trade.amountFen), randomDelay());
        }
        if (faults.active() && chance(faults.staleNotification)) {
            send(notification(trade, "N" + (++notificationIds), "USERPAYING", trade.amountFen),
                    randomDelay());
        }
        if (faults.active() && chance(faults.staleNotification)) {
            // A notification naming an order Kassa never made (a channel's mix-up, a forgery
            // that passed the signature): it must be refused and change nothing.
            ChannelNotification unknown = notification(trade, "N" + (++notificationIds),
                    "SUCCESS", trade.amountFen);
            send(new ChannelNotification(unknown.channel(), unknown.notificationId(),
                    unknown.eventType(), UNKNOWN_ORDER + notificationIds,
                    unknown.transactionId(), unknown.channelState(), unknown.amountFen(),
                    unknown.sentAt(), unknown.verifiedContent(), unknown.rawBody()),
                    randomDelay());
        }
        if (faults.active() && chance(faults.wrongAmountNotification)) {
            send(notification(trade, "N" + (++notificationIds), "SUCCESS",
                    trade.amountFen + 1), randomDelay());
        }
    }

    private long randomDelay() {
        return 50 + random.nextLong(faults.notificationDelayMaxMillis);
    }

    private ChannelNotification notification(Trade trade, String id, String state,
            long amountFen) {
        return new ChannelNotification(trade.channel, id, "TRANSACTION.SUCCESS",
                trade.outTradeNo, trade.transactionId, state, OptionalLong.of(amountFen),
                scheduler.instant(), "{}", "{}");
    }

    /** Delivers, and resends on the channel's schedule until acknowledged (or 8 times). */
    private void send(ChannelNotification notification, long afterMillis) {
        notificationsPending++;
        scheduler.at(afterMillis, () -> attempt(notification, 1));
    }

    private void attempt(ChannelNotification notification, int attempt) {
        Optional<SimNode> node = liveNode.get();
        String what = "notification " + notification.notificationId() + " "
                + notification.channelState() + " " + trace.id(notification.outTradeNo())
                + " #" + attempt;
        boolean[] settled = {false};
        Runnable retry = () -> {
            if (settled[0]) {
                return;
            }
            settled[0] = true;
            if (attempt >= 8) {
                notificationsPending--;
                trace.add(what + ": the channel stops resending");
                return;
            }
            scheduler.at(15_000L * attempt, () -> attempt(notification, attempt + 1));
        };
        if (node.isEmpty()) {
            trace.add(what + ": engine down");
            retry.run();
            return;
        }
        node.get().notifications().onNotification(notification).onComplete(done -> {
            if (settled[0]) {
                return;
            }
            trace.add(what + " -> " + (done.succeeded() ? done.result() : done.cause()));
            if (done.succeeded() && notification.outTradeNo().startsWith(UNKNOWN_ORDER)
                    && !(done.result() instanceof NotificationVerdict.Refused)) {
                violations.add("a notification for an unknown order was " + done.result());
            }
            if (done.succeeded() && !(done.result() instanceof NotificationVerdict.Refused)) {
                settled[0] = true;
                notificationsPending--;
            } else {
                retry.run();
            }
        });
        // An engine that dies while handling it never answers: the channel times out.
        scheduler.at(faults.callTimeoutMillis, retry);
    }

    private boolean chance(double probability) {
        return random.nextDouble() < probability;
    }
}
