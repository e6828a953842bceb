package io.kassa.loadtests;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one run: throughput, latency percentiles measured from each sale's intended
 * start (so a stalled engine shows up as latency, not as fewer samples), the checkout's own
 * latency from when it was sent (it follows its quote's answer), and errors by code.
 */
public record LoadReport(
        double targetRatePerSecond, double achievedSalesPerSecond, long salesCompleted,
        long salesFailed, Histogram quoteMicros, Histogram checkoutMicros, Histogram saleMicros,
        Map<String, Long> errorsByCode) {

    public LoadReport {
        errorsByCode = new TreeMap<>(errorsByCode);
    }

    /** One line of key=value pairs, for scripts. */
    public String keyValues() {
        return String.format(Locale.ROOT, "target=%.0f achieved=%.1f completed=%d failed=%d"
                + " quote_p50_ms=%.2f quote_p99_ms=%.2f checkout_p50_ms=%.2f"
                + " checkout_p99_ms=%.2f checkout_p999_ms=%.2f sale_p99_ms=%.2f"
                + " sale_max_ms=%.2f", targetRatePerSecond, achievedSalesPerSecond,
                salesCompleted, salesFailed, millis(quoteMicros.getValueAtPercentile(50)),
                millis(quoteMicros.getValueAtPercentile(99)),
                millis(checkoutMicros.getValueAtPercentile(50)),
                millis(checkoutMicros.getValueAtPercentile(99)),
                millis(checkoutMicros.getValueAtPercentile(99.9)),
                millis(saleMicros.getValueAtPercentile(99)), millis(saleMicros.getMaxValue()));
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
