package io.kassa.engine.server.postgres;

import io.kassa.engine.core.points.PointsLot;
import io.kassa.engine.server.checkout.MemberBalances.MemberRecord;
import io.kassa.engine.server.checkout.MemberDirectory;
import io.kassa.engine.server.checkout.MemberProfile;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link MemberDirectory} on PostgreSQL. */
public final class PgMemberDirectory implements MemberDirectory {

    static final String FIND_WITH_COUPONS = """
            select m.member_id, m.member_code, m.tier, m.lifetime_earned_points, m.birth_month,
                   m.completed_orders, m.last_order_on, m.phone,
                   coalesce((select json_agg(json_build_object('id', c.coupon_id,
                                'template', c.template_id,
                                'from', (extract(epoch from c.valid_from) * 1000)::int8,
                                'until', (extract(epoch from c.valid_until) * 1000)::int8,
                                'amountOffFen', c.amount_off_fen)
                                order by c.valid_until, c.coupon_id)
                               from coupon c
                              where c.member_id = m.member_id and c.state = 'AVAILABLE'
                                and c.valid_until > $2), '[]'::json) as coupons
              from member m where m.member_code = $1 or m.phone = $1
             order by (m.member_code = $1) desc limit 1""";

    static final String STORED_VALUE = """
            select coalesce((select balance_fen from stored_value_balance
                              where member_id = $1), 0) as balance_fen""";

    static final String LOTS = """
            select lot_id, points_remaining, earned_on, expires_on, birthday_extended_year
              from points_lot where member_id = $1 and points_remaining > 0""";

    static final String COUPON_STATES = """
            select coupon_id, state, redeemed_order_id from coupon
             where member_id = $1 and state <> 'VOID'""";

    private static final String MEMBER_IDS = """
            select member_id from member where member_id > $1 order by member_id limit $2""";

    private final Pool pool;

    public PgMemberDirectory(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Optional<MemberWithCoupons>> findWithCoupons(String memberCodeOrPhone,
            Instant at) {
        return pool.preparedQuery(FIND_WITH_COUPONS)
                .execute(Tuple.of(memberCodeOrPhone,
                        OffsetDateTime.ofInstant(at, ZoneOffset.UTC)))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    MemberProfile profile = profile(row);
                    List<CouponRecord> coupons = new ArrayList<>();
                    Object json = row.getValue("coupons");
                    JsonArray array = json instanceof JsonArray ? (JsonArray) json
                            : new JsonArray(json.toString());
                    for (int index = 0; index < array.size(); index++) {
                        JsonObject coupon = array.getJsonObject(index);
                        coupons.add(new CouponRecord(coupon.getString("id"),
                                coupon.getString("template"), Optional.of(profile.memberId()),
                                Instant.ofEpochMilli(coupon.getLong("from")),
                                Instant.ofEpochMilli(coupon.getLong("until")),
                                coupon.getLong("amountOffFen") == null
                                        ? java.util.OptionalLong.empty()
                                        : java.util.OptionalLong.of(
                                                coupon.getLong("amountOffFen"))));
                    }
                    return Optional.of(new MemberWithCoupons(profile, coupons));
                });
    }

    private static MemberProfile profile(Row row) {
        Integer birthMonth = row.getInteger("birth_month");
        return new MemberProfile(row.getString("member_id"), row.getString("member_code"),
                row.getString("tier"), row.getLong("lifetime_earned_points"),
                Optional.ofNullable(birthMonth).map(Month::of),
                row.getInteger("completed_orders"),
                Optional.ofNullable(row.getLocalDate("last_order_on")),
                Optional.ofNullable(row.getString("phone")));
    }

    @Override
    public Future<MemberRecord> balances(String memberId) {
        Tuple member = Tuple.of(memberId);
        Future<Long> storedValue = pool.preparedQuery(STORED_VALUE).execute(member)
                .map(rows -> rows.iterator().next().getLong("balance_fen"));
        Future<List<PointsLot>> lots = pool.preparedQuery(LOTS).execute(member).map(rows -> {
            List<PointsLot> list = new ArrayList<>();
            for (Row row : rows) {
                list.add(new PointsLot(row.getString("lot_id"), row.getLong("points_remaining"),
                        row.getLocalDate("earned_on"), row.getLocalDate("expires_on"),
                        row.getInteger("birthday_extended_year")));
            }
            return list;
        });
        Future<Map<String, String>> coupons = pool.preparedQuery(COUPON_STATES).execute(member)
                .map(rows -> {
                    Map<String, String> states = new HashMap<>();
                    for (Row row : rows) {
                        states.put(row.getString("coupon_id"),
                                "AVAILABLE".equals(row.getString("state")) ? "A"
                                        : "R:" + row.getUUID("redeemed_order_id"));
                    }
                    return states;
                });
        return Future.all(storedValue, lots, coupons).map(all -> new MemberRecord(memberId,
                storedValue.result(), lots.result(), coupons.result()));
    }

    @Override
    public Future<List<String>> memberIds(String afterMemberId, int limit) {
        return pool.preparedQuery(MEMBER_IDS).execute(Tuple.of(afterMemberId, limit))
                .map(rows -> {
                    List<String> ids = new ArrayList<>(rows.rowCount());
                    for (Row row : rows) {
                        ids.add(row.getString("member_id"));
                    }
                    return ids;
                });
    }
}
