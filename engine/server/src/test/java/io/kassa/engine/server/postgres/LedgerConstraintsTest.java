package io.kassa.engine.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.engine.server.testing.TestServices;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schema itself refuses what must never be written — an unbalanced ledger transaction, an
 * edited or deleted entry, a sale id used twice, inconsistent line arithmetic — whatever code
 * writes it; checked with plain SQL against a freshly migrated schema.
 */
class LedgerConstraintsTest {

    private static String schema;

    @BeforeAll
    static void migrate() {
        schema = TestServices.freshSchema("constraints");
        int applied = Migrations.migrate(PostgresLocation.parse(TestServices.postgresUrl(),
                schema));
        assertThat(applied).isPositive();
    }

    @AfterAll
    static void drop() {
        TestServices.dropSchema(schema);
    }

    @Test
    void migratingTwiceAppliesNothingTheSecondTime() {
        assertThat(Migrations.migrate(PostgresLocation.parse(TestServices.postgresUrl(), schema)))
                .isZero();
    }

    @Test
    void balancedTransactionCommits() throws SQLException {
        UUID transaction = UUID.randomUUID();
        try (Connection connection = TestServices.jdbc(schema)) {
            connection.setAutoCommit(false);
            insertTransaction(connection, transaction, 500, -500);
            connection.commit();
        }
        assertThat(TestServices.count(schema, "select count(*) from ledger_entry where"
                + " transaction_id = '" + transaction + "'")).isEqualTo(2);
    }

    @Test
    void unbalancedTransactionIsRefusedAtCommit() throws SQLException {
        UUID transaction = UUID.randomUUID();
        try (Connection connection = TestServices.jdbc(schema)) {
            connection.setAutoCommit(false);
            insertTransaction(connection, transaction, 500, -499);
            assertThatThrownBy(connection::commit).isInstanceOf(SQLException.class)
                    .hasMessageContaining("does not balance");
        }
        assertThat(TestServices.count(schema, "select count(*) from ledger_transaction where"
                + " transaction_id = '" + transaction + "'")).isZero();
    }

    @Test
    void entriesCannotBeEditedOrDeleted() throws SQLException {
        UUID transaction = UUID.randomUUID();
        try (Connection connection = TestServices.jdbc(schema)) {
            connection.setAutoCommit(false);
            insertTransaction(connection, transaction, 700, -700);
            connection.commit();
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.executeUpdate("update ledger_entry set"
                        + " amount = 1 where transaction_id = '" + transaction + "'"))
                        .hasMessageContaining("append-only");
                assertThatThrownBy(() -> statement.executeUpdate("delete from ledger_entry"
                        + " where transaction_id = '" + transaction + "'"))
                        .hasMessageContaining("append-only");
            }
        }
    }

    @Test
    void saleIdIsUniquePerStoreAndTerminal() throws SQLException {
        try (Connection connection = TestServices.jdbc(schema);
                Statement statement = connection.createStatement()) {
            statement.executeUpdate(order(UUID.randomUUID(), "sale-u"));
            assertThatThrownBy(() -> statement.executeUpdate(order(UUID.randomUUID(), "sale-u")))
                    .hasMessageContaining("sales_order_sale_unique");
        }
    }

    @Test
    void lineNetMustBeGrossLessDiscount() throws SQLException {
        UUID orderId = UUID.randomUUID();
        try (Connection connection = TestServices.jdbc(schema);
                Statement statement = connection.createStatement()) {
            statement.executeUpdate(order(orderId, "sale-l"));
            assertThatThrownBy(() -> statement.executeUpdate("insert into order_line (order_id,"
                    + " line_number, sku, category, unit_price_fen, quantity, gross_fen,"
                    + " discount_fen, net_fen) values ('" + orderId + "', 1, 'a', 'c', 100, 2,"
                    + " 200, 10, 195)")).hasMessageContaining("order_line_net");
        }
    }

    private static String order(UUID orderId, String saleId) {
        return "insert into sales_order (order_id, store_id, terminal_id, sale_id,"
                + " request_fingerprint, currency, subtotal_fen, discount_fen, payable_fen,"
                + " change_fen, committed_at) values ('" + orderId + "', 'S1', 'T1', '" + saleId
                + "', 'f', 'CNY', 100, 0, 100, 0, now())";
    }

    private static void insertTransaction(
            Connection connection, UUID transaction, long debitFen, long creditFen)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("insert into ledger_transaction (transaction_id, kind,"
                    + " created_at) values ('" + transaction + "', 'TEST', now())");
            statement.executeUpdate("insert into ledger_entry (transaction_id, entry_number,"
                    + " account, amount, unit) values ('" + transaction
                    + "', 1, 'store/S1/tender/CASH', " + debitFen + ", 'CNY')");
            statement.executeUpdate("insert into ledger_entry (transaction_id, entry_number,"
                    + " account, amount, unit) values ('" + transaction
                    + "', 2, 'store/S1/sales', " + creditFen + ", 'CNY')");
        }
    }
}
