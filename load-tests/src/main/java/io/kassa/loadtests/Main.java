package io.kassa.loadtests;

import io.kassa.peripherals.PeripheralVertx;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar kassa-load-tests.jar --port 7420 --terminals 200 --rate 500 --duration 30}
 * runs one open-model load and prints its report.
 */
public final class Main {

    private static final String USAGE = """
            usage: kassa-load [--host H] [--port P] [--terminals N] [--stores N] [--rate R]
                              [--duration S] [--warmup S] [--seed N] [--constant]
                              [--members N] [--demo-secret-seed S] [--userpaying P]
                              [--refunds P] [--rates R1,R2,.. [--settle S] [--stop-above-ms MS]
                              [--sweep-members R]]
              --rate       target sales per second (quote + checkout), default 100
              --rates      steps of target rates over the same connections, one report line
                           each (after a "step target=R" line as it starts); the warm-up
                           runs before the first, --settle seconds (default 3) before each
                           later one; with --stop-above-ms, no step follows one whose quote
                           or checkout p99 passed it, that fell below 95% of its target, or
                           that had a failed sale; with --sweep-members, every member is
                           quoted once (R quotes a second) before the warm-up, so the steps
                           measure members the engine already holds
              --duration   measured seconds after the warm-up, default 30
              --constant   constant inter-arrival gaps instead of Poisson arrivals
              --members    demo members member-0001..N (default 0: anonymous sales)
              --userpaying percent of sales paying by scanned code (default 10; 0 for an
                           engine without payment channels)
              --refunds    percent of sales refunded whole after their checkout (default 2)
              --demo-secret-seed  the engine's demo seed (default: KASSA_DEMO_TERMINAL_SECRET_SEED)""";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        Steps steps;
        try {
            options = parse(args);
            steps = parseSteps(args);
        } catch (IllegalArgumentException e) {
            System.err.println("kassa-load: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Vertx vertx = PeripheralVertx.create();
        long startedNanos = System.nanoTime();
        try {
            if (steps.rates().isEmpty()) {
                LoadReport report = new TerminalLoadGenerator(vertx, options).run()
                        .toCompletionStage().toCompletableFuture()
                        .get(options.durationSeconds() + options.warmupSeconds() + 120L,
                                TimeUnit.SECONDS);
                System.out.print(report.table());
                // What the generator itself took of the machine it shares with the engine.
                System.out.println(report.keyValues() + String.format(java.util.Locale.ROOT,
                        " cpu_generator=%.2f", cpuCores(startedNanos)));
                return;
            }
            long[] stepStart = {startedNanos, processCpuNanos()};
            long sweepSeconds = steps.memberSweepPerSecond() > 0
                    ? (long) Math.ceil(options.members() / steps.memberSweepPerSecond()) : 0;
            long deadlineSeconds = sweepSeconds + options.warmupSeconds()
                    + (long) steps.rates().size()
                    * (options.durationSeconds() + steps.settleSeconds() + 120L);
            TerminalLoadGenerator generator = new TerminalLoadGenerator(vertx, options);
            if (steps.memberSweepPerSecond() > 0) {
                generator.sweepMembersFirst(steps.memberSweepPerSecond());
            }
            boolean[] swept = {false};
            generator.runSteps(steps.rates(), steps.settleSeconds(),
                            rate -> {
                                if (!swept[0] && steps.memberSweepPerSecond() > 0) {
                                    swept[0] = true;
                                    System.out.printf(java.util.Locale.ROOT, "sweep: %d of %d"
                                            + " members quoted before the warm-up%n",
                                            generator.membersSwept(), options.members());
                                }
                                stepStart[0] = System.nanoTime();
                                stepStart[1] = processCpuNanos();
                                System.out.printf(java.util.Locale.ROOT, "step target=%.0f%n",
                                        rate);
                                System.out.flush();
                            },
                            report -> {
                                double cores = (processCpuNanos() - stepStart[1])
                                        / (double) Math.max(1, System.nanoTime() - stepStart[0]);
                                System.out.println(report.keyValues() + String.format(
                                        java.util.Locale.ROOT, " cpu_generator=%.2f", cores));
                                System.out.flush();
                            },
                            report -> steps.goOn(report))
                    .toCompletionStage().toCompletableFuture()
                    .get(deadlineSeconds, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** The steps of a stepped run: none for a run at one rate. */
    record Steps(List<Double> rates, int settleSeconds, double stopAboveMillis,
            double memberSweepPerSecond) {

        /** Whether a step follows the one that reported {@code report}. */
        boolean goOn(LoadReport report) {
            return report.salesFailed() == 0
                    && report.achievedSalesPerSecond() >= 0.95 * report.targetRatePerSecond()
                    && report.quoteMicros().getValueAtPercentile(99) / 1000.0 <= stopAboveMillis
                    && report.checkoutMicros().getValueAtPercentile(99) / 1000.0
                            <= stopAboveMillis;
        }
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /** This process's CPU time since {@code startedNanos}, in cores (JVM start-up included). */
    static double cpuCores(long startedNanos) {
        java.lang.management.OperatingSystemMXBean system =
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (!(system instanceof com.sun.management.OperatingSystemMXBean os)) {
            return Double.NaN;
        }
        long wallNanos = System.nanoTime() - startedNanos;
        return wallNanos <= 0 ? Double.NaN : os.getProcessCpuTime() / (double) wallNanos;
    }

    private static final java.util.Set<String> STEP_ARGUMENTS =
            java.util.Set.of("--rates", "--settle", "--stop-above-ms", "--sweep-members");

    /** The stepping arguments ({@code --rates}, {@code --settle}, {@code --stop-above-ms}). */
    static Steps parseSteps(String[] args) {
        List<Double> rates = new java.util.ArrayList<>();
        int settle = 3;
        double stopAbove = Double.MAX_VALUE;
        double sweep = 0;
        try {
            for (int index = 0; index + 1 < args.length; index++) {
                switch (args[index]) {
                    case "--rates" -> {
                        for (String rate : args[++index].split(",")) {
                            double value = Double.parseDouble(rate.trim());
                            if (!(value > 0) || value > 1_000_000) {
                                throw new IllegalArgumentException(
                                        "every rate must be > 0 and <= 1000000");
                            }
                            rates.add(value);
                        }
                    }
                    case "--settle" -> settle = Integer.parseInt(args[++index]);
                    case "--stop-above-ms" -> stopAbove = Double.parseDouble(args[++index]);
                    case "--sweep-members" -> sweep = Double.parseDouble(args[++index]);
                    default -> { }
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + e.getMessage(), e);
        }
        if (settle < 0) {
            throw new IllegalArgumentException("settle must be >= 0");
        }
        if (sweep < 0 || sweep > 1_000_000) {
            throw new IllegalArgumentException("the member sweep's rate must be 0..1000000");
        }
        return new Steps(List.copyOf(rates), settle, stopAbove, sweep);
    }

    static LoadOptions parse(String[] args) {
        Map<String, String> values = new HashMap<>(Map.of("--host", "127.0.0.1",
                "--port", "7420", "--terminals", "100", "--stores", "10", "--rate", "100",
                "--duration", "30", "--warmup", "5", "--seed", "42", "--members", "0",
                "--demo-secret-seed", System.getenv().getOrDefault(
                        "KASSA_DEMO_TERMINAL_SECRET_SEED", "")));
        values.put("--userpaying", Integer.toString(SaleMix.USERPAYING_PERCENT));
        values.put("--refunds", Integer.toString(SaleMix.REFUND_PERCENT));
        boolean poisson = true;
        for (int index = 0; index < args.length; index++) {
            String name = args[index];
            if (name.equals("--constant")) {
                poisson = false;
            } else if (STEP_ARGUMENTS.contains(name) && index + 1 < args.length) {
                index++; // read by parseSteps
            } else if (name.equals("--help")) {
                throw new IllegalArgumentException("help requested");
            } else if (values.containsKey(name) && index + 1 < args.length) {
                values.put(name, args[++index]);
            } else {
                throw new IllegalArgumentException("unknown or incomplete argument: " + name);
            }
        }
        try {
            return new LoadOptions(values.get("--host"), Integer.parseInt(values.get("--port")),
                    Integer.parseInt(values.get("--terminals")),
                    Integer.parseInt(values.get("--stores")),
                    Double.parseDouble(values.get("--rate")),
                    Integer.parseInt(values.get("--duration")),
                    Integer.parseInt(values.get("--warmup")),
                    Long.parseLong(values.get("--seed")), poisson,
                    Integer.parseInt(values.get("--members")), values.get("--demo-secret-seed"),
                    Integer.parseInt(values.get("--userpaying")),
                    Integer.parseInt(values.get("--refunds")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + e.getMessage(), e);
        }
    }
}
