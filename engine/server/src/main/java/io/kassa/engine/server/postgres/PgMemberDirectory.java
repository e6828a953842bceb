package io.kassa.engine.server.postgres;

import io.kassa.engine.core.points.PointsLot;
import io.kassa.engine.server.checkout.MemberBalances.HotProfile;
import io.kassa.engine.server.checkout.MemberBalances.MemberRecord;
import io.kassa.engine.server.checkout.MemberDirectory;
import io.kassa.engine.server.checkout.MemberProfile;
import io.kassa.engine.server.checkout.ProfileUpdate;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

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
                                order by c.valid_until, c.coupon_id collate "C")
                               from coupon c
                              where c.member_id = m.member_id and c.state = 'AVAILABLE'
                                and c.valid_until > $2), '[]'::json) as coupons
              from member m where m.member_code = $1 or m.phone = $1
             order by (m.member_code = $1) desc limit 1""";

    /**
     * Everything the hot copy holds of a member, in one statement (one snapshot): the
     * profile, the stored value, the live lots, and every coupon not voided with its state
     * and terms.
     */
    static final String MEMBER_RECORD = """
            select m.member_id, m.member_code, m.phone, m.tier, m.tier_rank,
                   m.lifetime_earned_points, m.birth_month, m.completed_orders,
                   m.last_order_on, m.profile_version,
                   coalesce(b.balance_fen, 0) as balance_fen,
                   l.lot_ids, l.points, l.earned_on, l.expires_on, l.birthday_years,
                   c.coupon_ids, c.states, c.redeemed_orders, c.templates, c.valid_from,
                   c.valid_until, c.amounts_off
              from member m
              left join stored_value_balance b on b.member_id = m.member_id
             cross join lateral (
                   select array_agg(lot_id) as lot_ids, array_agg(points_remaining) as points,
                          array_agg(earned_on) as earned_on, array_agg(expires_on) as expires_on,
                          array_agg(birthday_extended_year) as birthday_years
                     from points_lot where member_id = m.member_id and points_remaining > 0) l
             cross join lateral (
                   select array_agg(coupon_id) as coupon_ids, array_agg(state) as states,
                          array_agg(redeemed_order_id) as redeemed_orders,
                          array_agg(template_id) as templates,
                          array_agg(valid_from) as valid_from,
                          array_agg(valid_until) as valid_until,
                          array_agg(amount_off_fen) as amounts_off
                     from coupon where member_id = m.member_id and state <> 'VOID') c
             where m.member_id = $1""";

    static final String PROFILE = """
            select member_id, profile_version, tier, tier_rank, lifetime_earned_points,
                   completed_orders, last_order_on
              from member where member_id = $1""";

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
        return pool.preparedQuery(MEMBER_RECORD).execute(Tuple.of(memberId)).map(rows -> {
            if (rows.rowCount() == 0) {
                // Nobody to load: an empty hot copy, which no sale can spend from.
                return new MemberRecord(memberId, 0, List.of(), Map.of());
            }
            return memberRecord(rows.iterator().next());
        });
    }

    private static MemberRecord memberRecord(Row row) {
        String memberId = row.getString("member_id");
        List<PointsLot> lots = new ArrayList<>();
        String[] lotIds = row.getArrayOfStrings("lot_ids");
        if (lotIds != null) {
            Long[] points = row.getArrayOfLongs("points");
            LocalDate[] earnedOn = row.getArrayOfLocalDates("earned_on");
            LocalDate[] expiresOn = row.getArrayOfLocalDates("expires_on");
            Integer[] birthdayYears = row.getArrayOfIntegers("birthday_years");
            for (int index = 0; index < lotIds.length; index++) {
                lots.add(new PointsLot(lotIds[index], points[index], earnedOn[index],
                        expiresOn[index], birthdayYears[index]));
            }
        }
        Map<String, String> states = new HashMap<>();
        List<CouponRecord> coupons = new ArrayList<>();
        String[] couponIds = row.getArrayOfStrings("coupon_ids");
        if (couponIds != null) {
            String[] couponStates = row.getArrayOfStrings("states");
            UUID[] redeemedOrders = row.getArrayOfUUIDs("redeemed_orders");
            String[] templates = row.getArrayOfStrings("templates");
            OffsetDateTime[] validFrom = row.getArrayOfOffsetDateTimes("valid_from");
            OffsetDateTime[] validUntil = row.getArrayOfOffsetDateTimes("valid_until");
            Long[] amountsOff = row.getArrayOfLongs("amounts_off");
            for (int index = 0; index < couponIds.length; index++) {
                states.put(couponIds[index], "AVAILABLE".equals(couponStates[index]) ? "A"
                        : "R:" + redeemedOrders[index]);
                coupons.add(new CouponRecord(couponIds[index], templates[index],
                        Optional.of(memberId), validFrom[index].toInstant(),
                        validUntil[index].toInstant(), amountsOff[index] == null
                                ? OptionalLong.empty() : OptionalLong.of(amountsOff[index])));
            }
        }
        HotProfile profile = new HotProfile(profile(row), row.getInteger("tier_rank"),
                row.getLong("profile_version"), coupons);
        return new MemberRecord(memberId, row.getLong("balance_fen"), lots, states,
                Optional.of(profile));
    }

    @Override
    public Future<Optional<ProfileUpdate>> profile(String memberId) {
        return pool.preparedQuery(PROFILE).execute(Tuple.of(memberId)).map(rows ->
                rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(profileUpdate(rows.iterator().next())));
    }

    /** A member row's profile (member_id, profile_version, tier, ...) as the hot copy takes it. */
    static ProfileUpdate profileUpdate(Row row) {
        return new ProfileUpdate(row.getString("member_id"), row.getLong("profile_version"),
                row.getString("tier"), row.getInteger("tier_rank"),
                row.getLong("lifetime_earned_points"), row.getInteger("completed_orders"),
                Optional.ofNullable(row.getLocalDate("last_order_on")));
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
