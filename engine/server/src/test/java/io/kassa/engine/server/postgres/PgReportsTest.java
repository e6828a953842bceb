package io.kassa.engine.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reports' SQL against a small fixture chain whose figures were computed by hand (the
 * arithmetic is in the comments): coupon redemption rate, sales, discount and ROI per template;
 * points liability and its value; points expiring next month (expiry dates are exclusive);
 * repurchase rate; dormant members; RFM scores.
 */
class PgReportsTest {

    private static final String SCHEMA = TestServices.freshSchema("reports");
    private static Vertx vertx;
    private static Pool pool;
    private static PgReports reports;

    /*
     * Window: October 2026.
     * Members: M1 (S001) 3 orders in October; M2 (S002) 1; M3 (S001) 1 in October, 1 in
     * November; M4 (S001) no order, registered 2026-01-01; M5 (S002) last order 2026-07-01;
     * M6 (S002) 400.00 in March, 10.00 on November 1.
     * Coupons issued in October: C1 cut-100-20 redeemed by M1's order of 100.00 (discount
     * 20.00); C2 cut-100-20 available; C3 cash-5 redeemed by M2's order of 120.00 (discount
     * 30.00); C4 cash-5 void. C5 (issued in September, redeemed) is outside the window.
     */
    @BeforeAll
    static void fixture() throws Exception {
        Migrations.migrate(PostgresLocation.parse(TestServices.postgresUrl(), SCHEMA));
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
                .connectingTo(PostgresLocation.parse(TestServices.postgresUrl(), SCHEMA)
                        .connectOptions()).using(vertx).build();
        reports = new PgReports(pool);
        try (Connection connection = TestServices.jdbc(SCHEMA);
                Statement sql = connection.createStatement()) {
            sql.executeUpdate("""
                    insert into member (member_id, member_code, home_store_id, registered_at)
                    values ('M1', 'c1', 'S001', '2026-01-01'), ('M2', 'c2', 'S002', '2026-01-01'),
                           ('M3', 'c3', 'S001', '2026-01-01'), ('M4', 'c4', 'S001', '2026-01-01'),
                           ('M5', 'c5', 'S002', '2026-01-01'), ('M6', 'c6', 'S002', '2026-01-01')""");
            order(sql, 1, "M1", "S001", "2026-10-03T10:00:00Z", 12_000, 2_000);
            order(sql, 2, "M1", "S001", "2026-10-10T10:00:00Z", 5_000, 0);
            order(sql, 3, "M1", "S001", "2026-10-20T10:00:00Z", 8_000, 0);
            order(sql, 4, "M2", "S002", "2026-10-15T10:00:00Z", 15_000, 3_000);
            order(sql, 5, "M3", "S001", "2026-10-05T10:00:00Z", 4_000, 0);
            order(sql, 6, "M3", "S001", "2026-11-05T10:00:00Z", 4_000, 0);
            order(sql, 7, null, "S001", "2026-10-06T10:00:00Z", 3_000, 0);
            order(sql, 8, "M5", "S002", "2026-07-01T10:00:00Z", 9_000, 1_000);
            order(sql, 9, "M6", "S002", "2026-03-01T10:00:00Z", 40_000, 0);
            order(sql, 10, "M6", "S002", "2026-11-01T10:00:00Z", 1_000, 0);
            coupon(sql, "C1", "cut-100-20", "M1", "REDEEMED", "2026-10-01T00:00:00Z", 1);
            coupon(sql, "C2", "cut-100-20", "M1", "AVAILABLE", "2026-10-02T00:00:00Z", 0);
            coupon(sql, "C3", "cash-5", "M2", "REDEEMED", "2026-10-03T00:00:00Z", 4);
            coupon(sql, "C4", "cash-5", "M2", "VOID", "2026-10-04T00:00:00Z", 0);
            coupon(sql, "C5", "cut-100-20", "M5", "REDEEMED", "2026-09-30T00:00:00Z", 8);
            // Lots on 2026-11-22 (expires_on exclusive):
            lot(sql, "L1", "M1", 500, "2027-01-01"); // live; last day Dec 31: next month
            lot(sql, "L2", "M1", 300, "2026-12-15"); // live; last day Dec 14: next month
            lot(sql, "L3", "M2", 1_000, "2026-11-22"); // dead on Nov 22
            lot(sql, "L4", "M3", 250, "2027-01-02"); // live; last day Jan 1: not next month
            lot(sql, "L5", "M3", 0, "2026-12-10"); // spent
            lot(sql, "L6", "M4", 199, "2026-12-01"); // live; last day Nov 30: not next month
        }
    }

    private static void order(Statement sql, int number, String member, String store,
            String at, long subtotalFen, long discountFen) throws Exception {
        sql.executeUpdate("insert into sales_order (order_id, store_id, terminal_id, sale_id,"
                + " request_fingerprint, currency, subtotal_fen, discount_fen, payable_fen,"
                + " change_fen, committed_at, member_id) values ('00000000-0000-0000-0000-"
                + String.format("%012d", number) + "', '" + store + "', 'T1', 'sale-" + number
                + "', 'fp', 'CNY', " + subtotalFen + ", " + discountFen + ", "
                + (subtotalFen - discountFen) + ", 0, '" + at + "', "
                + (member == null ? "null" : "'" + member + "'") + ")");
    }

    private static void coupon(Statement sql, String id, String template, String member,
            String state, String issuedAt, int order) throws Exception {
        sql.executeUpdate("insert into coupon (coupon_id, template_id, member_id, state,"
                + " valid_from, valid_until, redeemed_order_id, issued_at) values ('" + id
                + "', '" + template + "', '" + member + "', '" + state + "', '" + issuedAt
                + "', '2027-01-01', " + (order == 0 ? "null" : "'00000000-0000-0000-0000-"
                + String.format("%012d", order) + "'") + ", '" + issuedAt + "')");
    }

    private static void lot(Statement sql, String id, String member, long points,
            String expiresOn) throws Exception {
        sql.executeUpdate("insert into points_lot (lot_id, member_id, points_remaining,"
                + " earned_on, expires_on) values ('" + id + "', '" + member + "', " + points
                + ", '2026-01-01', '" + expiresOn + "')");
    }

    @AfterAll
    static void stop() throws Exception {
        await(pool.close());
        await(vertx.close());
        TestServices.dropSchema(SCHEMA);
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static final Instant OCTOBER = Instant.parse("2026-10-01T00:00:00Z");
    static final Instant NOVEMBER = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void couponRedemptionRateSalesAndRoiMatchTheHandComputedFigures() throws Exception {
        JsonObject report = await(reports.couponRedemption(OCTOBER, NOVEMBER));
        // Issued 4 (C1..C4), redeemed 2 (C1, C3): 2/4 = 0.5000. Sales of the redeeming
        // orders 100.00 + 120.00 = 22,000 fen; their discounts 2,000 + 3,000 = 5,000 fen;
        // ROI (22,000 - 5,000) / 5,000 = 3.4000.
        assertThat(report.getLong("issued")).isEqualTo(4);
        assertThat(report.getLong("redeemed")).isEqualTo(2);
        assertThat(report.getString("redemptionRate")).isEqualTo("0.5000");
        assertThat(report.getLong("salesFen")).isEqualTo(22_000);
        assertThat(report.getLong("discountFen")).isEqualTo(5_000);
        assertThat(report.getString("roi")).isEqualTo("3.4000");
        JsonObject cut = report.getJsonArray("templates").getJsonObject(1);
        JsonObject cash = report.getJsonArray("templates").getJsonObject(0);
        // cut-100-20: 1 of 2, sales 10,000, discount 2,000, ROI 8,000 / 2,000 = 4.0000.
        assertThat(cut.getString("templateId")).isEqualTo("cut-100-20");
        assertThat(cut.getString("redemptionRate")).isEqualTo("0.5000");
        assertThat(cut.getLong("salesFen")).isEqualTo(10_000);
        assertThat(cut.getString("roi")).isEqualTo("4.0000");
        // cash-5: 1 of 2, sales 12,000, discount 3,000, ROI 9,000 / 3,000 = 3.0000.
        assertThat(cash.getString("templateId")).isEqualTo("cash-5");
        assertThat(cash.getLong("salesFen")).isEqualTo(12_000);
        assertThat(cash.getString("roi")).isEqualTo("3.0000");
    }

    @Test
    void pointsLiabilityCountsLiveLotsAtTheRedemptionRate() throws Exception {
        LocalDate today = LocalDate.of(2026, 11, 22);
        // Live on Nov 22: L1 500 + L2 300 + L4 250 + L6 199 = 1,249 points of M1, M3, M4.
        JsonObject atDemoRate = await(reports.pointsLiability(today, 100));
        assertThat(atDemoRate.getLong("points")).isEqualTo(1_249);
        assertThat(atDemoRate.getLong("members")).isEqualTo(3);
        assertThat(atDemoRate.getLong("valueFen")).isEqualTo(1_249); // 100 points = 1 yuan
        // At 150 points a yuan: 1,249 × 100 / 150 = 832.67 fen, floored to 832.
        assertThat(await(reports.pointsLiability(today, 150)).getLong("valueFen"))
                .isEqualTo(832);
    }

    @Test
    void pointsExpiringNextMonthUseTheLastSpendableDay() throws Exception {
        JsonObject report = await(reports.pointsExpiringNextMonth(LocalDate.of(2026, 11, 22)));
        // December: L1 (last day Dec 31) 500 + L2 (Dec 14) 300 = 800 points, one member.
        assertThat(report.getString("firstDay")).isEqualTo("2026-12-01");
        assertThat(report.getString("lastDay")).isEqualTo("2026-12-31");
        assertThat(report.getLong("points")).isEqualTo(800);
        assertThat(report.getLong("lots")).isEqualTo(2);
        assertThat(report.getLong("members")).isEqualTo(1);
    }

    @Test
    void repurchaseRateIsTheShareOfBuyersWithTwoOrders() throws Exception {
        // October buyers: M1 (3 orders), M2 (1), M3 (1); the anonymous order does not count.
        JsonObject report = await(reports.repurchase(OCTOBER, NOVEMBER));
        assertThat(report.getLong("buyers")).isEqualTo(3);
        assertThat(report.getLong("repeatBuyers")).isEqualTo(1);
        assertThat(report.getString("repurchaseRate")).isEqualTo("0.3333");
    }

    @Test
    void dormantMembersHaveNoPurchaseWithinTheDormancyDays() throws Exception {
        Instant asOf = Instant.parse("2026-11-22T00:00:00Z");
        // 90 days before Nov 22 is Aug 24: M5 (last order Jul 1) and M4 (never; registered
        // Jan 1) are dormant; M1, M2, M3 bought in October or November and spent there all
        // they spent in the year. M6 bought on Nov 1 too, but 10.00 against 410.00 in the last
        // 360 days: 8 × 1,000 = 8,000 < 41,000, under half a quarter's average: dormant.
        assertThat(await(reports.dormantMembers(Set.of("S001", "S002"), asOf, 90, 100)))
                .isEqualTo(List.of("M4", "M5", "M6"));
        assertThat(await(reports.dormantMembers(Set.of("S001"), asOf, 90, 100)))
                .isEqualTo(List.of("M4"));
    }

    @Test
    void rfmScoresTheWindowsBuyers() throws Exception {
        JsonObject report = await(reports.rfm(Instant.parse("2026-11-22T00:00:00Z"), 365, 90,
                100));
        // Buyers in the year: M1, M2, M3, M5, M6. M5 bought last on Jul 1: dormant.
        assertThat(report.getJsonArray("members").stream()
                .map(member -> ((JsonObject) member).getString("memberId")))
                .containsExactly("M1", "M2", "M3", "M5", "M6");
        JsonObject m1 = report.getJsonArray("members").getJsonObject(0);
        assertThat(m1.getLong("orders")).isEqualTo(3);
        assertThat(m1.getLong("spentFen")).isEqualTo(10_000 + 5_000 + 8_000);
        assertThat(report.getJsonArray("members").getJsonObject(3).getString("segment"))
                .isEqualTo("dormant");
        assertThat(PgReports.segment(5, 5, 5, false)).isEqualTo("champion");
    }
}
