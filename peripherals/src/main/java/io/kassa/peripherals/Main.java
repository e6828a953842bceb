package io.kassa.peripherals;

import io.kassa.peripherals.possim.PosSimulator;
import io.kassa.peripherals.possim.PosSimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Command line of the peripherals jar. One command so far:
 *
 * <pre>
 * java -jar kassa-peripherals.jar pos-sim --host 127.0.0.1 --port 7420 --terminals 20 \
 *     --stores 4 --rate 10 --duration 0 --seed 42
 * </pre>
 *
 * <p>Exit codes: 0 after a clean run (or {@code --help}), 1 when the simulator could not run
 * (no terminal could connect), 2 on bad arguments. Ctrl-C stops the simulator, which closes
 * every client and prints its summary, then closes Vert.x.
 */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    /** How long the shutdown hook waits for the simulator and Vert.x to close. */
    static final long SHUTDOWN_WAIT_SECONDS = 15;

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar kassa-peripherals.jar pos-sim [options]",
            "",
            "Simulated POS terminals ringing up random baskets against a Kassa engine:",
            "each sale is a quote, then a checkout paid in cash.",
            "",
            "options:",
            "  --host HOST      engine host (default 127.0.0.1)",
            "  --port PORT      engine port (default 7420)",
            "  --engines H:P,H:P  several engine nodes instead of host and port: each terminal",
            "                   starts at one and moves to the next when its connection is lost",
            "  --terminals N    simulated terminals, 1.." + PosSimulatorOptions.TERMINALS_MAX
                    + " (default 20)",
            "  --stores N       stores the terminals are spread over (default 4)",
            "  --rate R         checkouts per second across all terminals (default 10)",
            "  --duration S     seconds to run; 0 runs until Ctrl-C (default 0)",
            "  --seed X         seed of the baskets and cash amounts (default 42)",
            "  --members N      present members member-0001..N on 70% of sales (default 0)",
            "  --run-id ID      prefix of sale ids, 1..12 letters or digits",
            "                   (default: derived from the start time)",
            "  --demo-secret-seed SEED  the demo engine's KASSA_DEMO_TERMINAL_SECRET_SEED",
            "                   (default: that environment variable)",
            "  --help           print this text",
            "");

    private Main() {
    }

    public static void main(String[] args) {
        // Before the first logger exists: the jar's own configuration, unless one was given.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "kassa-peripherals-logback.xml");
        }
        if (System.getProperty("vertx.logger-delegate-factory-class-name") == null) {
            System.setProperty("vertx.logger-delegate-factory-class-name",
                    "io.vertx.core.logging.SLF4JLogDelegateFactory");
        }
        int exitCode = run(args, System.out, System.err);
        System.exit(exitCode);
    }

    /** Parses and runs; returns the exit code. Separate from {@link #main} for tests. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("gateway-sim")) {
            return io.kassa.peripherals.gateway.GatewaySimulatorCommand.run(args, out, err);
        }
        PosSimulatorOptions options;
        try {
            options = parse(args);
        } catch (UsageException bad) {
            err.println("error: " + bad.getMessage());
            err.println("run with --help for usage");
            return EXIT_USAGE;
        }
        if (options == null) {
            out.print(USAGE);
            return EXIT_OK;
        }
        return runPosSimulator(options, err);
    }

    /**
     * Parses {@code pos-sim --name value ...}.
     *
     * @return the checked options, or null when help was asked for
     * @throws UsageException naming what is wrong
     */
    static PosSimulatorOptions parse(String[] args) throws UsageException {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            }
        }
        if (args.length == 0) {
            throw new UsageException("a command is required: pos-sim");
        }
        if (!args[0].equals("pos-sim")) {
            throw new UsageException("unknown command '" + args[0] + "'; the command is pos-sim");
        }
        PosSimulatorOptions options = new PosSimulatorOptions()
                .setDemoSecretSeed(System.getenv("KASSA_DEMO_TERMINAL_SECRET_SEED"));
        for (int i = 1; i < args.length; i += 2) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new UsageException(name.startsWith("--") ? name + " needs a value"
                        : "unexpected argument '" + name + "'");
            }
            String value = args[i + 1];
            switch (name) {
                case "--host" -> options.setHost(value);
                case "--port" -> options.setPort(parseInt(name, value));
                case "--engines" -> options.setEngines(java.util.List.of(value.split(",")));
                case "--terminals" -> options.setTerminals(parseInt(name, value));
                case "--stores" -> options.setStores(parseInt(name, value));
                case "--rate" -> options.setRatePerSecond(parseDouble(name, value));
                case "--duration" -> options.setDurationSeconds(parseLong(name, value));
                case "--seed" -> options.setSeed(parseLong(name, value));
                case "--run-id" -> options.setRunId(value);
                case "--demo-secret-seed" -> options.setDemoSecretSeed(value);
                case "--members" -> options.setMembers(parseInt(name, value));
                default -> throw new UsageException("unknown option '" + name + "'");
            }
        }
        try {
            options.check();
        } catch (IllegalArgumentException outOfRange) {
            throw new UsageException(outOfRange.getMessage());
        }
        return options;
    }

    private static int parseInt(String name, String value) throws UsageException {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException notANumber) {
            throw new UsageException(name + " expects an integer, got '" + value + "'");
        }
    }

    private static long parseLong(String name, String value) throws UsageException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException notANumber) {
            throw new UsageException(name + " expects an integer, got '" + value + "'");
        }
    }

    private static double parseDouble(String name, String value) throws UsageException {
        try {
            double parsed = Double.parseDouble(value);
            if (!Double.isFinite(parsed)) {
                throw new NumberFormatException("not finite");
            }
            return parsed;
        } catch (NumberFormatException notANumber) {
            throw new UsageException(name + " expects a number, got '" + value + "'");
        }
    }

    private static int runPosSimulator(PosSimulatorOptions options, PrintStream err) {
        Vertx vertx = PeripheralVertx.create();
        PosSimulator simulator = PosSimulator.create(vertx, options);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            try {
                waitFor(simulator.stop());
                waitFor(vertx.close());
            } catch (RuntimeException slow) {
                err.println("pos-sim: shutdown incomplete: " + slow.getMessage());
            }
        }, "pos-sim-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            waitFor(simulator.start(), Long.MAX_VALUE);
        } catch (RuntimeException failed) {
            err.println("pos-sim: " + failed.getMessage());
            closeQuietly(simulator, vertx, hook);
            return EXIT_FAILED;
        }
        // Blocks the main thread (not an event loop) until the duration ends or Ctrl-C.
        waitFor(simulator.completion(), Long.MAX_VALUE);
        if (!interrupted.get()) {
            closeQuietly(simulator, vertx, hook);
        }
        return EXIT_OK;
    }

    private static void closeQuietly(PosSimulator simulator, Vertx vertx, Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            return;
        }
        waitFor(simulator.stop());
        waitFor(vertx.close());
    }

    private static void waitFor(Future<?> future) {
        waitFor(future, SHUTDOWN_WAIT_SECONDS);
    }

    private static void waitFor(Future<?> future, long seconds) {
        try {
            future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            throw cause instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(cause);
        } catch (TimeoutException slow) {
            throw new IllegalStateException("not done within " + seconds + " s", slow);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", interrupted);
        }
    }

    /** The command line is wrong; the message says how. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
