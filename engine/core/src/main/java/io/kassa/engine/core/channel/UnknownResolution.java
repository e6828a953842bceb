package io.kassa.engine.core.channel;

import java.time.Duration;
import java.util.Objects;

/**
 * The schedule that resolves a payment whose outcome is unknown (USERPAYING, SYSTEMERROR, no
 * answer): query on a fixed rhythm until the deadline, then reverse, and once the reverse
 * window has passed, refund. Pure: the caller passes the time elapsed since the pay call was
 * sent and gets the next step with the elapsed time at which to take it.
 */
public final class UnknownResolution {

    private UnknownResolution() {
    }

    /** What to do next about an unknown payment, and when (measured from the pay call). */
    public sealed interface Step permits Query, Reverse, Refund {
        Duration at();
    }

    /** Query the channel at {@code at}. */
    public record Query(Duration at) implements Step {
    }

    /** Give up waiting: reverse (WeChat Pay, UnionPay) or cancel (Alipay) at {@code at}. */
    public record Reverse(Duration at) implements Step {
    }

    /** Too late to reverse: a paid trade can only be refunded now. */
    public record Refund(Duration at) implements Step {
    }

    public static Step next(ChannelTimings timings, Duration elapsedSincePay) {
        Objects.requireNonNull(timings, "timings");
        Objects.requireNonNull(elapsedSincePay, "elapsedSincePay");
        if (elapsedSincePay.isNegative()) {
            throw new IllegalArgumentException("elapsed time is not negative: " + elapsedSincePay);
        }
        if (elapsedSincePay.compareTo(timings.reverseWindow()) >= 0) {
            return new Refund(elapsedSincePay);
        }
        Duration reverseAt = max(timings.resolutionDeadline(), timings.reverseEarliestAfterPay());
        if (elapsedSincePay.compareTo(timings.resolutionDeadline()) >= 0) {
            return new Reverse(max(elapsedSincePay, timings.reverseEarliestAfterPay()));
        }
        Duration queryAt = nextQuery(timings, elapsedSincePay);
        return queryAt.compareTo(timings.resolutionDeadline()) < 0 ? new Query(queryAt)
                : new Reverse(reverseAt);
    }

    /** The first scheduled query time at or after {@code elapsed}. */
    private static Duration nextQuery(ChannelTimings timings, Duration elapsed) {
        Duration first = timings.firstQueryDelay();
        if (elapsed.compareTo(first) <= 0) {
            return first;
        }
        long intervalNanos = timings.queryInterval().toNanos();
        long sinceFirstNanos = elapsed.minus(first).toNanos();
        long intervals = (sinceFirstNanos + intervalNanos - 1) / intervalNanos;
        return first.plusNanos(intervals * intervalNanos);
    }

    private static Duration max(Duration left, Duration right) {
        return left.compareTo(right) >= 0 ? left : right;
    }
}
