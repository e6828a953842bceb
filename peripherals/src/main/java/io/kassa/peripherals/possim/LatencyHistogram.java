package io.kassa.peripherals.possim;

/**
 * A fixed-size log-linear histogram of latencies in microseconds: exact below 16 µs, then 16
 * buckets per power of two, so a reported percentile is within 1/16 (6.25 %) of the truth. It
 * costs a few kilobytes whatever the number of samples, and recording is O(1), which is why it
 * stands in for HdrHistogram here (the peripherals module takes no extra dependency).
 *
 * <pre>
 * value (µs):   0 1 2 .. 15 | 16 17 .. 31 | 32 34 .. 62 | 64 68 .. 124 | ...
 * bucket width:  1            1             2             4              doubling
 * </pre>
 *
 * <p>Values above {@link #VALUE_MICROS_MAX} are recorded as that maximum. Thread-safe through
 * its monitor; recording happens on one event loop, so the lock is uncontended but lets other
 * threads read a consistent snapshot.
 */
public final class LatencyHistogram {

    /** Sub-buckets per power of two, as a power of two itself. */
    private static final int SUB_BUCKET_BITS = 4;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;

    /** Largest value kept apart from its neighbours: about 12.7 days. */
    public static final long VALUE_MICROS_MAX = (1L << 40) - 1;

    private static final int BUCKETS = bucketIndex(VALUE_MICROS_MAX) + 1;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long minMicros = Long.MAX_VALUE;
    private long maxMicros;

    /** Records one latency; negative values are a bug in the caller's clock arithmetic. */
    public synchronized void record(long micros) {
        if (micros < 0) {
            throw new IllegalArgumentException("latency must be >= 0: " + micros);
        }
        long clamped = Math.min(micros, VALUE_MICROS_MAX);
        counts[bucketIndex(clamped)]++;
        count++;
        minMicros = Math.min(minMicros, clamped);
        maxMicros = Math.max(maxMicros, clamped);
    }

    public synchronized long count() {
        return count;
    }

    /**
     * The smallest recorded value v such that at least {@code percentile} % of the samples are
     * at or below v, reported as the upper bound of its bucket (never above the true maximum);
     * 0 when nothing was recorded.
     */
    public synchronized long percentileMicros(double percentile) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be 0..100: " + percentile);
        }
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * count));
        long seen = 0;
        for (int index = 0; index < BUCKETS; index++) {
            seen += counts[index];
            if (seen >= rank) {
                return Math.max(minMicros, Math.min(maxMicros, bucketUpperBound(index)));
            }
        }
        throw new IllegalStateException("bucket counts do not add up to " + count);
    }

    public synchronized long maxMicros() {
        return maxMicros;
    }

    /** The summary the simulator reports: count, p50, p90, p99, p99.9, max. */
    public synchronized PosSimulatorStats.Latency summary() {
        return new PosSimulatorStats.Latency(count, percentileMicros(50), percentileMicros(90),
                percentileMicros(99), percentileMicros(99.9), maxMicros);
    }

    static int bucketIndex(long micros) {
        if (micros < SUB_BUCKETS) {
            return (int) micros;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        int subBucket = (int) (micros >>> (exponent - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
        return (exponent - SUB_BUCKET_BITS + 1) * SUB_BUCKETS + subBucket;
    }

    static long bucketUpperBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int exponent = index / SUB_BUCKETS + SUB_BUCKET_BITS - 1;
        long subBucket = index % SUB_BUCKETS;
        long width = 1L << (exponent - SUB_BUCKET_BITS);
        return (1L << exponent) + (subBucket + 1) * width - 1;
    }
}
