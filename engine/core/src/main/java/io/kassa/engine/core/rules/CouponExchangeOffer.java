package io.kassa.engine.core.rules;

/** Points exchanged for a coupon: {@code pointsCost} points buy one coupon of the template. */
public record CouponExchangeOffer(String offerId, long pointsCost, String couponTemplateId) {
}
