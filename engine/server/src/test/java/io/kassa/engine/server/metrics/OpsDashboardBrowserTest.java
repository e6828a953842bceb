package io.kassa.engine.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.testing.DemoLoad;
import io.kassa.engine.server.testing.TestEngine;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The live dashboard in a real browser: the build installs Debian chromium and playwright-core
 * when they are missing (src/test/browser/ensure-browser.sh), an engine takes demo checkouts
 * from SDK terminals, headless chromium loads /ops, the numbers must move between two readings,
 * and the screenshot stays in target/ops-dashboard.png as a build artifact.
 */
class OpsDashboardBrowserTest {

    /** The one-time install (apt-get + npm) may take this long on a slow mirror. */
    static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

    static final Duration BROWSER_TIMEOUT = Duration.ofSeconds(90);

    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path TOOLS = MODULE.resolve("target/browser-tools");
    static final Path SCREENSHOT = MODULE.resolve("target/ops-dashboard.png");

    @Test
    void dashboardNumbersMoveInHeadlessChromium() throws Exception {
        long installStarted = System.nanoTime();
        String chromium = run(List.of("sh", "src/test/browser/ensure-browser.sh",
                TOOLS.toString()), INSTALL_TIMEOUT).strip();
        System.out.printf("browser tools ready in %d ms (chromium at %s)%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - installStarted), chromium);

        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger committed = new AtomicInteger();
        try (TestEngine engine = TestEngine.start("browser");
                DemoLoad load = new DemoLoad(engine).connect("S001", "S002", "C001")) {
            List<String> memberCodes = members(engine, 8);
            load.checkouts(3);
            Thread traffic = new Thread(() -> {
                int round = 0;
                while (loading.get()) {
                    try {
                        committed.addAndGet(load.checkouts(2).size());
                        load.memberCheckout(memberCodes.get(round++ % memberCodes.size()),
                                12_000);
                        committed.incrementAndGet();
                        Thread.sleep(150);
                    } catch (Exception stopped) {
                        return;
                    }
                }
            }, "demo-traffic");
            traffic.start();
            try {
                Files.deleteIfExists(SCREENSHOT);
                String output = run(List.of("node", "src/test/browser/ops-dashboard.cjs",
                        "http://127.0.0.1:" + engine.engine().httpPort() + "/ops",
                        SCREENSHOT.toString(), "6"), BROWSER_TIMEOUT);
                JsonObject result = new JsonObject(output.lines()
                        .filter(line -> line.startsWith("{")).reduce((a, b) -> b)
                        .orElseThrow(() -> new AssertionError("no result from the browser: "
                                + output)));
                JsonObject first = result.getJsonObject("first");
                JsonObject second = result.getJsonObject("second");
                System.out.println("dashboard readings: " + result.encode());

                assertThat(result.getJsonArray("errors")).as("script errors in the page")
                        .isEmpty();
                assertThat(first.getString("stream")).isEqualTo("live");
                assertThat(first.getString("postgres")).contains("ok");
                assertThat(first.getLong("total")).isPositive();
                assertThat(second.getLong("total")).isGreaterThan(first.getLong("total"));
                assertThat(second.getString("updated")).isNotEqualTo(first.getString("updated"));
                assertThat(second.getLong("terminals")).isEqualTo(3);
                assertThat(second.getString("p50")).isNotEqualTo("–");
                assertThat(Files.size(SCREENSHOT)).isGreaterThan(20_000);
            } finally {
                loading.set(false);
                traffic.join(10_000);
            }
        }
        assertThat(committed.get()).isPositive();
    }

    /**
     * Members registered through the admin API, each given a "spend 100 get 20" coupon that
     * their first sale of 120 yuan redeems: points and coupons move on the dashboard too.
     */
    static List<String> members(TestEngine engine, int count) throws Exception {
        String key = engine.engine().operations().admin().createKey("browser test",
                io.kassa.engine.server.admin.ApiRole.HQ_ADMIN, java.util.Set.of())
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        io.kassa.engine.server.testing.Http http =
                new io.kassa.engine.server.testing.Http(engine.engine().httpPort());
        List<String> codes = new java.util.ArrayList<>();
        for (int index = 0; index < count; index++) {
            JsonObject member = http.post("/api/v1/members", key, "{\"phone\":\"1880000000"
                    + index + "\",\"homeStoreId\":\"S001\"}").json();
            assertThat(http.post("/api/v1/members/" + member.getString("memberId")
                    + "/coupons", key, "{\"templateId\":\"cut-100-20\"}").status())
                    .isEqualTo(201);
            codes.add(member.getString("memberCode"));
        }
        return codes;
    }

    /** Runs a command in the module directory; its stdout, or a failure with its output. */
    static String run(List<String> command, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(MODULE.toFile())
                .redirectErrorStream(false);
        builder.environment().put("PLAYWRIGHT_CORE",
                TOOLS.resolve("node_modules/playwright-core").toString());
        // Both streams to files, so that a hung command cannot block the test beyond timeout.
        Path out = Files.createTempFile("kassa-browser", ".out");
        Path errors = Files.createTempFile("kassa-browser", ".log");
        builder.redirectOutput(out.toFile()).redirectError(errors.toFile());
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + timeout + "\n"
                    + Files.readString(errors));
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(errors);
        Files.delete(out);
        Files.delete(errors);
        if (process.exitValue() != 0) {
            throw new AssertionError(command + " exited " + process.exitValue() + "\n" + output
                    + "\n" + stderr);
        }
        return output;
    }
}
