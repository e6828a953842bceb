package io.kassa.engine.server.postgres;

import io.kassa.engine.server.admin.Reports;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@link Reports} in SQL over the system of record. Ratios are computed from exact integer
 * counts and rendered with four decimals, rounded half-even; amounts stay integer fen.
 */
public final class PgReports implements Reports {

    private static final String COUPONS = """
            with issued as (
                select c.template_id, c.state, c.redeemed_order_id from coupon c
                 where c.issued_at >= $1 and c.issued_at < $2)
            select i.template_id,
                   count(*) as issued,
                   count(*) filter (where i.state = 'REDEEMED') as redeemed,
                   coalesce(sum(o.payable_fen), 0) as sales_fen,
                   coalesce(sum(o.discount_fen), 0) as discount_fen
              from issued i
              left join sales_order o
                on o.order_id = i.redeemed_order_id and o.status = 'COMMITTED'
             group by i.template_id
             order by i.template_id""";

    private static final String LIABILITY = """
            select coalesce(sum(points_remaining), 0) as points,
                   count(distinct member_id) as members
              from points_lot where points_remaining > 0 and expires_on > $1""";

    /**
     * A lot's expires_on is exclusive: its last spendable day is expires_on - 1. Lots whose last
     * day falls in [first, last] of the next month have expires_on in (first, last + 1].
     */
    private static final String EXPIRING = """
            select coalesce(sum(points_remaining), 0) as points,
                   count(distinct member_id) as members, count(*) as lots
              from points_lot
             where points_remaining > 0 and expires_on > $1 and expires_on <= $2""";

    private static final String REPURCHASE = """
            select count(*) as buyers, count(*) filter (where orders >= 2) as repeat_buyers
              from (select member_id, count(*) as orders from sales_order
                     where member_id is not null and status = 'COMMITTED'
                       and committed_at >= $1 and committed_at < $2
                     group by member_id) per_member""";

    private static final String RFM = """
            with window_orders as (
                select member_id, max(committed_at) as last_at, count(*) as orders,
                       sum(payable_fen) as spent_fen
                  from sales_order
                 where member_id is not null and status = 'COMMITTED'
                   and committed_at > $1::timestamptz - make_interval(days => $2)
                   and committed_at <= $1::timestamptz
                 group by member_id),
            scored as (
                select member_id, last_at, orders, spent_fen,
                       ntile(5) over (order by last_at) as r,
                       ntile(5) over (order by orders) as f,
                       ntile(5) over (order by spent_fen) as m
                  from window_orders)
            select member_id, last_at, orders, spent_fen, r, f, m,
                   (last_at < $1::timestamptz - make_interval(days => $3)) as dormant
              from scored order by member_id limit $4""";

    /**
     * Dormant: no purchase within {@code days} (or never, registered that long ago), or spending
     * in the last {@code days} under half the average of such periods over the last four.
     */
    private static final String DORMANT = """
            select m.member_id from member m
              left join lateral (
                  select max(o.committed_at) as last_at,
                         coalesce(sum(o.payable_fen) filter (where o.committed_at
                             > $2::timestamptz - make_interval(days => $3)), 0) as recent_fen,
                         coalesce(sum(o.payable_fen) filter (where o.committed_at
                             > $2::timestamptz - make_interval(days => 4 * $3)), 0) as four_fen
                    from sales_order o
                   where o.member_id = m.member_id and o.status = 'COMMITTED'
                     and o.committed_at <= $2::timestamptz) spend on true
             where m.home_store_id = any($1::text[])
               and (coalesce(spend.last_at, m.registered_at)
                        < $2::timestamptz - make_interval(days => $3)
                    or 8 * spend.recent_fen < spend.four_fen)
             order by m.member_id limit $4""";


    private final Pool pool;

    public PgReports(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<JsonObject> couponRedemption(Instant from, Instant to) {
        return pool.preparedQuery(COUPONS).execute(Tuple.of(utc(from), utc(to))).map(rows -> {
            long issued = 0;
            long redeemed = 0;
            long sales = 0;
            long discount = 0;
            JsonArray templates = new JsonArray();
            for (Row row : rows) {
                long rowIssued = row.getLong("issued");
                long rowRedeemed = row.getLong("redeemed");
                long rowSales = row.getLong("sales_fen");
                long rowDiscount = row.getLong("discount_fen");
                templates.add(couponFigures(rowIssued, rowRedeemed, rowSales, rowDiscount)
                        .put("templateId", row.getString("template_id")));
                issued += rowIssued;
                redeemed += rowRedeemed;
                sales += rowSales;
                discount += rowDiscount;
            }
            return couponFigures(issued, redeemed, sales, discount)
                    .put("from", from.toString()).put("to", to.toString())
                    .put("templates", templates);
        });
    }

    private static JsonObject couponFigures(long issued, long redeemed, long salesFen,
            long discountFen) {
        return new JsonObject().put("issued", issued).put("redeemed", redeemed)
                .put("redemptionRate", ratio(redeemed, issued))
                .put("salesFen", salesFen).put("discountFen", discountFen)
                .put("roi", discountFen == 0 ? null : ratio(salesFen - discountFen, discountFen));
    }

    @Override
    public Future<JsonObject> pointsLiability(LocalDate asOf, long pointsPerYuan) {
        return pool.preparedQuery(LIABILITY).execute(Tuple.of(asOf)).map(rows -> {
            Row row = rows.iterator().next();
            long points = row.getLong("points");
            // points / pointsPerYuan yuan = points * 100 / pointsPerYuan fen, floored.
            long valueFen = BigDecimal.valueOf(points).multiply(BigDecimal.valueOf(100))
                    .divide(BigDecimal.valueOf(pointsPerYuan), 0, RoundingMode.FLOOR)
                    .longValueExact();
            return new JsonObject().put("asOf", asOf.toString()).put("points", points)
                    .put("members", row.getLong("members"))
                    .put("pointsPerYuan", pointsPerYuan).put("valueFen", valueFen);
        });
    }

    @Override
    public Future<JsonObject> pointsExpiringNextMonth(LocalDate today) {
        LocalDate first = today.withDayOfMonth(1).plusMonths(1);
        LocalDate last = first.plusMonths(1).minusDays(1);
        return pool.preparedQuery(EXPIRING).execute(Tuple.of(first, last.plusDays(1)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new JsonObject().put("firstDay", first.toString())
                            .put("lastDay", last.toString())
                            .put("points", row.getLong("points"))
                            .put("members", row.getLong("members"))
                            .put("lots", row.getLong("lots"));
                });
    }

    @Override
    public Future<JsonObject> repurchase(Instant from, Instant to) {
        return pool.preparedQuery(REPURCHASE).execute(Tuple.of(utc(from), utc(to))).map(rows -> {
            Row row = rows.iterator().next();
            long buyers = row.getLong("buyers");
            long repeat = row.getLong("repeat_buyers");
            return new JsonObject().put("from", from.toString()).put("to", to.toString())
                    .put("buyers", buyers).put("repeatBuyers", repeat)
                    .put("repurchaseRate", ratio(repeat, buyers));
        });
    }

    @Override
    public Future<JsonObject> rfm(Instant asOf, int windowDays, int dormantDays, int limit) {
        return pool.preparedQuery(RFM).execute(Tuple.of(utc(asOf), windowDays, dormantDays,
                limit)).map(rows -> {
                    JsonArray members = new JsonArray();
                    for (Row row : rows) {
                        int r = row.getInteger("r");
                        int f = row.getInteger("f");
                        int m = row.getInteger("m");
                        members.add(new JsonObject().put("memberId", row.getString("member_id"))
                                .put("lastPurchaseAt", row.getOffsetDateTime("last_at")
                                        .toInstant().toString())
                                .put("orders", row.getLong("orders"))
                                .put("spentFen", row.getLong("spent_fen"))
                                .put("recency", r).put("frequency", f).put("monetary", m)
                                .put("segment", segment(r, f, m, row.getBoolean("dormant"))));
                    }
                    return new JsonObject().put("asOf", asOf.toString())
                            .put("windowDays", windowDays).put("members", members);
                });
    }

    /** A coarse, explainable segmentation of the three scores. */
    static String segment(int recency, int frequency, int monetary, boolean dormant) {
        if (dormant) {
            return "dormant";
        }
        if (recency >= 4 && frequency >= 4 && monetary >= 4) {
            return "champion";
        }
        if (recency >= 3 && frequency >= 3) {
            return "loyal";
        }
        if (recency >= 4) {
            return "new-or-returning";
        }
        if (frequency >= 3 || monetary >= 3) {
            return "at-risk";
        }
        return "occasional";
    }

    @Override
    public Future<List<String>> dormantMembers(Set<String> storeIds, Instant asOf,
            int dormantDays, int limit) {
        return pool.preparedQuery(DORMANT).execute(Tuple.of(storeIds.toArray(String[]::new),
                utc(asOf), dormantDays, limit)).map(rows -> {
                    List<String> members = new ArrayList<>();
                    for (Row row : rows) {
                        members.add(row.getString("member_id"));
                    }
                    return members;
                });
    }

    /** numerator / denominator with four decimals, "0.0000" when there is no denominator. */
    static String ratio(long numerator, long denominator) {
        if (denominator == 0) {
            return "0.0000";
        }
        return BigDecimal.valueOf(numerator)
                .divide(BigDecimal.valueOf(denominator), 4, RoundingMode.HALF_EVEN)
                .toPlainString();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
