package io.kassa.engine.core;

import static io.kassa.engine.core.TestSupport.accepted;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.basket.PricedLine;
import io.kassa.engine.core.coupon.AppliedCoupon;
import io.kassa.engine.core.coupon.Coupon;
import io.kassa.engine.core.coupon.CouponEligibility;
import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.money.Allocation;
import io.kassa.engine.core.quote.Quote;
import io.kassa.engine.core.quote.QuoteEngine;
import io.kassa.engine.core.quote.QuoteRequest;
import io.kassa.engine.core.refund.RefundOutcome;
import io.kassa.engine.core.refund.RefundRequest;
import io.kassa.engine.core.refund.RefundState;
import io.kassa.engine.core.refund.Refunds;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.sale.Checkout;
import io.kassa.engine.core.sale.CompletedSale;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Property-based checks (jqwik) of the money invariants over random baskets, coupons, tenders
 * and refund orders: allocations sum to the whole, nets never go negative, discounts stay
 * within eligible subtotals, refunds return what was paid, and a full refund undoes a sale.
 */
class PropertiesTest {

    private static final ChainRules RULES = DemoChain.rules();
    private static final String[] CATEGORIES = {"general", "apparel", "fresh", "high-margin",
        "tobacco", "shoes"};
    private static final String[] TEMPLATES = {"cut-100-20", "cash-5", "pct-20-cap-50",
        "new-50-10", "wake-up-100-30", "small-2", "fresh-10-off", "sku-milk-3-off"};

    @Property(tries = 300)
    void allocationSumsToTheWholeAndNoPartExceedsItsFairShareByAFen(
            @ForAll @LongRange(min = 0, max = 10_000_000) long total,
            @ForAll @Size(min = 1, max = 40) List<@LongRange(min = 0, max = 5_000_000) Long> w) {
        long[] weights = w.stream().mapToLong(Long::longValue).toArray();
        if (w.stream().mapToLong(Long::longValue).sum() == 0) {
            weights[0] = 1;
        }
        long[] shares = Allocation.largestRemainder(total, weights);
        long sum = 0;
        long weightSum = 0;
        for (long weight : weights) {
            weightSum += weight;
        }
        for (int index = 0; index < shares.length; index++) {
            sum += shares[index];
            java.math.BigInteger exactFloor = java.math.BigInteger.valueOf(total)
                    .multiply(java.math.BigInteger.valueOf(weights[index]))
                    .divide(java.math.BigInteger.valueOf(weightSum));
            assertThat(shares[index] - exactFloor.longValueExact()).isBetween(0L, 1L);
        }
        assertThat(sum).isEqualTo(total);
    }

    @Provide
    Arbitrary<List<BasketLine>> baskets() {
        Arbitrary<BasketLine> line = Combinators.combine(
                Arbitraries.of("A", "B", "MILK", "D"), Arbitraries.of(CATEGORIES),
                Arbitraries.longs().between(0, 60_000), Arbitraries.integers().between(1, 5))
                .as(DemoChain::line);
        return line.list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Coupon>> coupons() {
        return Arbitraries.of(TEMPLATES).list().ofMaxSize(6).map(ids -> {
            List<Coupon> coupons = new ArrayList<>();
            for (int index = 0; index < ids.size(); index++) {
                coupons.add(DemoChain.coupon("K" + index, DemoChain.templateById(ids.get(index)),
                        Optional.empty()));
            }
            return coupons;
        });
    }

    private static MemberSnapshot member(long points, long storedValueFen, int orders) {
        MemberSnapshot base = DemoChain.member("SILVER", 3_000, points, storedValueFen);
        return new MemberSnapshot(base.memberId(), base.tierName(), base.lifetimeEarnedPoints(),
                base.points(), base.storedValueFen(), base.birthMonth(), orders,
                base.lastOrderOn());
    }

    @Property(tries = 300)
    void netsNeverNegativeAndDiscountsWithinEligibleSubtotals(
            @ForAll("baskets") List<BasketLine> basket, @ForAll("coupons") List<Coupon> coupons,
            @ForAll @IntRange(min = 0, max = 2) int orders) {
        Quote quote = accepted(QuoteEngine.quote(RULES, new QuoteRequest(DemoChain.STORE,
                DemoChain.WEDNESDAY, basket, Optional.of(member(0, 0, orders)), coupons, 0)));
        long gross = 0;
        for (PricedLine line : quote.basket().lines()) {
            assertThat(line.net().amountMinor()).isNotNegative();
            assertThat(line.discount().amountMinor()).isNotNegative();
            gross += line.gross().amountMinor();
        }
        assertThat(quote.basket().discount().amountMinor()).isLessThanOrEqualTo(gross);
        for (AppliedCoupon applied : quote.appliedCoupons()) {
            boolean[] eligible = CouponEligibility.eligibleLines(applied.coupon(),
                    quote.basket().lines());
            long eligibleGross = 0;
            for (int index = 0; index < eligible.length; index++) {
                if (eligible[index]) {
                    eligibleGross += quote.basket().lines().get(index).gross().amountMinor();
                }
            }
            assertThat(applied.discountFen()).isBetween(0L, eligibleGross);
            applied.lines().forEach(part -> assertThat(eligible[part.lineNumber() - 1]).isTrue());
        }
        assertThat(quote.pointsToEarn()).isNotNegative();
        assertThat(quote.appliedCoupons().size() + quote.rejectedCoupons().size())
                .isEqualTo(coupons.size());
    }

    /** A sale paid with points up to the cap, some stored value, and the rest by WeChat. */
    private static CompletedSale sale(List<BasketLine> basket, List<Coupon> coupons,
            MemberSnapshot member, long pointsShareOfCapPercent) {
        Quote quote = accepted(QuoteEngine.quote(RULES, new QuoteRequest(DemoChain.STORE,
                DemoChain.WEDNESDAY, basket, Optional.of(member), coupons, Long.MAX_VALUE / 4)));
        long payable = quote.payable().amountMinor();
        // An order the coupons pay in full has no tender to settle; refunds need one.
        net.jqwik.api.Assume.that(payable > 0);
        long points = quote.pointsToRedeem() * pointsShareOfCapPercent / 100;
        long storedValue = Math.min(member.storedValueFen(), (payable - points) / 2);
        List<Tender> tenders = new ArrayList<>();
        if (points > 0) {
            tenders.add(TestSupport.tender(TenderKind.POINTS, points));
        }
        if (storedValue > 0) {
            tenders.add(TestSupport.tender(TenderKind.STORED_VALUE, storedValue));
        }
        if (payable - points - storedValue > 0) {
            tenders.add(TestSupport.tender(TenderKind.WECHAT_PAY, payable - points - storedValue));
        }
        return accepted(Checkout.complete(RULES, new QuoteRequest(DemoChain.STORE,
                DemoChain.WEDNESDAY, basket, Optional.of(member), coupons, 0), tenders, "O1"));
    }

    @Property(tries = 200, shrinking = net.jqwik.api.ShrinkingMode.OFF)
    void refundingEveryLineInAnyStepsReturnsEachTenderWhatItPaidAndUndoesTheSale(
            @ForAll("baskets") List<BasketLine> basket, @ForAll("coupons") List<Coupon> coupons,
            @ForAll @IntRange(min = 0, max = 100) int pointsShare,
            @ForAll @LongRange(min = 0, max = 100_000) long storedValue,
            @ForAll @IntRange(min = 1, max = 4) int steps) {
        if (basket.stream().mapToLong(line -> line.unitPrice().amountMinor()).sum() == 0) {
            return;
        }
        MemberSnapshot before = member(20_000, storedValue, 1);
        CompletedSale sale = sale(basket, coupons, before, pointsShare);
        assertThat(sale.memberAfter().orElseThrow().points().balanceOn(LocalDate.of(2024, 5, 15)))
                .isNotNegative();
        RefundState state = RefundState.none(sale.sale());
        Optional<MemberSnapshot> member = sale.memberAfter();
        List<List<Integer>> groups = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            groups.add(new ArrayList<>());
        }
        for (int lineNumber = 1; lineNumber <= basket.size(); lineNumber++) {
            groups.get(lineNumber % steps).add(lineNumber);
        }
        List<Long> returned = new ArrayList<>();
        sale.sale().tenders().forEach(tender -> returned.add(0L));
        RefundOutcome last = null;
        for (List<Integer> group : groups) {
            if (group.isEmpty()) {
                continue;
            }
            Decision<RefundOutcome> decision = Refunds.refund(RULES, sale.sale(), state,
                    RefundRequest.lines(group.toArray(Integer[]::new)), member,
                    DemoChain.THURSDAY);
            last = accepted(decision);
            for (int index = 0; index < returned.size(); index++) {
                returned.set(index, returned.get(index)
                        + last.tenderRefunds().get(index).amount().amountMinor());
            }
            assertThat(last.shortfallPoints()).isZero();
            state = last.stateAfter();
            member = last.memberAfter();
            assertThat(member.orElseThrow().points().balanceOn(DemoChain.THURSDAY.toLocalDate()))
                    .isNotNegative();
        }
        for (int index = 0; index < returned.size(); index++) {
            assertThat(returned.get(index))
                    .isEqualTo(sale.sale().tenders().get(index).amount().amountMinor());
        }
        assertThat(last.fullRefund()).isTrue();
        MemberSnapshot after = member.orElseThrow();
        assertThat(after.points().balanceOn(DemoChain.THURSDAY.toLocalDate()))
                .isEqualTo(before.points().balanceOn(DemoChain.THURSDAY.toLocalDate()));
        assertThat(after.storedValueFen()).isEqualTo(before.storedValueFen());
        assertThat(last.couponsRestored()).extracting(Coupon::code).containsExactlyElementsOf(
                sale.couponsRedeemed().stream().map(Coupon::code).toList());
        assertThat(last.couponsRestored()).allMatch(coupon -> !coupon.used());
    }
}
