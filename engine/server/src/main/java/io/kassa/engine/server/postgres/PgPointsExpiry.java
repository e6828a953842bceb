package io.kassa.engine.server.postgres;

import io.kassa.engine.core.ledger.LedgerAccount;
import io.kassa.engine.core.ledger.LedgerUnit;
import io.kassa.engine.server.checkout.OutboxRelay;
import io.kassa.engine.server.checkout.PointsExpiryStore;
import io.kassa.engine.server.checkout.TimeOrderedIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@link PointsExpiryStore} on PostgreSQL. Lots are taken with {@code FOR UPDATE SKIP LOCKED},
 * so several nodes may run the job at once without expiring a lot twice, and a lot a sale is
 * drawing from right now is simply left for the next run.
 */
public final class PgPointsExpiry implements PointsExpiryStore {

    /** The account expired points go to (the chain's side of the points unit). */
    static final String EXPIRED_ACCOUNT = "chain/points_expired";

    private static final String DUE = """
            select lot_id, member_id, points_remaining from points_lot
             where points_remaining > 0 and expires_on < $1
             order by member_id, lot_id limit $2 for update skip locked""";

    private static final String ZERO_LOTS = """
            update points_lot set points_remaining = 0 where lot_id = any($1::text[])""";

    private static final String BIRTHDAY_LOTS = """
            select p.lot_id, p.member_id, p.expires_on from points_lot p
              join member m using (member_id)
             where m.birth_month = $1 and p.points_remaining > 0 and p.expires_on > $2
               and p.birthday_extended_year < $3
             order by p.member_id, p.lot_id limit $4 for update of p skip locked""";

    private static final String EXTEND_LOT = """
            update points_lot p set expires_on = d.expires_on, birthday_extended_year = $3
              from unnest($1::text[], $2::date[]) as d(lot_id, expires_on)
             where p.lot_id = d.lot_id""";

    private static final String REMIND = """
            insert into points_expiry_reminder (member_id, expires_on, points)
            select member_id, expires_on, sum(points_remaining) from points_lot
             where points_remaining > 0 and expires_on > $1 and expires_on <= $2
             group by member_id, expires_on
            on conflict (member_id, expires_on) do nothing""";

    private static final String INSERT_TRANSACTION = """
            insert into ledger_transaction (transaction_id, kind, created_at)
            values ($1, 'POINTS_EXPIRY', $2)""";

    private static final String INSERT_ENTRIES = """
            insert into ledger_entry (transaction_id, entry_number, account, amount, unit)
            select * from unnest($1::uuid[], $2::int4[], $3::text[], $4::int8[], $5::text[])""";

    private static final String INSERT_OUTBOX = """
            insert into outbox (kind, member_id, hold_id, payload) values ($1, $2, $3, $4)""";

    private final Pool pool;
    private final Clock clock;
    private final TimeOrderedIds ids;

    public PgPointsExpiry(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
        this.ids = new TimeOrderedIds(clock);
    }

    @Override
    public Future<Integer> expireDue(LocalDate today, int limit) {
        return pool.withTransaction(connection -> connection.preparedQuery(DUE)
                .execute(Tuple.of(today, limit)).compose(rows -> {
                    Map<String, List<String>> lotsByMember = new LinkedHashMap<>();
                    Map<String, Long> pointsByMember = new LinkedHashMap<>();
                    List<String> lotIds = new ArrayList<>();
                    for (Row row : rows) {
                        String member = row.getString("member_id");
                        lotsByMember.computeIfAbsent(member, m -> new ArrayList<>())
                                .add(row.getString("lot_id"));
                        pointsByMember.merge(member, row.getLong("points_remaining"), Long::sum);
                        lotIds.add(row.getString("lot_id"));
                    }
                    if (lotIds.isEmpty()) {
                        return Future.succeededFuture(0);
                    }
                    List<Future<?>> writes = new ArrayList<>();
                    writes.add(connection.preparedQuery(ZERO_LOTS)
                            .execute(Tuple.of(lotIds.toArray(String[]::new))));
                    for (Map.Entry<String, List<String>> member : lotsByMember.entrySet()) {
                        writes.add(expireMember(connection, member.getKey(),
                                pointsByMember.get(member.getKey()), member.getValue(), today));
                    }
                    return Future.all(writes).map(done -> lotIds.size());
                }));
    }

    private Future<Void> expireMember(SqlConnection connection, String memberId, long points,
            List<String> lotIds, LocalDate today) {
        UUID transaction = ids.next();
        Tuple entries = Tuple.tuple()
                .addArrayOfUUID(new UUID[] {transaction, transaction})
                .addArrayOfInteger(new Integer[] {1, 2})
                .addArrayOfString(new String[] {
                    LedgerAccount.memberPoints(memberId).path(), EXPIRED_ACCOUNT})
                .addArrayOfLong(new Long[] {points, -points})
                .addArrayOfString(new String[] {
                    LedgerUnit.POINTS.name(), LedgerUnit.POINTS.name()});
        JsonObject payload = new JsonObject().put("today", today.toString())
                .put("lotIds", new JsonArray(new ArrayList<>(lotIds)));
        return connection.preparedQuery(INSERT_TRANSACTION).execute(Tuple.of(transaction,
                        OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)))
                .compose(done -> connection.preparedQuery(INSERT_ENTRIES).execute(entries))
                .compose(done -> connection.preparedQuery(INSERT_OUTBOX).execute(Tuple.of(
                        OutboxRelay.KIND_EXPIRE_LOTS, memberId, "expiry-" + transaction,
                        payload)))
                .mapEmpty();
    }

    @Override
    public Future<Integer> extendBirthdays(LocalDate today, Month birthMonth, int months,
            int limit) {
        if (months == 0 || today.getMonth() != birthMonth) {
            return Future.succeededFuture(0);
        }
        return pool.withTransaction(connection -> connection.preparedQuery(BIRTHDAY_LOTS)
                .execute(Tuple.of(birthMonth.getValue(), today, today.getYear(), limit))
                .compose(rows -> {
                    Map<String, JsonObject> perMember = new LinkedHashMap<>();
                    List<String> lotIds = new ArrayList<>();
                    List<LocalDate> expiries = new ArrayList<>();
                    for (Row row : rows) {
                        LocalDate extended = row.getLocalDate("expires_on").plusMonths(months);
                        lotIds.add(row.getString("lot_id"));
                        expiries.add(extended);
                        perMember.computeIfAbsent(row.getString("member_id"),
                                member -> new JsonObject())
                                .put(row.getString("lot_id"), extended.toString());
                    }
                    if (lotIds.isEmpty()) {
                        return Future.succeededFuture(0);
                    }
                    List<Future<?>> writes = new ArrayList<>();
                    writes.add(connection.preparedQuery(EXTEND_LOT).execute(Tuple.tuple()
                            .addArrayOfString(lotIds.toArray(String[]::new))
                            .addArrayOfLocalDate(expiries.toArray(LocalDate[]::new))
                            .addInteger(today.getYear())));
                    perMember.forEach((member, lots) -> writes.add(connection
                            .preparedQuery(INSERT_OUTBOX).execute(Tuple.of(
                                    OutboxRelay.KIND_EXTEND_LOTS, member,
                                    "birthday-" + today.getYear() + "-" + ids.next(),
                                    new JsonObject().put("year", today.getYear())
                                            .put("expiries", lots)))));
                    return Future.all(writes).map(done -> lotIds.size());
                }));
    }

    @Override
    public Future<Integer> remindExpiring(LocalDate today, int days) {
        return pool.preparedQuery(REMIND).execute(Tuple.of(today, today.plusDays(days)))
                .map(rows -> rows.rowCount());
    }
}
