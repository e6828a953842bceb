package io.kassa.peripherals.possim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Checks the histogram's percentiles against exact ones computed from sorted samples, and its
 * bucket arithmetic at the edges (exact range, power-of-two boundaries, the clamped maximum).
 */
class LatencyHistogramTest {

    @Test
    void percentilesAreWithinOneSixteenthOfTheExactValue() {
        Random random = new Random(3);
        LatencyHistogram histogram = new LatencyHistogram();
        long[] samples = new long[20_000];
        for (int i = 0; i < samples.length; i++) {
            // Log-uniform from 1 µs to about 1 s: every bucket width gets exercised.
            samples[i] = (long) Math.exp(random.nextDouble() * Math.log(1_000_000));
            histogram.record(samples[i]);
        }
        Arrays.sort(samples);

        for (double percentile : new double[] {1, 50, 90, 99, 99.9, 100}) {
            long exact = samples[(int) Math.ceil(percentile / 100 * samples.length) - 1];
            assertThat((double) histogram.percentileMicros(percentile))
                    .as("p%s", percentile).isCloseTo(exact, within(exact / 16.0 + 1));
        }
        assertThat(histogram.count()).isEqualTo(samples.length);
        assertThat(histogram.maxMicros()).isEqualTo(samples[samples.length - 1]);
    }

    @Test
    void everyValueFallsInABucketWhoseUpperBoundIsAtLeastTheValue() {
        for (long value = 0; value < 5_000; value++) {
            int index = LatencyHistogram.bucketIndex(value);
            assertThat(LatencyHistogram.bucketUpperBound(index)).isGreaterThanOrEqualTo(value);
            if (index > 0) {
                assertThat(LatencyHistogram.bucketUpperBound(index - 1)).isLessThan(value);
            }
        }
        long max = LatencyHistogram.VALUE_MICROS_MAX;
        assertThat(LatencyHistogram.bucketUpperBound(LatencyHistogram.bucketIndex(max)))
                .isEqualTo(max);
    }

    @Test
    void valuesBeyondTheMaximumAreClampedAndNegativeOnesRefused() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(LatencyHistogram.VALUE_MICROS_MAX);
        histogram.record(LatencyHistogram.VALUE_MICROS_MAX + 1);

        assertThat(histogram.percentileMicros(100)).isEqualTo(LatencyHistogram.VALUE_MICROS_MAX);
        assertThat(histogram.count()).isEqualTo(2);
        assertThatThrownBy(() -> histogram.record(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyHistogramReportsZeros() {
        PosSimulatorStats.Latency summary = new LatencyHistogram().summary();

        assertThat(summary.count()).isZero();
        assertThat(summary.microsP99()).isZero();
        assertThat(summary.microsMax()).isZero();
    }
}
