package io.kassa.engine.core.coupon;

import java.util.List;

/** The coupons applied to an order and, for every other presented coupon, why not. */
public record CouponOutcome(List<AppliedCoupon> applied, List<CouponRejection> rejected) {

    public CouponOutcome {
        applied = List.copyOf(applied);
        rejected = List.copyOf(rejected);
    }

    /** The total discount on each line; index 0 is line number 1. */
    public long[] discountFenByLine(int lineCount) {
        long[] discounts = new long[lineCount];
        for (AppliedCoupon coupon : applied) {
            for (LineDiscount line : coupon.lines()) {
                discounts[line.lineNumber() - 1] += line.discountFen();
            }
        }
        return discounts;
    }

    public long totalDiscountFen() {
        long total = 0;
        for (AppliedCoupon coupon : applied) {
            total = Math.addExact(total, coupon.discountFen());
        }
        return total;
    }
}
