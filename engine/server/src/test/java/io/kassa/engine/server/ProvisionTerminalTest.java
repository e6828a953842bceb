package io.kassa.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provisioning command prints a new secret once, refuses a terminal that exists, rotates
 * and disables, and seals secrets at rest when a key is configured; run in-process against the
 * test PostgreSQL, in a schema of its own.
 */
class ProvisionTerminalTest {

    private final String schema = TestServices.freshSchema("provision");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void dropSchema() {
        TestServices.dropSchema(schema);
    }

    private int run(Map<String, String> extra, String... args) {
        out.reset();
        err.reset();
        Map<String, String> environment = new java.util.HashMap<>(Map.of(
                "KASSA_PG_URL", TestServices.postgresUrl(), "KASSA_PG_SCHEMA", schema));
        environment.putAll(extra);
        return ProvisionTerminal.run(args, environment,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void provisionPrintsTheSecretOnceAndRefusesTheSameTerminalAgain() {
        assertThat(run(Map.of(), "provision-terminal", "--store", "S1", "--terminal", "T1"))
                .isEqualTo(ProvisionTerminal.EXIT_OK);
        String secret = printed();
        assertThat(secret).matches("[0-9a-f]{64}");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("shown once");

        assertThat(run(Map.of(), "provision-terminal", "--store", "S1", "--terminal", "T1"))
                .isEqualTo(ProvisionTerminal.EXIT_FAILED);
        assertThat(printed()).isEmpty();

        assertThat(run(Map.of(), "provision-terminal", "--terminal", "T1", "--rotate"))
                .isEqualTo(ProvisionTerminal.EXIT_OK);
        assertThat(printed()).matches("[0-9a-f]{64}").isNotEqualTo(secret);

        assertThat(run(Map.of(), "provision-terminal", "--terminal", "T1", "--disable"))
                .isEqualTo(ProvisionTerminal.EXIT_OK);
        assertThat(TestServices.count(schema,
                "select count(*) from terminal where disabled")).isEqualTo(1);
    }

    @Test
    void withASealingKeyTheStoredSecretIsNotThePrintedOne() {
        String key = HexFormat.of().formatHex(new byte[32]).replace('0', '7');

        assertThat(run(Map.of("KASSA_TERMINAL_SECRET_KEY", key), "provision-terminal",
                "--store", "S1", "--terminal", "T-sealed")).isEqualTo(ProvisionTerminal.EXIT_OK);

        assertThat(TestServices.count(schema, "select count(*) from terminal where"
                + " secret_sealing = 'aes-256-gcm' and length(secret) = 60"
                + " and encode(secret, 'hex') not like '%" + printed() + "%'")).isEqualTo(1);
    }

    @Test
    void missingArgumentsOrDatabaseAreUsageErrors() {
        assertThat(run(Map.of(), "provision-terminal", "--terminal", "T1"))
                .isEqualTo(ProvisionTerminal.EXIT_USAGE);
        assertThat(ProvisionTerminal.run(new String[] {"provision-terminal", "--store", "S",
            "--terminal", "T"}, Map.of(), new PrintStream(out), new PrintStream(err)))
                .isEqualTo(ProvisionTerminal.EXIT_USAGE);
    }
}
