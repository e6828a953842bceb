package io.kassa.engine.server.postgres;

import io.kassa.engine.core.ledger.LedgerAccount;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.checkout.StoredValueTopUps;
import io.kassa.engine.server.checkout.TimeOrderedIds;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Top-ups of stored value. {@link #credit} is the one way stored value is bought, whether an
 * HQ operator records it through the admin API or a cashier takes it at a terminal; the
 * terminal's top-ups ({@link StoredValueTopUps}) add their record in {@code terminal_top_up},
 * whose key makes a retry read the first answer.
 */
public final class PgStoredValueTopUps implements StoredValueTopUps {

    /** The ledger transaction kind of every top-up. */
    static final String TRANSACTION_KIND = "STORED_VALUE_TOP_UP";

    /** The bonus of a top-up: an expense of the chain. */
    static final String BONUS_ACCOUNT = "chain/stored_value_bonus";

    private static final String BONUS = """
            select coalesce(max(bonus_fen), 0) as bonus from stored_value_bonus_rule
             where threshold_fen = (select max(threshold_fen) from stored_value_bonus_rule
                                     where threshold_fen <= $1)""";

    private static final String CREDIT_BALANCE = """
            insert into stored_value_balance values ($1, $2)
            on conflict (member_id) do update
               set balance_fen = stored_value_balance.balance_fen + excluded.balance_fen
            returning balance_fen""";

    private static final String INSERT_TOP_UP = """
            insert into terminal_top_up (store_id, terminal_id, top_up_id, member_id,
                tender_kind, amount_fen, received_fen, reference, bonus_fen,
                stored_value_after_fen, transaction_id, topped_up_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""";

    private static final String SELECT_TOP_UP = """
            select * from terminal_top_up
             where store_id = $1 and terminal_id = $2 and top_up_id = $3""";

    /** What a credit did. */
    record Credit(UUID transactionId, long bonusFen, long balanceAfterFen, long outboxId) {
    }

    private final Pool pool;
    private final Clock clock;
    private final TimeOrderedIds ids;

    public PgStoredValueTopUps(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
        this.ids = new TimeOrderedIds(clock);
    }

    /**
     * Credits {@code amountFen} plus the bonus the bonus rules give for it (the highest
     * threshold reached), inside the caller's transaction: a balanced ledger transaction (the
     * store's {@code tenderAccountKind} account takes the amount, the chain's bonus account the
     * bonus, the member's stored value is credited with both), the balance row, and an outbox
     * row that reloads the member's hot copy.
     */
    static Future<Credit> credit(SqlConnection connection, UUID transaction, OffsetDateTime at,
            String memberId, String storeId, String tenderAccountKind, long amountFen,
            String note, String operationId) {
        return connection.preparedQuery(BONUS).execute(Tuple.of(amountFen)).compose(rows -> {
            long bonusFen = rows.iterator().next().getLong("bonus");
            long creditFen = Math.addExact(amountFen, bonusFen);
            List<String> accounts = new ArrayList<>(List.of(
                    LedgerAccount.memberStoredValue(memberId).path(),
                    LedgerAccount.storeTender(storeId, tenderAccountKind).path()));
            List<Long> amounts = new ArrayList<>(List.of(-creditFen, amountFen));
            if (bonusFen > 0) {
                accounts.add(BONUS_ACCOUNT);
                amounts.add(bonusFen);
            }
            return PgLedgerWrites.transaction(connection, transaction, TRANSACTION_KIND,
                            accounts, amounts, "CNY", note, at)
                    .compose(done -> connection.preparedQuery(CREDIT_BALANCE)
                            .execute(Tuple.of(memberId, creditFen)))
                    .compose(balance -> PgLedgerWrites.reloadMember(connection, memberId,
                                    operationId)
                            .map(outboxId -> new Credit(transaction, bonusFen,
                                    balance.iterator().next().getLong(0), outboxId)));
        });
    }

    @Override
    public Future<Result> topUp(TopUp topUp) {
        return existing(topUp.key()).compose(found -> found.isPresent()
                ? Future.succeededFuture(answer(found.get(), topUp))
                : insert(topUp).recover(failure -> uniqueViolation(failure)
                        // A concurrent retry recorded it first; this transaction rolled back.
                        ? existing(topUp.key()).map(again -> answer(again.orElseThrow(), topUp))
                        : Future.failedFuture(failure)));
    }

    private Future<Result> insert(TopUp topUp) {
        Key key = topUp.key();
        UUID transaction = ids.next();
        OffsetDateTime at = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return pool.withTransaction(connection -> credit(connection, transaction, at,
                        topUp.memberId(), key.storeId(), topUp.tenderKind().name(),
                        topUp.amountFen(), "top-up at " + key.storeId() + " terminal "
                                + key.terminalId(), "terminal-top-up-" + transaction)
                .compose(credit -> connection.preparedQuery(INSERT_TOP_UP).execute(Tuple.of(
                                key.storeId(), key.terminalId(), key.topUpId(), topUp.memberId(),
                                topUp.tenderKind().name(), topUp.amountFen(),
                                topUp.receivedFen(), topUp.reference(), credit.bonusFen(),
                                credit.balanceAfterFen())
                                .addUUID(transaction).addOffsetDateTime(at))
                        .map(done -> (Result) new Result.Done(new Recorded(topUp,
                                credit.bonusFen(), credit.balanceAfterFen(), transaction,
                                at.toInstant()), false, Optional.of(credit.outboxId())))));
    }

    private Future<Optional<Recorded>> existing(Key key) {
        return pool.preparedQuery(SELECT_TOP_UP)
                .execute(Tuple.of(key.storeId(), key.terminalId(), key.topUpId()))
                .map(rows -> rows.rowCount() == 0 ? Optional.<Recorded>empty()
                        : Optional.of(recorded(key, rows.iterator().next())));
    }

    private static Result answer(Recorded existing, TopUp asked) {
        return existing.topUp().equals(asked) ? new Result.Done(existing, true, Optional.empty())
                : new Result.Conflict(existing);
    }

    private static Recorded recorded(Key key, Row row) {
        TopUp topUp = new TopUp(key, row.getString("member_id"),
                TenderKind.valueOf(row.getString("tender_kind")), row.getLong("amount_fen"),
                row.getLong("received_fen"), row.getString("reference"));
        return new Recorded(topUp, row.getLong("bonus_fen"), row.getLong("stored_value_after_fen"),
                row.getUUID("transaction_id"), row.getOffsetDateTime("topped_up_at").toInstant());
    }

    private static boolean uniqueViolation(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
    }
}
