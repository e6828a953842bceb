package io.kassa.engine.core.coupon;

import static io.kassa.engine.core.DemoChain.line;
import static io.kassa.engine.core.DemoChain.templateById;
import static io.kassa.engine.core.TestSupport.accepted;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.DemoChain;
import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.quote.Quote;
import io.kassa.engine.core.quote.QuoteEngine;
import io.kassa.engine.core.quote.QuoteRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Table tests for every coupon kind of DOMAIN.md and every reason a coupon does not apply:
 * each row quotes one basket with one coupon and checks the discount or the rejection code.
 */
class CouponKindsTest {

    private static final List<BasketLine> BASKET = List.of(line("A", "apparel", 19_900, 1),
            line("MILK", "fresh", 3_000, 2), line("C", "tobacco", 2_500, 1));
    private static final List<BasketLine> SMALL_BASKET = List.of(line("A", "apparel", 6_000, 1));

    private static MemberSnapshot member(int completedOrders) {
        MemberSnapshot member = DemoChain.member("NORMAL", 0, 0, 0);
        return new MemberSnapshot(member.memberId(), member.tierName(), 0, member.points(), 0,
                member.birthMonth(), completedOrders, member.lastOrderOn());
    }

    static Stream<Arguments> discounts() {
        return Stream.of(
                Arguments.of("THRESHOLD_CUT 100-20 on 259.00 eligible", "cut-100-20", BASKET,
                        2_000L),
                Arguments.of("NO_THRESHOLD_CASH 5 off", "cash-5", SMALL_BASKET, 500L),
                Arguments.of("PERCENTAGE 20% of 259.00 = 51.80, capped at 50", "pct-20-cap-50",
                        BASKET, 5_000L),
                Arguments.of("PERCENTAGE 20% of 60.00 under the cap", "pct-20-cap-50",
                        SMALL_BASKET, 1_200L),
                Arguments.of("NEW_CUSTOMER 50-10 on a first order", "new-50-10", SMALL_BASKET,
                        1_000L),
                Arguments.of("REPURCHASE 100-20", "repurchase-100-20", BASKET, 2_000L),
                Arguments.of("WAKE_UP 100-30", "wake-up-100-30", BASKET, 3_000L),
                Arguments.of("SMALL_STACKABLE 2 off", "small-2", SMALL_BASKET, 200L),
                Arguments.of("SPLIT_RED_PACKET whole 20 off", "red-packet-20", BASKET, 2_000L),
                Arguments.of("CATEGORY fresh 10 off over 30", "fresh-10-off", BASKET, 1_000L),
                Arguments.of("ITEM MILK 3 off", "sku-milk-3-off", BASKET, 300L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("discounts")
    void eachKindTakesItsDiscount(String name, String templateId, List<BasketLine> basket,
            long expectedDiscountFen) {
        Quote quote = quote(basket, List.of(DemoChain.coupon("X", templateById(templateId),
                Optional.of("M1"))), member(0));

        assertThat(quote.rejectedCoupons()).isEmpty();
        assertThat(quote.basket().discount().amountMinor()).isEqualTo(expectedDiscountFen);
        assertThat(quote.basket().lines().get(quote.basket().lines().size() - 1).line()
                .category().equals("tobacco")
                ? quote.basket().lines().get(quote.basket().lines().size() - 1).discount()
                        .amountMinor() : 0L).isZero();
    }

    static Stream<Arguments> rejections() {
        CouponTemplate cut = templateById("cut-100-20");
        Instant from = Instant.parse("2024-01-01T00:00:00Z");
        return Stream.of(
                Arguments.of("used", DemoChain.coupon("X", cut, Optional.empty()).markedUsed(),
                        BASKET, RejectionCode.COUPON_ALREADY_USED),
                Arguments.of("not yet valid", new Coupon("X", cut, Optional.empty(),
                        Instant.parse("2024-06-01T00:00:00Z"), Instant.parse("2024-07-01T00:00:00Z"),
                        false), BASKET, RejectionCode.COUPON_NOT_YET_VALID),
                Arguments.of("expired (window end is exclusive)", new Coupon("X", cut,
                        Optional.empty(), from, DemoChain.WEDNESDAY.toInstant(), false), BASKET,
                        RejectionCode.COUPON_EXPIRED),
                Arguments.of("another member's", DemoChain.coupon("X", cut, Optional.of("M2")),
                        BASKET, RejectionCode.COUPON_NOT_OWNER),
                Arguments.of("below threshold: tobacco does not count",
                        DemoChain.coupon("X", cut, Optional.empty()),
                        List.of(line("A", "apparel", 9_000, 1), line("C", "tobacco", 5_000, 1)),
                        RejectionCode.COUPON_BELOW_THRESHOLD),
                Arguments.of("no eligible line", DemoChain.coupon("X",
                        templateById("sku-milk-3-off"), Optional.empty()), SMALL_BASKET,
                        RejectionCode.COUPON_NO_ELIGIBLE_LINES),
                Arguments.of("first-order coupon on a second order", DemoChain.coupon("X",
                        templateById("new-50-10"), Optional.empty()), SMALL_BASKET,
                        RejectionCode.COUPON_NOT_FIRST_ORDER),
                Arguments.of("wrong store", new Coupon("X", new CouponTemplate("only-c001",
                        CouponKind.NO_THRESHOLD_CASH, DemoChain.amountOff(500), 0,
                        new CouponScope(new io.kassa.engine.core.rules.StoreScope(
                                java.util.Set.of(DemoChain.CLOTHING_STORE), java.util.Set.of()),
                                java.util.Set.of(), java.util.Set.of(), java.util.Set.of()),
                        false, 1, CouponCondition.NONE, 30), Optional.empty(), from,
                        Instant.parse("2025-01-01T00:00:00Z"), false), SMALL_BASKET,
                        RejectionCode.COUPON_WRONG_STORE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void eachCouponThatDoesNotApplySaysWhy(String name, Coupon coupon, List<BasketLine> basket,
            RejectionCode reason) {
        Quote quote = quote(basket, List.of(coupon), member(1));

        assertThat(quote.appliedCoupons()).isEmpty();
        assertThat(quote.rejectedCoupons()).singleElement()
                .satisfies(rejection -> {
                    assertThat(rejection.reason()).isEqualTo(reason);
                    assertThat(rejection.explanation()).contains("X");
                });
    }

    @Test
    void memberBoundCouponNeedsTheMember() {
        Quote quote = accepted(QuoteEngine.quote(DemoChain.rules(), new QuoteRequest(
                DemoChain.STORE, DemoChain.WEDNESDAY, BASKET, Optional.empty(),
                List.of(DemoChain.coupon("X", templateById("cut-100-20"), Optional.of("M1"))),
                0)));
        assertThat(quote.rejectedCoupons()).singleElement().extracting(CouponRejection::reason)
                .isEqualTo(RejectionCode.COUPON_MEMBER_REQUIRED);
    }

    @Test
    void bestCombinationIsTheLargestDiscountAndOthersSayWhy() {
        Quote quote = quote(BASKET, List.of(
                DemoChain.coupon("CASH5", templateById("cash-5"), Optional.empty()),
                DemoChain.coupon("WAKE30", templateById("wake-up-100-30"), Optional.empty()),
                DemoChain.coupon("CUT20", templateById("cut-100-20"), Optional.empty())),
                member(1));

        assertThat(quote.appliedCoupons()).extracting(applied -> applied.coupon().code())
                .containsExactly("WAKE30");
        assertThat(quote.rejectedCoupons()).extracting(CouponRejection::reason).containsOnly(
                RejectionCode.COUPON_NOT_IN_BEST_COMBINATION);
        assertThat(quote.rejectedCoupons()).hasSize(2);
    }

    @Test
    void equalDiscountsGoToTheCouponExpiringFirst() {
        CouponTemplate cut = templateById("cut-100-20");
        Instant from = Instant.parse("2024-01-01T00:00:00Z");
        Coupon later = new Coupon("LATER", cut, Optional.empty(), from,
                Instant.parse("2024-12-01T00:00:00Z"), false);
        Coupon sooner = new Coupon("SOONER", cut, Optional.empty(), from,
                Instant.parse("2024-06-01T00:00:00Z"), false);

        Quote quote = quote(BASKET, List.of(later, sooner), member(1));

        assertThat(quote.appliedCoupons()).extracting(applied -> applied.coupon().code())
                .containsExactly("SOONER");
    }

    @Test
    void stackableCouponsCombineUpToTheirLimit() {
        CouponTemplate small = templateById("small-2");
        List<Coupon> four = List.of(DemoChain.coupon("S1", small, Optional.empty()),
                DemoChain.coupon("S2", small, Optional.empty()),
                DemoChain.coupon("S3", small, Optional.empty()),
                DemoChain.coupon("S4", small, Optional.empty()));

        Quote quote = quote(SMALL_BASKET, four, member(1));

        assertThat(quote.appliedCoupons()).hasSize(3);
        assertThat(quote.basket().discount().amountMinor()).isEqualTo(600);
        assertThat(quote.rejectedCoupons()).singleElement().extracting(CouponRejection::reason)
                .isEqualTo(RejectionCode.COUPON_NOT_IN_BEST_COMBINATION);
    }

    @Test
    void aStackOfSmallCouponsBeatsOneSmallerExclusiveCoupon() {
        CouponTemplate small = templateById("small-2");
        Quote quote = quote(SMALL_BASKET, List.of(
                DemoChain.coupon("S1", small, Optional.empty()),
                DemoChain.coupon("S2", small, Optional.empty()),
                DemoChain.coupon("S3", small, Optional.empty()),
                DemoChain.coupon("CASH5", templateById("cash-5"), Optional.empty())), member(1));

        assertThat(quote.basket().discount().amountMinor()).isEqualTo(600);
    }

    @Test
    void duplicatePresentationIsRejected() {
        Coupon cash = DemoChain.coupon("CASH5", templateById("cash-5"), Optional.empty());
        Quote quote = quote(SMALL_BASKET, List.of(cash, cash), member(1));
        assertThat(quote.rejectedCoupons()).extracting(CouponRejection::reason)
                .containsExactly(RejectionCode.COUPON_DUPLICATE);
    }

    @Test
    void redPacketSplitsAmongClaimersByLargestRemainder() {
        List<Coupon> shares = CouponIssuance.splitRedPacket(templateById("red-packet-20"), "RP",
                List.of("M1", "M2", "M3"), Instant.parse("2024-05-01T00:00:00Z"));
        assertThat(shares).extracting(coupon -> ((CouponBenefit.AmountOff) coupon.template()
                .benefit()).amountFen()).containsExactly(667L, 667L, 666L);
        assertThat(shares).extracting(coupon -> coupon.ownerMemberId().orElseThrow())
                .containsExactly("M1", "M2", "M3");
    }

    @Test
    void repurchaseCouponIsValidThirtyDaysFromIssue() {
        Instant issued = Instant.parse("2024-05-15T02:00:00Z");
        Coupon coupon = CouponIssuance.issue(templateById("repurchase-100-20"), "R1",
                Optional.of("M1"), issued);
        assertThat(coupon.validUntil()).isEqualTo(Instant.parse("2024-06-14T02:00:00Z"));
    }

    @Test
    void wakeUpCouponGoesOnlyToDormantMembers() {
        MemberSnapshot active = member(1);
        assertThat(CouponIssuance.issueWakeUp(templateById("wake-up-100-30"), "W1", active,
                Instant.parse("2024-05-15T00:00:00Z"), java.time.LocalDate.of(2024, 5, 15), 90))
                .isInstanceOf(io.kassa.engine.core.decision.Decision.Rejected.class);
        assertThat(accepted(CouponIssuance.issueWakeUp(templateById("wake-up-100-30"), "W1",
                active, Instant.parse("2024-08-01T00:00:00Z"), java.time.LocalDate.of(2024, 8, 1),
                90)).ownerMemberId()).contains("M1");
    }

    private static Quote quote(List<BasketLine> basket, List<Coupon> coupons,
            MemberSnapshot member) {
        return accepted(QuoteEngine.quote(DemoChain.rules(), new QuoteRequest(DemoChain.STORE,
                DemoChain.WEDNESDAY, basket, Optional.of(member), coupons, 0)));
    }
}
