package io.kassa.loadtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The generator's command line: the stepping arguments and when a stepped run stops. */
class MainArgumentsTest {

    @Test
    void ratesSettleAndBoundAreRead() {
        String[] args = {"--port", "7000", "--rates", "100, 200,300", "--settle", "2",
                "--stop-above-ms", "250", "--duration", "10", "--sweep-members", "400"};
        Main.Steps steps = Main.parseSteps(args);
        assertThat(steps.rates()).containsExactly(100.0, 200.0, 300.0);
        assertThat(steps.settleSeconds()).isEqualTo(2);
        assertThat(steps.stopAboveMillis()).isEqualTo(250.0);
        assertThat(steps.memberSweepPerSecond()).isEqualTo(400.0);
        // The one-rate options still parse around the stepping arguments.
        LoadOptions options = Main.parse(args);
        assertThat(options.port()).isEqualTo(7000);
        assertThat(options.durationSeconds()).isEqualTo(10);
    }

    @Test
    void withoutRatesTheRunHasOneRate() {
        Main.Steps steps = Main.parseSteps(new String[] {"--rate", "50"});
        assertThat(steps.rates()).isEmpty();
        assertThat(steps.settleSeconds()).isEqualTo(3);
        assertThat(steps.memberSweepPerSecond()).isZero();
    }

    @Test
    void badSteppingArgumentsAreRefusedByName() {
        assertThatThrownBy(() -> Main.parseSteps(new String[] {"--rates", "100,0"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate");
        assertThatThrownBy(() -> Main.parseSteps(new String[] {"--rates", "100,x"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("number");
        assertThatThrownBy(() -> Main.parseSteps(new String[] {"--settle", "-1"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("settle");
        assertThatThrownBy(() -> Main.parseSteps(new String[] {"--sweep-members", "-5"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sweep");
    }

    @Test
    void aSteppedRunStopsAfterAStepPastItsBoundShortOfItsRateOrWithFailures() {
        Main.Steps steps = new Main.Steps(java.util.List.of(100.0, 200.0), 3, 250, 0);
        assertThat(steps.goOn(report(100, 99, 0, 10, 20))).isTrue();
        assertThat(steps.goOn(report(100, 99, 0, 260, 20))).isFalse();
        assertThat(steps.goOn(report(100, 99, 0, 10, 260))).isFalse();
        assertThat(steps.goOn(report(100, 90, 0, 10, 20))).isFalse();
        assertThat(steps.goOn(report(100, 99, 1, 10, 20))).isFalse();
    }

    private static LoadReport report(double target, double achieved, long failed,
            long quoteMillis, long checkoutMillis) {
        Histogram quote = new Histogram(3_600_000_000L, 3);
        quote.recordValue(quoteMillis * 1000);
        Histogram checkout = new Histogram(3_600_000_000L, 3);
        checkout.recordValue(checkoutMillis * 1000);
        Histogram empty = new Histogram(3_600_000_000L, 3);
        return new LoadReport(target, achieved, 100, failed, 0, quote, checkout, checkout,
                empty, empty, empty, empty, Map.of(), Map.of());
    }
}
