package io.kassa.engine.server.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The deterministic simulation of channel payments, over many seeds.
 *
 * <pre>
 * mvn -B -o -pl engine/server test -Dtest=PaymentSimulationTest                 (CI: seeds 1..5000)
 * mvn -B -o -pl engine/server test -Dtest=PaymentSimulationTest -Dkassa.sim.seeds=100000 -Dkassa.sim.from=5000
 * mvn -B -o -pl engine/server test -Dtest=PaymentSimulationTest -Dkassa.sim.seed=1234  (replay one, with its trace)
 * </pre>
 */
class PaymentSimulationTest {

    /** Seeds a CI run tries: a few thousand, in well under a minute. */
    static final int CI_SEEDS = 5_000;

    private static Level checkoutLogLevel;

    @BeforeAll
    static void quiet() {
        // Thousands of runs of faults log thousands of warnings that a run's trace already
        // tells better; a failing seed's trace is printed below.
        Logger checkout = (Logger) LoggerFactory.getLogger("io.kassa.engine.server.checkout");
        checkoutLogLevel = checkout.getLevel();
        checkout.setLevel(Level.OFF);
    }

    @AfterAll
    static void restore() {
        ((Logger) LoggerFactory.getLogger("io.kassa.engine.server.checkout"))
                .setLevel(checkoutLogLevel);
    }

    @Test
    void everySeedKeepsTheMoneyRight() {
        Long only = Long.getLong("kassa.sim.seed");
        long from = only != null ? only : Long.getLong("kassa.sim.from", 1L);
        int seeds = only != null ? 1 : Integer.getInteger("kassa.sim.seeds", CI_SEEDS);
        long started = System.nanoTime();
        List<Long> failed = new ArrayList<>();
        long sales = 0;
        long committed = 0;
        long crashes = 0;
        long pays = 0;
        long events = 0;
        for (long seed = from; seed < from + seeds; seed++) {
            Simulation.Result result = Simulation.run(seed, only != null);
            sales += result.sales();
            committed += result.committed();
            crashes += result.crashes();
            pays += result.payCalls();
            events += result.events();
            if (only != null) {
                result.trace().forEach(System.out::println);
            }
            if (!result.passed()) {
                failed.add(seed);
                System.out.println("SIMULATION FAILED, seed " + seed + ": "
                        + String.join("; ", result.violations()));
                System.out.println("  replay: mvn -B -o -pl engine/server test"
                        + " -Dtest=PaymentSimulationTest -Dkassa.sim.seed=" + seed);
            }
        }
        System.out.printf("payment simulation: %d seeds from %d in %d ms: %d sales,"
                + " %d committed, %d pay calls, %d engine crashes, %d events; failed seeds %s%n",
                seeds, from, (System.nanoTime() - started) / 1_000_000, sales, committed, pays,
                crashes, events, failed);
        assertThat(failed).as("failing seeds (replay each with -Dkassa.sim.seed=N)").isEmpty();
    }

    @Test
    void aSeedReplaysExactly() {
        for (long seed : new long[] {7, 1_000_003, 424_242}) {
            Simulation.Result first = Simulation.run(seed, true);
            Simulation.Result again = Simulation.run(seed, true);
            assertThat(again.trace()).isEqualTo(first.trace());
            assertThat(again.traceHash()).isEqualTo(first.traceHash());
            assertThat(first.events()).isGreaterThan(100);
        }
    }

    @Test
    void aBlindJanitorIsCaught() {
        assertThat(firstCaught(Simulation.Mutation.JANITOR_BLIND))
                .as("a seed whose run shows that a janitor that does nothing loses money")
                .anySatisfy(violation -> assertThat(violation).contains("left"));
    }

    @Test
    void aChannelThatSwallowsReversesIsCaught() {
        assertThat(firstCaught(Simulation.Mutation.REVERSE_SWALLOWED))
                .anySatisfy(violation -> assertThat(violation).contains("the channels hold"));
    }

    private static List<String> firstCaught(Simulation.Mutation mutation) {
        for (long seed = 1; seed <= 500; seed++) {
            Simulation.Result result = Simulation.run(seed, false, mutation);
            if (!result.passed()) {
                return result.violations();
            }
        }
        return List.of();
    }
}
