package io.kassa.engine.server.postgres;

import io.kassa.engine.server.checkout.OutboxRelay;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Writes shared by the changes made outside a sale (admin adjustments and top-ups, terminal
 * top-ups), each inside the caller's transaction: a balanced ledger transaction with the note
 * that says why, and the outbox row that makes the member's hot copy reload.
 */
final class PgLedgerWrites {

    private static final String INSERT_TRANSACTION = """
            insert into ledger_transaction (transaction_id, kind, created_at)
            values ($1, $2, $3)""";

    private static final String INSERT_ENTRIES = """
            insert into ledger_entry (transaction_id, entry_number, account, amount, unit)
            select * from unnest($1::uuid[], $2::int4[], $3::text[], $4::int8[], $5::text[])""";

    private static final String INSERT_NOTE = "insert into admin_ledger_note values ($1, $2)";

    private static final String INSERT_RELOAD = """
            insert into outbox (kind, member_id, hold_id, payload) values ($1, $2, $3, $4)
            returning outbox_id""";

    private PgLedgerWrites() {
    }

    /** One ledger transaction whose {@code amounts} (same order as {@code accounts}) sum to 0. */
    static Future<Void> transaction(SqlConnection connection, UUID transaction, String kind,
            List<String> accounts, List<Long> amounts, String unit, String note,
            OffsetDateTime at) {
        long sum = 0;
        for (long amount : amounts) {
            sum = Math.addExact(sum, amount);
        }
        if (sum != 0) {
            // The database refuses it too (deferred trigger); this names the bug earlier.
            throw new IllegalStateException("unbalanced " + kind + ": " + amounts);
        }
        UUID[] transactions = new UUID[accounts.size()];
        Integer[] numbers = new Integer[accounts.size()];
        String[] units = new String[accounts.size()];
        for (int index = 0; index < accounts.size(); index++) {
            transactions[index] = transaction;
            numbers[index] = index + 1;
            units[index] = unit;
        }
        return connection.preparedQuery(INSERT_TRANSACTION)
                .execute(Tuple.of(transaction, kind, at))
                .compose(done -> connection.preparedQuery(INSERT_ENTRIES).execute(Tuple.tuple()
                        .addArrayOfUUID(transactions).addArrayOfInteger(numbers)
                        .addArrayOfString(accounts.toArray(String[]::new))
                        .addArrayOfLong(amounts.toArray(Long[]::new)).addArrayOfString(units)))
                .compose(done -> connection.preparedQuery(INSERT_NOTE)
                        .execute(Tuple.of(transaction, note)))
                .mapEmpty();
    }

    /**
     * An outbox row that drops the member's hot copy once applied (the next use loads the
     * truth); answers its id. {@code operationId} names the change, for the row's hold id.
     */
    static Future<Long> reloadMember(SqlConnection connection, String memberId,
            String operationId) {
        return connection.preparedQuery(INSERT_RELOAD).execute(Tuple.of(
                        OutboxRelay.KIND_RELOAD_MEMBER, memberId, operationId, new JsonObject()))
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
