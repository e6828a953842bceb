package io.kassa.engine.core.channel;

import java.time.Duration;
import java.util.Objects;

/**
 * How a channel wants an unknown payment resolved: when to query first, how often, when to give
 * up and reverse (WeChat Pay: not sooner than about 15 s after pay), and how long a reverse
 * (or Alipay's cancel) stays possible before only a refund can return the money. Defaults come
 * from PAYMENTS.md; every value is configuration because several are ranges or unverified.
 */
public record ChannelTimings(
        Duration firstQueryDelay, Duration queryInterval, Duration resolutionDeadline,
        Duration reverseEarliestAfterPay, Duration reverseWindow) {

    /** Longest resolution deadline accepted: past it a customer has long left the till. */
    public static final Duration RESOLUTION_DEADLINE_MAX = Duration.ofMinutes(10);

    /** Shortest query interval accepted, so a misconfiguration cannot hammer a channel. */
    public static final Duration QUERY_INTERVAL_MIN = Duration.ofMillis(100);

    public ChannelTimings {
        Objects.requireNonNull(firstQueryDelay, "firstQueryDelay");
        Objects.requireNonNull(queryInterval, "queryInterval");
        Objects.requireNonNull(resolutionDeadline, "resolutionDeadline");
        Objects.requireNonNull(reverseEarliestAfterPay, "reverseEarliestAfterPay");
        Objects.requireNonNull(reverseWindow, "reverseWindow");
        if (firstQueryDelay.isNegative() || reverseEarliestAfterPay.isNegative()) {
            throw new IllegalArgumentException("delays are not negative");
        }
        if (queryInterval.compareTo(QUERY_INTERVAL_MIN) < 0) {
            throw new IllegalArgumentException(
                    "the query interval is at least " + QUERY_INTERVAL_MIN + ": " + queryInterval);
        }
        if (resolutionDeadline.compareTo(firstQueryDelay) < 0
                || resolutionDeadline.compareTo(RESOLUTION_DEADLINE_MAX) > 0) {
            throw new IllegalArgumentException("the resolution deadline lies between the first"
                    + " query and " + RESOLUTION_DEADLINE_MAX + ": " + resolutionDeadline);
        }
        if (reverseWindow.compareTo(resolutionDeadline) <= 0
                || reverseWindow.compareTo(reverseEarliestAfterPay) <= 0) {
            throw new IllegalArgumentException(
                    "the reverse window outlasts the deadline and the earliest reverse");
        }
    }

    /**
     * WeChat Pay: wait ~5 s, query every 5-10 s until 30-45 s, reverse not sooner than ~15 s
     * after pay, reverse possible for 7 days.
     */
    public static ChannelTimings wechatPayDefaults() {
        return new ChannelTimings(Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(45), Duration.ofSeconds(15), Duration.ofDays(7));
    }

    /** Alipay: poll every 3-6 s for about 60 s, then cancel at once; cancel valid for 24 h. */
    public static ChannelTimings alipayDefaults() {
        return new ChannelTimings(Duration.ofSeconds(3), Duration.ofSeconds(3),
                Duration.ofSeconds(60), Duration.ZERO, Duration.ofHours(24));
    }

    /**
     * UnionPay QR style (unverified): modelled on WeChat Pay's rhythm with a 60 s deadline and
     * a 24 h reverse window, the more cautious of the two channels on each value.
     */
    public static ChannelTimings unionPayDefaults() {
        return new ChannelTimings(Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofHours(24));
    }
}
