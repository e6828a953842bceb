package io.kassa.peripherals.gateway;

import io.kassa.peripherals.PeripheralVertx;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar kassa-peripherals.jar gateway-sim --port 8090 --callback-url
 * http://127.0.0.1:8080 --keys-dir target/gateway-keys ...}: runs the simulator until Ctrl-C,
 * then writes today's statement. Point the engine at it with
 * {@code KASSA_PAYMENT_KEYS_DIR=<keys-dir>/engine}.
 */
public final class GatewaySimulatorCommand {

    public static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar kassa-peripherals.jar gateway-sim [options]",
            "",
            "Simulated WeChat Pay, Alipay and UnionPay QR gateways with real signatures.",
            "The engine's keys are written to <keys-dir>/engine (KASSA_PAYMENT_KEYS_DIR).",
            "",
            "options:",
            "  --port PORT               listen port on 127.0.0.1 (default 8090; 0: free)",
            "  --callback-url URL        engine base URL for notifications (loopback)",
            "  --keys-dir DIR            keys loaded from or generated into DIR",
            "                            (default target/gateway-keys)",
            "  --seed X                  seed of the random knobs (default 42)",
            "  --latency-ms N            fixed latency of every answer",
            "  --jitter-ms N             random extra latency up to N",
            "  --failure-share P         share of definite failures, 0..1",
            "  --userpaying-share P      share asking for a password, 0..1",
            "  --password-ms N           time the customer takes for the password",
            "  --system-error-share P    share answering 'system error' though paid, 0..1",
            "  --unanswered-share P      share of pay calls never answered, 0..1",
            "  --reverse-attempts N      reverse/cancel calls needed, 1..10",
            "  --duplicates N            extra copies of each notification, 0..10",
            "  --notify-delay-ms N       delay of notifications (late ones: make it large)",
            "  --notify-jitter-ms N      random extra delay per copy (out of order)",
            "");

    private GatewaySimulatorCommand() {
    }

    /** Runs the command; returns the exit code (0 ok, 1 failed, 2 bad arguments). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        GatewaySimulatorOptions options = new GatewaySimulatorOptions()
                .setKeysDirectory(Path.of("target", "gateway-keys"));
        try {
            for (int index = 1; index < args.length; index += 2) {
                if (args[index].equals("--help")) {
                    out.print(USAGE);
                    return 0;
                }
                if (index + 1 >= args.length) {
                    throw new IllegalArgumentException(args[index] + " needs a value");
                }
                apply(options, args[index], args[index + 1]);
            }
            options.check();
        } catch (IllegalArgumentException bad) {
            err.println("error: " + bad.getMessage());
            return 2;
        }
        Vertx vertx = PeripheralVertx.create();
        GatewaySimulator simulator;
        try {
            simulator = GatewaySimulator.start(vertx, options).await(60, TimeUnit.SECONDS);
        } catch (Exception failed) {
            err.println("gateway-sim: " + failed.getMessage());
            vertx.close();
            return 1;
        }
        out.println("gateway-sim: listening on " + simulator.baseUrl()
                + "; engine keys in " + simulator.engineKeysDirectory().toAbsolutePath());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Path statement = simulator.writeStatement(
                        LocalDate.now(GatewaySimulator.CHANNEL_ZONE)).await(15, TimeUnit.SECONDS);
                out.println("gateway-sim: statement written to " + statement);
                simulator.stop().await(15, TimeUnit.SECONDS);
                vertx.close().await(15, TimeUnit.SECONDS);
            } catch (Exception slow) {
                err.println("gateway-sim: shutdown incomplete: " + slow.getMessage());
            }
            stopped.countDown();
        }, "gateway-sim-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void apply(GatewaySimulatorOptions options, String name, String value) {
        try {
            switch (name) {
                case "--port" -> options.setPort(Integer.parseInt(value));
                case "--callback-url" -> options.setCallbackUrl(value);
                case "--keys-dir" -> options.setKeysDirectory(Path.of(value));
                case "--seed" -> options.setSeed(Long.parseLong(value));
                case "--latency-ms" -> options.setLatencyMillis(Long.parseLong(value));
                case "--jitter-ms" -> options.setLatencyJitterMillis(Long.parseLong(value));
                case "--failure-share" -> options.setFailureShare(Double.parseDouble(value));
                case "--userpaying-share" -> options.setUserPayingShare(
                        Double.parseDouble(value));
                case "--password-ms" -> options.setUserPasswordMillis(Long.parseLong(value));
                case "--system-error-share" -> options.setSystemErrorShare(
                        Double.parseDouble(value));
                case "--unanswered-share" -> options.setUnansweredShare(
                        Double.parseDouble(value));
                case "--reverse-attempts" -> options.setReverseAttemptsNeeded(
                        Integer.parseInt(value));
                case "--duplicates" -> options.setDuplicateNotifications(Integer.parseInt(value));
                case "--notify-delay-ms" -> options.setNotificationDelayMillis(
                        Long.parseLong(value));
                case "--notify-jitter-ms" -> options.setNotificationJitterMillis(
                        Long.parseLong(value));
                default -> throw new IllegalArgumentException("unknown option '" + name + "'");
            }
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException(name + " expects a number, got '" + value + "'");
        }
    }
}
