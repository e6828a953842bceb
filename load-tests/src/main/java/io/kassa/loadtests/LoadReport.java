package io.kassa.loadtests;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one run: throughput, latency percentiles measured from each sale's intended
 * start (so a stalled engine shows up as latency, not as fewer samples), the checkout's own
 * latency from when it was sent (it follows its quote's answer), the sales paid by scanned
 * code apart (they wait for a channel and a customer's password), the mix the completed sales
 * turned out to have, and errors by code.
 *
 * @param checkoutMicros checkouts of sales paid without a scanned code
 * @param saleMicros sales paid without a scanned code, from their intended start
 * @param userPayingSaleMicros sales paid by scanned code, from their intended start
 * @param refundMicros refunds of whole sales, from when each was sent
 * @param paymentPending checkouts answered PAYMENT_PENDING (the outcome is pushed later)
 * @param sendLagMicros how late the generator sent each sale after its intended start (its
 *     own lateness, counted in every latency above)
 * @param wakeupMicros how late this machine woke a thread sleeping 1 ms during the step
 *     ({@link WakeupProbe}): a floor under every latency of the step
 */
public record LoadReport(
        double targetRatePerSecond, double achievedSalesPerSecond, long salesCompleted,
        long salesFailed, long paymentPending, Histogram quoteMicros, Histogram checkoutMicros,
        Histogram saleMicros, Histogram userPayingSaleMicros, Histogram refundMicros,
        Histogram sendLagMicros, Histogram wakeupMicros, Map<SaleMix.Kind, Long> mix,
        Map<String, Long> errorsByCode) {

    public LoadReport {
        errorsByCode = new TreeMap<>(errorsByCode);
        mix = new TreeMap<>(mix);
    }

    /** The share of completed sales of {@code kind}, in percent. */
    public double mixPercent(SaleMix.Kind kind) {
        return salesCompleted == 0 ? 0
                : 100.0 * mix.getOrDefault(kind, 0L) / salesCompleted;
    }

    /** One line of key=value pairs, for scripts. */
    public String keyValues() {
        return String.format(Locale.ROOT, "target=%.0f achieved=%.1f completed=%d failed=%d"
                + " quote_p50_ms=%.2f quote_p99_ms=%.2f checkout_p50_ms=%.2f"
                + " checkout_p99_ms=%.2f checkout_p999_ms=%.2f sale_p99_ms=%.2f"
                + " sale_max_ms=%.2f userpaying_p50_ms=%.0f userpaying_p99_ms=%.0f"
                + " refund_p50_ms=%.2f refund_p99_ms=%.2f send_lag_p99_ms=%.2f"
                + " wakeup_p99_ms=%.2f wakeup_p999_ms=%.2f pending=%d mix_member_pct=%.0f mix_coupon_pct=%.0f mix_points_pct=%.0f"
                + " mix_split_pct=%.0f mix_userpaying_pct=%.0f mix_refund_pct=%.1f",
                targetRatePerSecond, achievedSalesPerSecond,
                salesCompleted, salesFailed, millis(quoteMicros.getValueAtPercentile(50)),
                millis(quoteMicros.getValueAtPercentile(99)),
                millis(checkoutMicros.getValueAtPercentile(50)),
                millis(checkoutMicros.getValueAtPercentile(99)),
                millis(checkoutMicros.getValueAtPercentile(99.9)),
                millis(saleMicros.getValueAtPercentile(99)), millis(saleMicros.getMaxValue()),
                millis(userPayingSaleMicros.getValueAtPercentile(50)),
                millis(userPayingSaleMicros.getValueAtPercentile(99)),
                millis(refundMicros.getValueAtPercentile(50)),
                millis(refundMicros.getValueAtPercentile(99)),
                millis(sendLagMicros.getValueAtPercentile(99)),
                millis(wakeupMicros.getValueAtPercentile(99)),
                millis(wakeupMicros.getValueAtPercentile(99.9)), paymentPending,
                mixPercent(SaleMix.Kind.MEMBER), mixPercent(SaleMix.Kind.COUPON),
                mixPercent(SaleMix.Kind.POINTS), mixPercent(SaleMix.Kind.SPLIT),
                mixPercent(SaleMix.Kind.USERPAYING), mixPercent(SaleMix.Kind.REFUND));
    }

    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
                "target %.0f sales/s, achieved %.1f sales/s, %d completed, %d failed%n",
                targetRatePerSecond, achievedSalesPerSecond, salesCompleted, salesFailed));
        out.append(String.format(Locale.ROOT, "%-22s %9s %9s %9s %9s %9s%n", "latency (ms)",
                "p50", "p99", "p99.9", "max", "count"));
        row(out, "quote (from intended)", quoteMicros);
        row(out, "checkout (from sent)", checkoutMicros);
        row(out, "sale (from intended)", saleMicros);
        row(out, "USERPAYING sale", userPayingSaleMicros);
        row(out, "refund (from sent)", refundMicros);
        row(out, "send lag (generator)", sendLagMicros);
        row(out, "wake-up after 1 ms", wakeupMicros);
        out.append(String.format(Locale.ROOT, "mix of completed sales: member %.0f%%, coupon"
                + " %.0f%% (target %d%%), points %.0f%%, split %.0f%%, scanned code %.0f%%,"
                + " refunded %.1f%%; %d answered PAYMENT_PENDING%n",
                mixPercent(SaleMix.Kind.MEMBER),
                mixPercent(SaleMix.Kind.COUPON), SaleMix.COUPON_PERCENT_TARGET,
                mixPercent(SaleMix.Kind.POINTS), mixPercent(SaleMix.Kind.SPLIT),
                mixPercent(SaleMix.Kind.USERPAYING), mixPercent(SaleMix.Kind.REFUND),
                paymentPending));
        errorsByCode.forEach((code, count) ->
                out.append(String.format(Locale.ROOT, "error %-16s %d%n", code, count)));
        return out.toString();
    }

    private static void row(StringBuilder out, String name, Histogram histogram) {
        out.append(String.format(Locale.ROOT, "%-22s %9.2f %9.2f %9.2f %9.2f %9d%n", name,
                millis(histogram.getValueAtPercentile(50)),
                millis(histogram.getValueAtPercentile(99)),
                millis(histogram.getValueAtPercentile(99.9)),
                millis(histogram.getMaxValue()), histogram.getTotalCount()));
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }
}
