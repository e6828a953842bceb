package io.kassa.engine.server.postgres;

import io.kassa.engine.core.points.LotDraw;
import io.kassa.engine.core.points.PointsLot;
import io.kassa.engine.server.checkout.OutboxRelay;
import io.kassa.engine.server.checkout.ProfileUpdate;
import io.kassa.engine.server.checkout.SalesLedger.MemberEffects;
import io.kassa.engine.server.checkout.SalesLedger.SaleRecord;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes what member sales do to their members, inside the sales' transaction: lot draws and
 * the rolling restart, earned lots, stored value, coupons, lifetime points and tier, and one
 * outbox row per sale for the hot copy. One multi-row statement per table for the whole batch;
 * amounts of the same lot or member in one batch are summed first, so each row is updated once.
 *
 * <p>Every statement checks what it changed: a lot, balance or coupon that is not there (or a
 * coupon already redeemed) fails the transaction rather than writing half a sale.
 */
final class PgMemberEffects {


    private static final String DRAW_LOTS = """
            update points_lot p set points_remaining = p.points_remaining - d.points
              from (select lot_id, sum(points) as points
                      from unnest($1::text[], $2::int8[]) as u(lot_id, points)
                     group by lot_id) d
             where p.lot_id = d.lot_id""";

    private static final String INSERT_DRAWS = """
            insert into order_points_draw (order_id, lot_id, points, draw_number, earned_on,
                expires_on, birthday_extended_year)
            select * from unnest($1::uuid[], $2::text[], $3::int8[], $4::int4[], $5::date[],
                $6::date[], $7::int4[])""";

    private static final String RESTART_EXPIRY = """
            update points_lot p set expires_on = r.restart
              from unnest($1::text[], $2::date[], $3::date[]) as r(member_id, today, restart)
             where p.member_id = r.member_id and p.points_remaining > 0
               and p.expires_on > r.today and p.expires_on < r.restart""";

    private static final String INSERT_EARNED_LOTS = """
            insert into points_lot (lot_id, member_id, points_remaining, earned_on, expires_on,
                birthday_extended_year, order_id)
            select lot_id, member_id, points, earned_on, expires_on, 0, order_id
              from unnest($1::text[], $2::text[], $3::int8[], $4::date[], $5::date[],
                   $6::uuid[]) as u(lot_id, member_id, points, earned_on, expires_on, order_id)""";

    private static final String SPEND_STORED_VALUE = """
            update stored_value_balance b set balance_fen = b.balance_fen - d.fen
              from unnest($1::text[], $2::int8[]) as d(member_id, fen)
             where b.member_id = d.member_id""";

    private static final String REDEEM_COUPONS = """
            update coupon c set state = 'REDEEMED', redeemed_order_id = d.order_id
              from unnest($1::text[], $2::uuid[], $3::text[]) as d(coupon_id, order_id, member_id)
             where c.coupon_id = d.coupon_id and c.state = 'AVAILABLE'
               and c.member_id = d.member_id""";

    private static final String UPDATE_MEMBERS = """
            update member m set
                   lifetime_earned_points = m.lifetime_earned_points + d.earned,
                   completed_orders = m.completed_orders + d.orders,
                   last_order_on = greatest(m.last_order_on, d.last_order_on),
                   tier = case when d.tier_rank > m.tier_rank then d.tier else m.tier end,
                   tier_rank = greatest(m.tier_rank, d.tier_rank)
              from unnest($1::text[], $2::int8[], $3::int4[], $4::date[], $5::text[],
                   $6::int2[]) as d(member_id, earned, orders, last_order_on, tier, tier_rank)
             where m.member_id = d.member_id
            returning m.member_id, m.profile_version, m.tier, m.tier_rank,
                      m.lifetime_earned_points, m.completed_orders, m.last_order_on""";

    private static final String INSERT_OUTBOX = """
            insert into outbox (kind, member_id, hold_id, payload)
            select * from unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])
            returning outbox_id, hold_id""";

    private PgMemberEffects() {
    }

    /**
     * What the effects' writes answer: the outbox row written for each hold id, and each
     * member's profile as the transaction left it (for the hot copy, ADR 0014).
     */
    record Written(Map<String, Long> outboxIds, Map<String, ProfileUpdate> profiles) {
        static final Written NONE = new Written(Map.of(), Map.of());
    }

    /**
     * Writes the effects of {@code sales} (all with a member, their orders written before on
     * the same connection), each statement sent without waiting for the one before it:
     * PostgreSQL runs them in order (draws before the rolling expiry, members and coupons
     * before the outbox rows). Each statement's future is added to {@code sent}, in sending
     * order; the answer completes once all have answered.
     */
    static Future<Written> write(SqlConnection connection, List<SaleRecord> sales,
            List<Future<?>> sent) {
        if (sales.isEmpty()) {
            return Future.succeededFuture(Written.NONE);
        }
        sent.addAll(drawLots(connection, sales));
        sent.add(restartExpiries(connection, sales));
        sent.add(insertEarnedLots(connection, sales));
        sent.add(spendStoredValue(connection, sales));
        sent.add(redeemCoupons(connection, sales));
        Future<Map<String, ProfileUpdate>> profiles = updateMembers(connection, sales);
        sent.add(profiles);
        Future<Map<String, Long>> outboxIds = insertOutbox(connection, sales);
        sent.add(outboxIds);
        return Future.all(profiles, outboxIds).map(both ->
                new Written(outboxIds.result(), profiles.result()));
    }

    /** The draws' two statements: the lots drawn from, then the draws recorded. */
    private static List<Future<?>> drawLots(SqlConnection connection, List<SaleRecord> sales) {
        List<UUID> orders = new ArrayList<>();
        List<String> lots = new ArrayList<>();
        List<Long> points = new ArrayList<>();
        // Each draw's order and dates, so that a refund puts points back where they came from.
        List<Integer> numbers = new ArrayList<>();
        List<LocalDate> earnedOn = new ArrayList<>();
        List<LocalDate> expiresOn = new ArrayList<>();
        List<Integer> birthdayYears = new ArrayList<>();
        Map<String, Long> perLot = new HashMap<>();
        for (SaleRecord sale : sales) {
            int number = 0;
            for (LotDraw draw : effects(sale).draws()) {
                orders.add(sale.sale().orderId());
                lots.add(draw.lotId());
                points.add(draw.points());
                numbers.add(++number);
                earnedOn.add(draw.earnedOn());
                expiresOn.add(draw.expiresOn());
                birthdayYears.add(draw.birthdayExtendedYear());
                perLot.merge(draw.lotId(), draw.points(), Long::sum);
            }
        }
        if (lots.isEmpty()) {
            return List.of();
        }
        Tuple draws = Tuple.tuple().addArrayOfString(lots.toArray(String[]::new))
                .addArrayOfLong(points.toArray(Long[]::new));
        Future<Void> drawn = connection.preparedQuery(DRAW_LOTS).execute(draws)
                .compose(updated -> updated.rowCount() == perLot.size()
                        ? Future.<Void>succeededFuture()
                        : Future.failedFuture(new IllegalStateException("drew from "
                                + perLot.size() + " lots, PostgreSQL has " + updated.rowCount()
                                + " of them: the hot copy and the ledger disagree")));
        Future<?> recorded = connection.preparedQuery(INSERT_DRAWS).execute(Tuple.tuple()
                .addArrayOfUUID(orders.toArray(UUID[]::new))
                .addArrayOfString(lots.toArray(String[]::new))
                .addArrayOfLong(points.toArray(Long[]::new))
                .addArrayOfInteger(numbers.toArray(Integer[]::new))
                .addArrayOfLocalDate(earnedOn.toArray(LocalDate[]::new))
                .addArrayOfLocalDate(expiresOn.toArray(LocalDate[]::new))
                .addArrayOfInteger(birthdayYears.toArray(Integer[]::new)));
        return List.of(drawn, recorded);
    }

    private static Future<Void> restartExpiries(SqlConnection connection, List<SaleRecord> sales) {
        List<String> members = new ArrayList<>();
        List<LocalDate> todays = new ArrayList<>();
        List<LocalDate> restarts = new ArrayList<>();
        for (SaleRecord sale : sales) {
            MemberEffects effects = effects(sale);
            if (effects.restartExpiryOn().isPresent() && effects.pointsRedeemed() > 0) {
                members.add(effects.memberId());
                todays.add(effects.today());
                restarts.add(effects.restartExpiryOn().get());
            }
        }
        if (members.isEmpty()) {
            return Future.succeededFuture();
        }
        return connection.preparedQuery(RESTART_EXPIRY).execute(Tuple.tuple()
                .addArrayOfString(members.toArray(String[]::new))
                .addArrayOfLocalDate(todays.toArray(LocalDate[]::new))
                .addArrayOfLocalDate(restarts.toArray(LocalDate[]::new))).mapEmpty();
    }

    private static Future<Void> insertEarnedLots(SqlConnection connection,
            List<SaleRecord> sales) {
        List<PointsLot> lots = new ArrayList<>();
        List<String> members = new ArrayList<>();
        List<UUID> orders = new ArrayList<>();
        for (SaleRecord sale : sales) {
            MemberEffects effects = effects(sale);
            if (effects.earnedLot().isPresent()) {
                lots.add(effects.earnedLot().get());
                members.add(effects.memberId());
                orders.add(sale.sale().orderId());
            }
        }
        if (lots.isEmpty()) {
            return Future.succeededFuture();
        }
        return connection.preparedQuery(INSERT_EARNED_LOTS).execute(Tuple.tuple()
                .addArrayOfString(lots.stream().map(PointsLot::lotId).toArray(String[]::new))
                .addArrayOfString(members.toArray(String[]::new))
                .addArrayOfLong(lots.stream().map(PointsLot::points).toArray(Long[]::new))
                .addArrayOfLocalDate(lots.stream().map(PointsLot::earnedOn)
                        .toArray(LocalDate[]::new))
                .addArrayOfLocalDate(lots.stream().map(PointsLot::expiresOn)
                        .toArray(LocalDate[]::new))
                .addArrayOfUUID(orders.toArray(UUID[]::new))).mapEmpty();
    }

    private static Future<Void> spendStoredValue(SqlConnection connection,
            List<SaleRecord> sales) {
        Map<String, Long> perMember = new LinkedHashMap<>();
        for (SaleRecord sale : sales) {
            MemberEffects effects = effects(sale);
            if (effects.storedValueSpentFen() > 0) {
                perMember.merge(effects.memberId(), effects.storedValueSpentFen(), Long::sum);
            }
        }
        if (perMember.isEmpty()) {
            return Future.succeededFuture();
        }
        return connection.preparedQuery(SPEND_STORED_VALUE).execute(Tuple.tuple()
                .addArrayOfString(perMember.keySet().toArray(String[]::new))
                .addArrayOfLong(perMember.values().toArray(Long[]::new)))
                .compose(updated -> updated.rowCount() == perMember.size()
                        ? Future.succeededFuture()
                        : Future.failedFuture(new IllegalStateException(
                                "a member paying with stored value has no balance row")));
    }

    private static Future<Void> redeemCoupons(SqlConnection connection,
            List<SaleRecord> sales) {
        List<String> coupons = new ArrayList<>();
        List<UUID> orders = new ArrayList<>();
        List<String> members = new ArrayList<>();
        for (SaleRecord sale : sales) {
            for (String coupon : effects(sale).couponIds()) {
                coupons.add(coupon);
                orders.add(sale.sale().orderId());
                members.add(effects(sale).memberId());
            }
        }
        if (coupons.isEmpty()) {
            return Future.succeededFuture();
        }
        return connection.preparedQuery(REDEEM_COUPONS).execute(Tuple.tuple()
                .addArrayOfString(coupons.toArray(String[]::new))
                .addArrayOfUUID(orders.toArray(UUID[]::new))
                .addArrayOfString(members.toArray(String[]::new)))
                .compose(updated -> updated.rowCount() == coupons.size()
                        ? Future.succeededFuture()
                        : Future.failedFuture(new IllegalStateException("redeemed "
                                + updated.rowCount() + " of " + coupons.size()
                                + " coupons: a coupon is no longer available")));
    }

    private static Future<Map<String, ProfileUpdate>> updateMembers(SqlConnection connection,
            List<SaleRecord> sales) {
        Map<String, MemberTotals> perMember = new LinkedHashMap<>();
        for (SaleRecord sale : sales) {
            MemberEffects effects = effects(sale);
            perMember.merge(effects.memberId(), new MemberTotals(effects.pointsEarned(), 1,
                    effects.today(), effects.tierAfter(), effects.tierRankAfter()),
                    MemberTotals::plus);
        }
        List<MemberTotals> totals = new ArrayList<>(perMember.values());
        return connection.preparedQuery(UPDATE_MEMBERS).execute(Tuple.tuple()
                .addArrayOfString(perMember.keySet().toArray(String[]::new))
                .addArrayOfLong(totals.stream().map(MemberTotals::earned).toArray(Long[]::new))
                .addArrayOfInteger(totals.stream().map(MemberTotals::orders)
                        .toArray(Integer[]::new))
                .addArrayOfLocalDate(totals.stream().map(MemberTotals::lastOrderOn)
                        .toArray(LocalDate[]::new))
                .addArrayOfString(totals.stream().map(MemberTotals::tier).toArray(String[]::new))
                .addArrayOfShort(totals.stream().map(t -> (short) t.tierRank())
                        .toArray(Short[]::new)))
                .compose(updated -> {
                    if (updated.rowCount() != perMember.size()) {
                        return Future.failedFuture(new IllegalStateException("a member of the"
                                + " batch does not exist in PostgreSQL"));
                    }
                    Map<String, ProfileUpdate> profiles = new HashMap<>();
                    for (Row row : updated) {
                        ProfileUpdate profile = PgMemberDirectory.profileUpdate(row);
                        profiles.put(profile.memberId(), profile);
                    }
                    return Future.succeededFuture(profiles);
                });
    }

    private static Future<Map<String, Long>> insertOutbox(SqlConnection connection,
            List<SaleRecord> sales) {
        String[] kinds = new String[sales.size()];
        String[] members = new String[sales.size()];
        String[] holds = new String[sales.size()];
        JsonObject[] payloads = new JsonObject[sales.size()];
        for (int index = 0; index < sales.size(); index++) {
            MemberEffects effects = effects(sales.get(index));
            kinds[index] = OutboxRelay.KIND_COMMIT_HOLD;
            members[index] = effects.memberId();
            holds[index] = effects.holdId();
            payloads[index] = OutboxRelay.payloadOf(effects);
        }
        return connection.preparedQuery(INSERT_OUTBOX).execute(Tuple.tuple()
                .addArrayOfString(kinds).addArrayOfString(members).addArrayOfString(holds)
                .addArrayOfJsonObject(payloads)).map(rows -> {
                    Map<String, Long> ids = new HashMap<>();
                    for (Row row : rows) {
                        ids.put(row.getString("hold_id"), row.getLong("outbox_id"));
                    }
                    return ids;
                });
    }

    private static MemberEffects effects(SaleRecord sale) {
        return sale.member().orElseThrow();
    }

    private record MemberTotals(long earned, int orders, LocalDate lastOrderOn, String tier,
            int tierRank) {

        MemberTotals plus(MemberTotals other) {
            boolean otherHigher = other.tierRank > tierRank;
            return new MemberTotals(Math.addExact(earned, other.earned), orders + other.orders,
                    lastOrderOn.isAfter(other.lastOrderOn) ? lastOrderOn : other.lastOrderOn,
                    otherHigher ? other.tier : tier, Math.max(tierRank, other.tierRank));
        }
    }
}
