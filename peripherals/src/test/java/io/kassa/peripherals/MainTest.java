package io.kassa.peripherals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.peripherals.possim.PosSimulatorOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Checks the hand-written command line: every option parsed, help on request, and a clear
 * message with exit code 2 for each kind of bad argument, without starting a simulator.
 */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void parsesEveryOption() throws Exception {
        PosSimulatorOptions options = Main.parse(new String[] {"pos-sim", "--host", "10.0.0.5",
                "--port", "7421", "--terminals", "30", "--stores", "5", "--rate", "12.5",
                "--duration", "60", "--seed", "7", "--run-id", "demo1"});

        assertThat(options.getHost()).isEqualTo("10.0.0.5");
        assertThat(options.getPort()).isEqualTo(7421);
        assertThat(options.getTerminals()).isEqualTo(30);
        assertThat(options.getStores()).isEqualTo(5);
        assertThat(options.getRatePerSecond()).isEqualTo(12.5);
        assertThat(options.getDurationSeconds()).isEqualTo(60);
        assertThat(options.getSeed()).isEqualTo(7);
        assertThat(options.getRunId()).isEqualTo("demo1");
    }

    @Test
    void defaultsMatchTheDocumentedCommand() throws Exception {
        PosSimulatorOptions options = Main.parse(new String[] {"pos-sim"});

        assertThat(options.getHost()).isEqualTo("127.0.0.1");
        assertThat(options.getPort()).isEqualTo(7420);
        assertThat(options.getTerminals()).isEqualTo(20);
        assertThat(options.getStores()).isEqualTo(4);
        assertThat(options.getRatePerSecond()).isEqualTo(10);
        assertThat(options.getDurationSeconds()).isZero();
        assertThat(options.getSeed()).isEqualTo(42);
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        assertThat(run("--help")).isEqualTo(Main.EXIT_OK);
        assertThat(text(out)).contains("usage:", "--terminals", "--rate");
        assertThat(run("pos-sim", "--port", "1", "-h")).isEqualTo(Main.EXIT_OK);
    }

    @Test
    void badArgumentsPrintAClearMessageAndExitTwo() {
        assertBad("no command", "a command is required");
        assertBad("unknown command", "unknown command 'simulate'", "simulate");
        assertBad("unknown option", "unknown option '--speed'", "pos-sim", "--speed", "3");
        assertBad("missing value", "--port needs a value", "pos-sim", "--port");
        assertBad("not a number", "--port expects an integer, got 'abc'", "pos-sim", "--port",
                "abc");
        assertBad("out of range", "port must be 1..65535", "pos-sim", "--port", "70000");
        assertBad("rate not finite", "--rate expects a number", "pos-sim", "--rate", "NaN");
        assertBad("more stores than terminals", "must not exceed terminals", "pos-sim",
                "--terminals", "2", "--stores", "3");
        assertBad("stray argument", "unexpected argument 'extra'", "pos-sim", "--port", "1",
                "extra");
    }

    @Test
    void parseRefusesUnknownCommandWithUsageException() {
        assertThatThrownBy(() -> Main.parse(new String[] {"printer"}))
                .isInstanceOf(Main.UsageException.class);
    }

    private void assertBad(String why, String message, String... args) {
        err.reset();
        assertThat(run(args)).as(why).isEqualTo(Main.EXIT_USAGE);
        assertThat(text(err)).as(why).contains(message);
    }

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}
