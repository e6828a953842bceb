package io.kassa.loadtests;

import io.vertx.core.Vertx;
import java.util.HashMap;
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
                              [--refunds P]
              --rate       target sales per second (quote + checkout), default 100
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
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("kassa-load: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Vertx vertx = Vertx.vertx();
        long startedNanos = System.nanoTime();
        try {
            LoadReport report = new TerminalLoadGenerator(vertx, options).run()
                    .toCompletionStage().toCompletableFuture()
                    .get(options.durationSeconds() + options.warmupSeconds() + 120L,
                            TimeUnit.SECONDS);
            System.out.print(report.table());
            // What the generator itself took of the machine it shares with the engine.
            System.out.println(report.keyValues() + String.format(java.util.Locale.ROOT,
                    " cpu_generator=%.2f", cpuCores(startedNanos)));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
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
