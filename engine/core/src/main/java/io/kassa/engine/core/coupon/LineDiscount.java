package io.kassa.engine.core.coupon;

/** The part of one coupon's discount that falls on one line. */
public record LineDiscount(int lineNumber, long discountFen) {
}
