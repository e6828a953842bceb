package io.kassa.engine.core.bench;

import io.kassa.engine.core.DemoChain;
import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.coupon.Coupon;
import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.quote.Quote;
import io.kassa.engine.core.quote.QuoteEngine;
import io.kassa.engine.core.quote.QuoteRequest;
import io.kassa.engine.core.rules.ChainRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Measures one quote of a 30-line basket with 10 held coupons (6 exclusive, 4 stackable) for a
 * GOLD member on member day with a points wish: the read-only path every checkout starts with.
 * Run with {@code main} (see engine/core/README.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class QuoteBenchmark {

    private ChainRules rules;
    private QuoteRequest request;

    @Setup
    public void setUp() {
        rules = DemoChain.rules();
        String[] categories = {"general", "apparel", "fresh", "high-margin", "tobacco", "shoes"};
        List<BasketLine> lines = new ArrayList<>();
        for (int index = 0; index < 30; index++) {
            lines.add(DemoChain.line("SKU" + index, categories[index % categories.length],
                    199 + index * 1_037L, 1 + index % 3));
        }
        lines.set(7, DemoChain.line("MILK", "fresh", 650, 2));
        String[] exclusive = {"cut-100-20", "cash-5", "pct-20-cap-50", "wake-up-100-30",
            "fresh-10-off", "sku-milk-3-off"};
        List<Coupon> coupons = new ArrayList<>();
        for (String id : exclusive) {
            coupons.add(DemoChain.coupon("E-" + id, DemoChain.templateById(id),
                    Optional.of("M1")));
        }
        for (int index = 0; index < 4; index++) {
            coupons.add(DemoChain.coupon("S" + index, DemoChain.templateById("small-2"),
                    Optional.of("M1")));
        }
        MemberSnapshot member = DemoChain.member("GOLD", 20_000, 8_000, 50_000);
        request = new QuoteRequest(DemoChain.STORE, DemoChain.WEDNESDAY, lines,
                Optional.of(member), coupons, 2_000);
        if (!(QuoteEngine.quote(rules, request) instanceof Decision.Accepted<Quote>)) {
            throw new IllegalStateException("the benchmark request must be accepted");
        }
    }

    @Benchmark
    public Decision<Quote> quoteThirtyLinesTenCoupons() {
        return QuoteEngine.quote(rules, request);
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(QuoteBenchmark.class.getSimpleName()).build())
                .run();
    }
}
