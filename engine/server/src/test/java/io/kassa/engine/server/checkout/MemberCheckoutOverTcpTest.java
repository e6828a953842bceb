package io.kassa.engine.server.checkout;

import static io.kassa.engine.server.testing.RawTerminal.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.engine.server.testing.TestEngine;
import io.kassa.engine.server.testing.TestServices;
import io.kassa.peripherals.sdk.TerminalClient;
import io.kassa.peripherals.sdk.TerminalClientOptions;
import io.kassa.peripherals.sdk.TerminalErrorException;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A member's sale over the wire, terminal SDK to engine to PostgreSQL and Redis: the quote
 * shows the member, the coupon applied, the points cap and what the sale earns; the checkout
 * pays with points, stored value and a bank card and reports the points; each member-related
 * mistake a terminal can make gets its own error code.
 */
class MemberCheckoutOverTcpTest {

    /** Member ids unique to this run: the local Redis outlives test runs. */
    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static final String M1 = "M1-" + RUN;
    private static final String M2 = "M2-" + RUN;
    private static final String M3 = "M3-" + RUN;

    private static TestEngine engine;
    private static Vertx terminals;
    private static TerminalClient client;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.start("member_tcp");
        terminals = Vertx.vertx();
        try (Connection connection = TestServices.jdbc(engine.schema());
                Statement statement = connection.createStatement()) {
            // M1 for the quote, M3 for the checkout (alike, so the test order does not
            // matter), M2 with little stored value and no points.
            seedMember(statement, M1, "member-0001", "13800000001", 20_000, 8_000, "C1");
            seedMember(statement, M3, "member-0003", "13800000003", 20_000, 8_000, "C3");
            seedMember(statement, M2, "member-0002", "13800000002", 1_000, 0, null);
        }
        client = TerminalClient.create(terminals, new TerminalClientOptions()
                .setPort(engine.port()).setStoreId("S001").setTerminalId("T-member")
                .setSecret(engine.secret("S001", "T-member")));
        await(client.connect());
    }

    @AfterAll
    static void stop() throws Exception {
        await(client.close());
        await(terminals.close());
        engine.close();
    }

    @Test
    void quoteShowsTheMemberTheCouponAndThePoints() throws Exception {
        QuoteResponse quote = await(client.quote(basket().setMemberCode("member-0001")
                .setPointsWish(100_000).build()));
        // 150.00 of groceries, spend >= 100 get 20 off: 130.00 payable.
        assertThat(quote.getPayableFen()).isEqualTo(13_000);
        assertThat(quote.getAppliedCouponsList()).singleElement()
                .satisfies(coupon -> {
                    assertThat(coupon.getCouponId()).isEqualTo("C1");
                    assertThat(coupon.getDiscountFen()).isEqualTo(2_000);
                });
        // The cap is 20% of 130.00: 2,600 points; the wish is cut to it.
        assertThat(quote.getPointsCap()).isEqualTo(2_600);
        assertThat(quote.getPointsToRedeem()).isEqualTo(2_600);
        assertThat(quote.getPayableAfterPointsFen()).isEqualTo(10_400);
        assertThat(quote.getMember().getMemberId()).isEqualTo(M1);
        assertThat(quote.getMember().getPointsBalance()).isEqualTo(8_000);
        assertThat(quote.getMember().getStoredValueFen()).isEqualTo(20_000);
        assertThat(quote.getPointsToEarn()).isPositive();
        assertThat(quote.getPointsExplanation()).isNotBlank();
        QuoteResponse byPhone = await(client.quote(basket().setMemberCode("13800000001")
                .build()));
        assertThat(byPhone.getMember().getMemberId()).isEqualTo(M1);
    }

    @Test
    void checkoutPaysWithPointsStoredValueAndCardAndRecordsThem() throws Exception {
        CheckoutResponse response = await(client.checkout(CheckoutRequest.newBuilder()
                .setSaleId("tcp-member-1").setCurrency("CNY").setMemberCode("member-0003")
                .addAllLines(basket().getLinesList())
                .addTenders(tender(TenderType.POINTS, 2_000))
                .addTenders(tender(TenderType.STORED_VALUE, 5_000))
                .addTenders(tender(TenderType.BANK_CARD, 6_000).toBuilder()
                        .setApprovalCode("APPROVED-778899"))
                .build()));
        assertThat(response.getPayableFen()).isEqualTo(13_000);
        assertThat(response.getPointsRedeemed()).isEqualTo(2_000);
        assertThat(response.getPointsEarned()).isPositive();
        String order = "'" + response.getOrderId() + "'";
        assertThat(engine.count("select count(*) from order_tender where order_id = " + order
                + " and kind = 'BANK_CARD' and reference = 'APPROVED-778899'")).isEqualTo(1);
        assertThat(engine.count("select balance_fen from stored_value_balance where member_id"
                + " = '" + M3 + "'")).isEqualTo(15_000);
        assertThat(engine.count("select count(*) from coupon where coupon_id = 'C3' and state"
                + " = 'REDEEMED'")).isEqualTo(1);
    }

    @Test
    void eachMemberMistakeGetsItsOwnCode() throws Exception {
        assertCode(client.quote(basket().setMemberCode("nobody").build()),
                ErrorCode.UNKNOWN_MEMBER);
        assertCode(client.quote(basket().setPointsWish(100).build()),
                ErrorCode.MEMBER_REQUIRED);
        assertCode(client.checkout(sale("tcp-no-member", "",
                tender(TenderType.POINTS, 1_000), tender(TenderType.CASH, 14_000))),
                ErrorCode.MEMBER_REQUIRED);
        // Member 1's coupon makes the payable 130.00; its cap is 2,600 points.
        assertCode(client.checkout(sale("tcp-over-cap", "member-0001",
                tender(TenderType.POINTS, 2_601), tender(TenderType.CASH, 10_399))),
                ErrorCode.POINTS_OVER_CAP);
        assertCode(client.checkout(sale("tcp-over-sv", "member-0002",
                tender(TenderType.STORED_VALUE, 1_001), tender(TenderType.CASH, 13_999))),
                ErrorCode.INSUFFICIENT_STORED_VALUE);
        assertCode(client.checkout(sale("tcp-no-points", "member-0002",
                tender(TenderType.POINTS, 100), tender(TenderType.CASH, 14_900))),
                ErrorCode.INSUFFICIENT_POINTS);
        assertCode(client.checkout(sale("tcp-card", "",
                tender(TenderType.BANK_CARD, 15_000))), ErrorCode.INVALID_FIELD);
        assertCode(client.quote(QuoteRequest.newBuilder().setCurrency("CNY")
                .addLines(line("x", "no-such-category", 100, 1)).build()),
                ErrorCode.UNKNOWN_CATEGORY);
        assertThat(engine.count("select count(*) from sales_order where sale_id like"
                + " 'tcp-%' and sale_id <> 'tcp-member-1'")).isZero();
    }

    private static void seedMember(Statement statement, String id, String code, String phone,
            long storedValueFen, long points, String couponId) throws java.sql.SQLException {
        LocalDate today = LocalDate.now();
        statement.executeUpdate("insert into member (member_id, member_code, phone,"
                + " completed_orders) values ('" + id + "', '" + code + "', '" + phone + "', 3)");
        statement.executeUpdate("insert into stored_value_balance values ('" + id + "', "
                + storedValueFen + ")");
        if (points > 0) {
            statement.executeUpdate("insert into points_lot (lot_id, member_id,"
                    + " points_remaining, earned_on, expires_on) values ('L-" + id + "', '" + id
                    + "', " + points + ", '" + today.minusDays(30) + "', '"
                    + today.plusMonths(6) + "')");
        }
        if (couponId != null) {
            statement.executeUpdate("insert into coupon (coupon_id, template_id, member_id,"
                    + " state, valid_from, valid_until) values ('" + couponId + "',"
                    + " 'cut-100-20', '" + id + "', 'AVAILABLE', now() - interval '1 day',"
                    + " now() + interval '30 days')");
        }
    }

    private static QuoteRequest.Builder basket() {
        return QuoteRequest.newBuilder().setCurrency("CNY")
                .addLines(line("rice-5kg", "grocery", 5_000, 2))
                .addLines(line("oil-1l", "grocery", 2_500, 2));
    }

    private static CheckoutRequest sale(String saleId, String memberCode, Tender... tenders) {
        CheckoutRequest.Builder request = CheckoutRequest.newBuilder().setSaleId(saleId)
                .setCurrency("CNY").setMemberCode(memberCode)
                .addAllLines(basket().getLinesList());
        for (Tender tender : tenders) {
            request.addTenders(tender);
        }
        return request.build();
    }

    private static Tender tender(TenderType type, long amountFen) {
        return Tender.newBuilder().setType(type).setAmountFen(amountFen)
                .setReceivedFen(type == TenderType.CASH ? amountFen : 0).build();
    }

    private static void assertCode(Future<?> answer, ErrorCode code) {
        assertThatThrownBy(() -> await(answer)).cause()
                .isInstanceOf(TerminalErrorException.class)
                .satisfies(error -> assertThat(((TerminalErrorException) error).code())
                        .isEqualTo(code));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }
}
