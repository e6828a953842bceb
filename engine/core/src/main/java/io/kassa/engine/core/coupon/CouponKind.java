package io.kassa.engine.core.coupon;

/**
 * The kinds of coupons and red packets (红包券) a chain issues. The kind names the business
 * purpose; what a coupon does is in its template's benefit, threshold, scope, stacking and
 * condition, which the {@link io.kassa.engine.core.rules.RulesValidator} checks against the kind.
 */
public enum CouponKind {
    /** 满减: spend at least the threshold, get an amount off. */
    THRESHOLD_CUT,
    /** An amount off with no threshold. */
    NO_THRESHOLD_CASH,
    /** A share off (8折 = 20% off), with a cap. */
    PERCENTAGE,
    /** Scoped to some items (SKUs). */
    ITEM,
    /** Scoped to some categories. */
    CATEGORY,
    /** For a member's first order only. */
    NEW_CUSTOMER_FIRST_ORDER,
    /** Issued after a purchase for the next one, valid a number of days. */
    REPURCHASE,
    /** Issued to dormant members to bring them back. */
    WAKE_UP,
    /** Small coupons that stack with others up to their limit. */
    SMALL_STACKABLE,
    /** A share of a red packet split among the people who claimed it. */
    SPLIT_RED_PACKET,
}
