package io.kassa.engine.core.coupon;

import java.util.List;
import java.util.Objects;

/**
 * A coupon applied to the order: its discount and how it is spread over its eligible lines
 * (largest remainder, weighted by the lines' net before this coupon).
 */
public record AppliedCoupon(Coupon coupon, long discountFen, List<LineDiscount> lines) {

    public AppliedCoupon {
        Objects.requireNonNull(coupon, "coupon");
        lines = List.copyOf(lines);
        long sum = 0;
        for (LineDiscount line : lines) {
            sum = Math.addExact(sum, line.discountFen());
        }
        if (sum != discountFen) {
            throw new IllegalArgumentException("line discounts must sum to the discount");
        }
    }
}
