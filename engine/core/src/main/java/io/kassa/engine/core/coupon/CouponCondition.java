package io.kassa.engine.core.coupon;

/** A condition on the member who redeems a coupon. */
public enum CouponCondition {
    NONE,
    /** Only on a member's first order (no completed order before). */
    FIRST_ORDER,
}
