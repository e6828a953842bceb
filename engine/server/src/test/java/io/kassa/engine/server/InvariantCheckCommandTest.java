package io.kassa.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.postgres.Migrations;
import io.kassa.engine.server.postgres.PostgresLocation;
import io.kassa.engine.server.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operators' invariant command answers 0 on a healthy ledger, 1 with the broken invariant
 * named once the ledger is damaged, and 2 when it is not told where the database is.
 */
class InvariantCheckCommandTest {

    @Test
    void exitStatusTellsWhetherTheMoneyAddsUp() throws Exception {
        String schema = TestServices.freshSchema("invariant_cli");
        Migrations.migrate(PostgresLocation.parse(TestServices.postgresUrl(), schema));
        Map<String, String> environment = Map.of("KASSA_PG_URL", TestServices.postgresUrl(),
                "KASSA_PG_SCHEMA", schema, "KASSA_REDIS_URL", TestServices.redisUrl());
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(InvariantCheckCommand.run(environment, print(out), print(out)))
                    .isEqualTo(InvariantCheckCommand.EXIT_HOLDS);
            assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("BROKEN")
                    .contains("holds   every ledger transaction balances in each unit");

            try (Connection connection = TestServices.jdbc(schema);
                    Statement statement = connection.createStatement()) {
                statement.executeUpdate("insert into member (member_id, member_code) values"
                        + " ('M-cli', 'code-cli')");
                statement.executeUpdate("insert into stored_value_balance values ('M-cli', 7)");
            }
            ByteArrayOutputStream broken = new ByteArrayOutputStream();
            assertThat(InvariantCheckCommand.run(environment, print(broken), print(broken)))
                    .isEqualTo(InvariantCheckCommand.EXIT_BROKEN);
            assertThat(broken.toString(StandardCharsets.UTF_8)).contains(
                    "BROKEN  stored value balances equal the member's stored-value account (1)",
                    "M-cli: balance 7 fen, the ledger says 0");
        } finally {
            TestServices.dropSchema(schema);
        }
        assertThat(InvariantCheckCommand.run(Map.of(), print(new ByteArrayOutputStream()),
                print(new ByteArrayOutputStream()))).isEqualTo(InvariantCheckCommand.EXIT_USAGE);
    }

    private static PrintStream print(ByteArrayOutputStream out) {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }
}
