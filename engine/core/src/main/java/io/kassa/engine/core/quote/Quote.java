package io.kassa.engine.core.quote;

import io.kassa.engine.core.basket.PricedBasket;
import io.kassa.engine.core.coupon.AppliedCoupon;
import io.kassa.engine.core.coupon.CouponRejection;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.points.PointsEarning;
import io.kassa.engine.core.points.TierProgress;
import io.kassa.engine.core.rules.RedemptionRule;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The answer to a quote: the priced basket with each line's discount, the coupons applied and
 * why the others were not, what points may pay (cap, balance), what is left to pay, the points
 * the order will earn with the explanation of how, and the member's tier progress.
 *
 * @param basket lines with discounts; its {@code payable} is the order's net amount
 * @param pointsCapPoints the most points this order accepts (cap, in whole payable points)
 * @param pointsToRedeem the points wish, reduced to the cap and the balance
 * @param payableAfterPoints what other tenders must settle when {@code pointsToRedeem} are paid
 * @param earning how many points the order earns with {@code pointsToRedeem} paid, and how
 */
public record Quote(
        String storeId, ZonedDateTime at, LocalDate storeLocalDate, PricedBasket basket,
        List<AppliedCoupon> appliedCoupons, List<CouponRejection> rejectedCoupons,
        RedemptionRule redemption, Money pointsCapAmount, long pointsCapPoints,
        long pointsBalance, long pointsToRedeem, Money pointsAmount, Money payableAfterPoints,
        Optional<MemberSnapshot> member, PointsEarning earning,
        Optional<TierProgress> tierProgress) {

    public Quote {
        appliedCoupons = List.copyOf(appliedCoupons);
        rejectedCoupons = List.copyOf(rejectedCoupons);
        if (!basket.payable().minus(pointsAmount).equals(payableAfterPoints)
                || payableAfterPoints.isNegative() || pointsToRedeem > pointsCapPoints) {
            throw new IllegalArgumentException("quote totals must agree");
        }
    }

    /** The order's net amount after coupons, before any tender. */
    public Money payable() {
        return basket.payable();
    }

    public long pointsToEarn() {
        return earning.totalPoints();
    }

    /** "How were 513 points computed", for people. */
    public String pointsExplanation() {
        return earning.explanation();
    }
}
