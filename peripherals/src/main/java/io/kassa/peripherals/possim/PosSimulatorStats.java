package io.kassa.peripherals.possim;

import java.util.Map;
import java.util.TreeMap;

/**
 * A consistent snapshot of a {@link PosSimulator}'s counters.
 *
 * <p>Every arrival is either started or skipped; every started sale ends completed or failed,
 * or is still in flight: {@code arrivals = started + skipped} and {@code started = completed +
 * failed + inFlight}. {@code failuresByKind} is keyed by the engine's {@code ErrorCode} name
 * when the engine answered with an Error, else by the kind of failure ({@code timeout},
 * {@code connection}, {@code busy}, {@code protocol}, {@code inconsistent-answer}, ...).
 *
 * @param terminalsConnected terminals whose connection is up at the time of the snapshot
 * @param arrivals customers that reached a till, by the arrival schedule
 * @param skipped arrivals that found every terminal busy or disconnected
 * @param reconnects connect attempts made after a terminal lost or could not open its connection
 */
public record PosSimulatorStats(
        long elapsedMillis,
        int terminals,
        int terminalsConnected,
        long arrivals,
        long started,
        long completed,
        long failed,
        long skipped,
        long reconnects,
        Map<String, Long> failuresByKind,
        Latency quoteLatency,
        Latency checkoutLatency) {

    /** Latency percentiles in microseconds, each within 6.25 % (see {@link LatencyHistogram}). */
    public record Latency(long count, long microsP50, long microsP90, long microsP99,
            long microsP999, long microsMax) {

        @Override
        public String toString() {
            return "p50 " + microsP50 + " µs, p90 " + microsP90 + " µs, p99 " + microsP99
                    + " µs, p99.9 " + microsP999 + " µs, max " + microsMax + " µs (n=" + count
                    + ")";
        }
    }

    public PosSimulatorStats {
        failuresByKind = Map.copyOf(failuresByKind);
        assert arrivals == started + skipped : "arrivals " + arrivals;
        assert completed + failed <= started : "ended " + (completed + failed);
        assert failuresByKind.values().stream().mapToLong(Long::longValue).sum() == failed;
    }

    public long inFlight() {
        return started - completed - failed;
    }

    public long failures(String kind) {
        return failuresByKind.getOrDefault(kind, 0L);
    }

    public double completedPerSecond() {
        return elapsedMillis == 0 ? 0 : completed * 1_000.0 / elapsedMillis;
    }

    /** One line for the periodic status. */
    public String statusLine() {
        return String.format("pos-sim %.1fs: terminals %d/%d up, started %d, completed %d "
                        + "(%.1f/s), failed %d, skipped %d, in flight %d | quote p50 %d µs "
                        + "p99 %d µs | checkout p50 %d µs p99 %d µs%s",
                elapsedMillis / 1_000.0, terminalsConnected, terminals, started, completed,
                completedPerSecond(), failed, skipped, inFlight(), quoteLatency.microsP50(),
                quoteLatency.microsP99(), checkoutLatency.microsP50(),
                checkoutLatency.microsP99(),
                failuresByKind.isEmpty() ? "" : " | failures " + new TreeMap<>(failuresByKind));
    }

    /** The report printed at the end of a run. */
    public String summary() {
        return String.format("pos-sim summary after %.1f s%n"
                        + "  arrivals  %d (skipped %d: every terminal busy or down)%n"
                        + "  started   %d%n"
                        + "  completed %d (%.1f/s)%n"
                        + "  failed    %d %s%n"
                        + "  reconnects %d%n"
                        + "  quote     %s%n"
                        + "  checkout  %s",
                elapsedMillis / 1_000.0, arrivals, skipped, started, completed,
                completedPerSecond(), failed, new TreeMap<>(failuresByKind), reconnects,
                quoteLatency, checkoutLatency);
    }
}
