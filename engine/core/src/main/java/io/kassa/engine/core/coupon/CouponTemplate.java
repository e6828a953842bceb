package io.kassa.engine.core.coupon;

import java.util.Objects;

/**
 * The terms coupons are issued on.
 *
 * @param thresholdFen the eligible lines' gross subtotal must reach it (0: no threshold)
 * @param stackable whether the coupon combines with others in one order
 * @param stackLimit for a stackable coupon, the most coupons an order using it may hold
 * @param validityDays how long an issued coupon stays valid (repurchase: 30)
 */
public record CouponTemplate(
        String templateId, CouponKind kind, CouponBenefit benefit, long thresholdFen,
        CouponScope scope, boolean stackable, int stackLimit, CouponCondition condition,
        int validityDays) {

    public CouponTemplate {
        Objects.requireNonNull(templateId, "templateId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(benefit, "benefit");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(condition, "condition");
    }

    public CouponTemplate withBenefit(CouponBenefit newBenefit) {
        return new CouponTemplate(templateId, kind, newBenefit, thresholdFen, scope, stackable,
                stackLimit, condition, validityDays);
    }
}
