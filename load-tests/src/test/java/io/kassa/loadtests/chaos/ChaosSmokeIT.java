package io.kassa.loadtests.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chaos smoke of every build: {@code load-tests/chaos/chaos.sh} for 40 s of load on the
 * jars this build packaged, with the engine killed (kill -9) and restarted, Redis restarted
 * empty and PostgreSQL crashed and restarted under load, then every sale's answer checked
 * against the ledger and the invariant checker run. Under two minutes on two cores.
 */
class ChaosSmokeIT {

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void nothingIsLostOrDoubleSpentThroughKillsAndRestarts() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path script = root.resolve("load-tests/chaos/chaos.sh");
        Path output = Files.createTempFile("kassa-chaos-smoke", ".log");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), "40", "40", "12",
                "20", "1", "1", "0").directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("CHAOS_SMOKE", "1");
        // Below Linux's ephemeral range (32768-60999 by default), which an outgoing connection
        // of any other process may be holding a port of when the run binds it.
        builder.environment().put("CHAOS_PG_PORT", "25732");
        builder.environment().put("CHAOS_REDIS_PORT", "26679");
        builder.environment().put("CHAOS_ENGINE_PORT", "27720");
        builder.environment().put("CHAOS_ENGINE_HTTP_PORT", "28380");
        builder.environment().put("CHAOS_GATEWAY_PORT", "28390");
        Process run = builder.start();
        boolean ended = run.waitFor(160, TimeUnit.SECONDS);
        if (!ended) {
            run.descendants().forEach(ProcessHandle::destroy);
            run.destroy();
        }
        String log = read(output);
        System.out.println(log.lines().filter(line -> !line.startsWith("\tat "))
                .reduce("", (all, line) -> all + line + System.lineSeparator()));
        assertThat(ended).as("the smoke ends within 160 s").isTrue();
        Assumptions.assumeFalse(run.exitValue() == 3,
                "redis-server and PostgreSQL's initdb/pg_ctl are not installed here");
        assertThat(log).contains("chaos: PASSED").contains("lost=0 double_spent=0")
                .containsPattern("[1-9][0-9]* engine kills").contains("1 Redis wipes")
                .contains("invariants: green");
        assertThat(run.exitValue()).isZero();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
