package io.kassa.engine.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.testing.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every read of one member or one sale on the sale path finds its rows through an index: with
 * sequential scans forbidden, none of their plans may still scan a table. The reads: the
 * quote's member and coupons and the hot-copy load's stored value, lots and coupon states
 * ({@link PgMemberDirectory}), and what a sale's tenders got back at a refund
 * ({@link PgSaleRefunds}, the same read as the trigger that keeps refunds within what was
 * paid). A read without an index scans the whole table each time (the coupon states read did
 * until V71, the refunded tenders read until V72).
 */
class SalePathIndexesTest {

    private static String schema;

    @BeforeAll
    static void migrate() {
        schema = TestServices.freshSchema("sale_path_indexes");
        Migrations.migrate(PostgresLocation.parse(TestServices.postgresUrl(), schema));
    }

    @AfterAll
    static void drop() {
        TestServices.dropSchema(schema);
    }

    static Stream<Arguments> salePathReads() {
        return Stream.of(
                Arguments.of("member and available coupons", PgMemberDirectory.FIND_WITH_COUPONS,
                        List.<Object>of("member-0001", OffsetDateTime.now())),
                Arguments.of("a member into the hot copy", PgMemberDirectory.MEMBER_RECORD,
                        List.<Object>of("M1")),
                Arguments.of("a member's profile", PgMemberDirectory.PROFILE,
                        List.<Object>of("M1")),
                Arguments.of("refunded tenders of a sale", PgSaleRefunds.REFUNDED_TENDERS,
                        List.<Object>of(java.util.UUID.randomUUID())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("salePathReads")
    void aSalePathReadScansNoTable(String read, String sql, List<Object> parameters)
            throws SQLException {
        try (Connection connection = TestServices.jdbc(schema)) {
            try (Statement settings = connection.createStatement()) {
                // Forbidden, a sequential scan is still planned where no index can serve.
                settings.execute("set enable_seqscan = off");
            }
            List<String> plan = new ArrayList<>();
            // $1, $2 .. (the Vert.x client's, each usable several times) as JDBC's ?s.
            java.util.regex.Matcher numbered = java.util.regex.Pattern.compile("\\$(\\d+)")
                    .matcher(sql);
            List<Integer> order = new ArrayList<>();
            while (numbered.find()) {
                order.add(Integer.parseInt(numbered.group(1)));
            }
            try (PreparedStatement explain = connection.prepareStatement(
                    "explain " + sql.replaceAll("\\$\\d+", "?"))) {
                for (int index = 0; index < order.size(); index++) {
                    explain.setObject(index + 1, parameters.get(order.get(index) - 1));
                }
                try (ResultSet rows = explain.executeQuery()) {
                    while (rows.next()) {
                        plan.add(rows.getString(1));
                    }
                }
            }
            assertThat(plan).as(read + ":\n" + String.join("\n", plan))
                    .noneMatch(line -> line.contains("Seq Scan"));
        }
    }
}
