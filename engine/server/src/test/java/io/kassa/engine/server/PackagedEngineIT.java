package io.kassa.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.testing.TestServices;
import io.kassa.peripherals.sdk.TerminalClient;
import io.kassa.peripherals.sdk.TerminalClientOptions;
import io.kassa.protocol.TerminalAuthentication;
import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The engine as it ships — the shaded jar, started as its own process with demo members on a
 * scratch schema — takes a member's checkout from the SDK over TCP, serves its metrics, and
 * stops cleanly on SIGTERM. Catches what tests on the class path cannot: a dependency missing
 * from the jar, a start-up that only works in a test JVM.
 */
class PackagedEngineIT {

    private static final String SEED = "packaged-engine-it-seed";

    @Test
    void thePackagedJarSellsReportsAndStops() throws Exception {
        Path jar = Path.of("target", "kassa-engine.jar");
        assertThat(jar).exists();
        String schema = TestServices.freshSchema("packaged");
        int terminalPort = freePort();
        int httpPort = freePort();
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-jar", jar.toString())
                .redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("KASSA_PG_URL", TestServices.postgresUrl());
        environment.put("KASSA_PG_SCHEMA", schema);
        environment.put("KASSA_REDIS_URL", TestServices.redisUrl());
        environment.put("KASSA_TERMINAL_HOST", "127.0.0.1");
        environment.put("KASSA_TERMINAL_PORT", Integer.toString(terminalPort));
        environment.put("KASSA_HTTP_HOST", "127.0.0.1");
        environment.put("KASSA_HTTP_PORT", Integer.toString(httpPort));
        environment.put("KASSA_DEMO_TERMINAL_SECRET_SEED", SEED);
        environment.put("KASSA_DEMO_MEMBERS", "3");
        environment.put(KassaEngine.SCRATCH_DATABASE_VARIABLE,
                KassaEngine.SCRATCH_DATABASE_ACKNOWLEDGED);
        Process engine = builder.start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> readLines(engine, output), "packaged-engine-output");
        reader.start();
        Vertx vertx = Vertx.vertx();
        try {
            awaitLine(output, "demo members created", engine);

            TerminalClient client = TerminalClient.create(vertx, new TerminalClientOptions()
                    .setPort(terminalPort).setStoreId("store-001").setTerminalId("T-it")
                    .setSecret(TerminalAuthentication.demoSecret(SEED, "store-001", "T-it")));
            await(client.connect());
            BasketLine rice = BasketLine.newBuilder().setSku("rice").setCategory("grocery")
                    .setUnitPriceFen(12_000).setQuantity(1).build();
            QuoteResponse quote = await(client.quote(QuoteRequest.newBuilder()
                    .setCurrency("CNY").addLines(rice).setMemberCode("member-0001")
                    .setPointsWish(1_000).build()));
            assertThat(quote.getMember().getStoredValueFen()).isEqualTo(50_000);
            long rest = quote.getPayableFen() - quote.getPointsAmountFen();
            CheckoutResponse sale = await(client.checkout(CheckoutRequest.newBuilder()
                    .setSaleId("it-1").setCurrency("CNY").setMemberCode("member-0001")
                    .addLines(rice)
                    .addTenders(Tender.newBuilder().setType(TenderType.POINTS)
                            .setAmountFen(quote.getPointsAmountFen()))
                    .addTenders(Tender.newBuilder().setType(TenderType.STORED_VALUE)
                            .setAmountFen(rest))
                    .build()));
            assertThat(sale.getPointsRedeemed()).isEqualTo(1_000);
            await(client.close());

            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("kassa_checkouts_total");

            // SIGTERM: the shutdown hook drains and stops; the JVM then exits with 143.
            engine.destroy();
            assertThat(engine.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            assertThat(engine.exitValue()).isIn(0, 143);
            reader.join(5_000);
            assertThat(output).noneMatch(line -> line.contains("Exception"));
        } finally {
            engine.destroyForcibly();
            await(vertx.close());
            TestServices.dropSchema(schema);
        }
    }

    /**
     * An engine that cannot reach Redis at start (restarting, or not there yet) exits with 1
     * and says why, so that its supervisor starts it again; it must not linger half-started,
     * alive to a supervisor's eye but serving nothing (its event loops kept the JVM up).
     */
    @Test
    void anEngineWhoseRedisDoesNotAnswerExitsForItsSupervisor() throws Exception {
        Path jar = Path.of("target", "kassa-engine.jar");
        String schema = TestServices.freshSchema("packaged_no_redis");
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-jar", jar.toString())
                .redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("KASSA_PG_URL", TestServices.postgresUrl());
        environment.put("KASSA_PG_SCHEMA", schema);
        // A loopback port nobody listens on: every connection is refused.
        environment.put("KASSA_REDIS_URL", "redis://127.0.0.1:" + freePort());
        environment.put("KASSA_TERMINAL_HOST", "127.0.0.1");
        environment.put("KASSA_TERMINAL_PORT", Integer.toString(freePort()));
        environment.put("KASSA_HTTP_HOST", "127.0.0.1");
        environment.put("KASSA_HTTP_PORT", Integer.toString(freePort()));
        Process engine = builder.start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> readLines(engine, output), "packaged-engine-output");
        reader.start();
        try {
            assertThat(engine.waitFor(60, TimeUnit.SECONDS))
                    .as("exited within 60 s: %s", output).isTrue();
            assertThat(engine.exitValue()).isEqualTo(1);
            reader.join(5_000);
            assertThat(output).anyMatch(line -> line.contains("kassa: could not start")
                    && line.contains("Redis PING failed"));
        } finally {
            engine.destroyForcibly();
            TestServices.dropSchema(schema);
        }
    }

    private static void readLines(Process engine, List<String> output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                engine.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
            }
        } catch (IOException ended) {
            // The process is gone; what it printed is in the list.
        }
    }

    private static void awaitLine(List<String> output, String text, Process engine)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (output.stream().anyMatch(line -> line.contains(text))) {
                return;
            }
            if (!engine.isAlive()) {
                throw new AssertionError("the engine exited: " + String.join("\n", output));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' within 60 s: " + String.join("\n", output));
    }

    private static String javaBinary() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return Files.isExecutable(java) ? java.toString() : "java";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
