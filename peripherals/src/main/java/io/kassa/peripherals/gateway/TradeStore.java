package io.kassa.peripherals.gateway;

import io.kassa.peripherals.gateway.SimulatedTrade.Status;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's trades, channel-neutral, answering pay, query, reverse and refund
 * consistently: a reversed trade is not paid, a trade closed while the customer was still
 * typing the password never succeeds afterwards, a refund never exceeds what was paid, and a
 * repeated reverse or refund is processed once.
 *
 * <p>Mutated on the simulator's event loop only; the map is concurrent so that tests and the
 * statement writer may read it from other threads.
 */
final class TradeStore {

    /** Most trades held, so that a long load test cannot exhaust the heap. */
    static final int TRADES_MAX = 1_000_000;

    private final Map<String, SimulatedTrade> trades = new ConcurrentHashMap<>();
    private final AtomicLong transactionSequence = new AtomicLong();
    private final Clock clock;

    TradeStore(Clock clock) {
        this.clock = clock;
    }

    /** What the pay call found. */
    sealed interface PayEffect {
    }

    /** A new trade was created with this status. */
    record Created(SimulatedTrade trade) implements PayEffect {
    }

    /** The merchant order number was already used; the existing trade. */
    record AlreadyExists(SimulatedTrade trade) implements PayEffect {
    }

    /** The store is full. */
    record Full() implements PayEffect {
    }

    PayEffect pay(String channel, String outTradeNo, long amountFen, Status status,
            int reverseAttemptsNeeded) {
        String key = key(channel, outTradeNo);
        SimulatedTrade existing = trades.get(key);
        if (existing != null) {
            return new AlreadyExists(existing);
        }
        if (trades.size() >= TRADES_MAX) {
            return new Full();
        }
        SimulatedTrade trade = new SimulatedTrade(channel, outTradeNo, amountFen,
                transactionId(channel), clock.instant(), status, reverseAttemptsNeeded);
        if (status == Status.SUCCESS) {
            trade.paidAt = trade.createdAt;
        }
        trades.put(key, trade);
        return new Created(trade);
    }

    /** The customer entered the password: paid, unless the trade was closed meanwhile. */
    boolean passwordEntered(SimulatedTrade trade) {
        if (trade.status != Status.USER_PAYING) {
            return false;
        }
        trade.status = Status.SUCCESS;
        trade.paidAt = clock.instant();
        return true;
    }

    Optional<SimulatedTrade> find(String channel, String outTradeNo) {
        return Optional.ofNullable(trades.get(key(channel, outTradeNo)));
    }

    /** What a reverse (or cancel) call did. */
    enum ReverseEffect {
        /** Not processed this time: the caller must call again. */
        CALL_AGAIN,
        /** Nothing was paid; the trade is closed (also for a trade never seen, see below). */
        CLOSED,
        /** The money was paid and has gone back. */
        REFUNDED,
        /** A trade refunded through the refund API cannot be reversed. */
        NOT_REVERSIBLE,
    }

    /**
     * Reverses a trade. A reverse of an order number never seen closes it in advance, so that a
     * pay call delayed in the network and arriving afterwards is refused.
     */
    ReverseEffect reverse(String channel, String outTradeNo, int attemptsNeededIfUnseen) {
        SimulatedTrade trade = trades.computeIfAbsent(key(channel, outTradeNo),
                absent -> new SimulatedTrade(channel, outTradeNo, 0, transactionId(channel),
                        clock.instant(), Status.CLOSED, attemptsNeededIfUnseen));
        trade.reverseAttempts++;
        if (trade.reverseAttempts < trade.reverseAttemptsNeeded) {
            return ReverseEffect.CALL_AGAIN;
        }
        return switch (trade.status) {
            case USER_PAYING, FAILED, CLOSED -> {
                trade.status = Status.CLOSED;
                yield ReverseEffect.CLOSED;
            }
            case SUCCESS, REVERSED -> {
                trade.status = Status.REVERSED;
                yield ReverseEffect.REFUNDED;
            }
            case REFUNDED -> ReverseEffect.NOT_REVERSIBLE;
        };
    }

    /** What a refund call did. */
    sealed interface RefundEffect {
    }

    record Refunded(SimulatedTrade trade, long refundFen, String refundId)
            implements RefundEffect {
    }

    record RefundRefused(String reason) implements RefundEffect {
    }

    RefundEffect refund(String channel, String outTradeNo, String requestNo, long refundFen) {
        SimulatedTrade trade = trades.get(key(channel, outTradeNo));
        if (trade == null) {
            return new RefundRefused("ORDER_NOT_EXIST");
        }
        Long earlier = trade.refundsByRequest.get(requestNo);
        if (earlier != null) {
            // The same refund request again: processed once, answered the same.
            return earlier == refundFen ? new Refunded(trade, earlier, refundId(requestNo))
                    : new RefundRefused("REQUEST_NO_REUSED_WITH_ANOTHER_AMOUNT");
        }
        if (!trade.moneyTaken()) {
            return new RefundRefused("TRADE_NOT_PAID");
        }
        if (refundFen <= 0 || trade.refundedFen + refundFen > trade.amountFen) {
            return new RefundRefused("REFUND_AMOUNT_EXCEEDS_PAID");
        }
        trade.refundsByRequest.put(requestNo, refundFen);
        trade.refundedFen += refundFen;
        trade.status = Status.REFUNDED;
        return new Refunded(trade, refundFen, refundId(requestNo));
    }

    List<TradeSnapshot> snapshot() {
        List<TradeSnapshot> all = new ArrayList<>();
        for (SimulatedTrade trade : trades.values()) {
            all.add(trade.snapshot());
        }
        all.sort((left, right) -> left.createdAt().compareTo(right.createdAt()));
        return all;
    }

    private String transactionId(String channel) {
        return switch (channel) {
            case "wechatpay" -> "4200";
            case "alipay" -> "2026";
            default -> "6200";
        } + String.format("%016d", transactionSequence.incrementAndGet());
    }

    private static String refundId(String requestNo) {
        return "RF" + Integer.toHexString(requestNo.hashCode());
    }

    private static String key(String channel, String outTradeNo) {
        return channel + '/' + outTradeNo;
    }
}
