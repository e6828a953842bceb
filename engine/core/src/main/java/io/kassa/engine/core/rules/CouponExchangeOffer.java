package io.kassa.engine.core.rules;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Points exchanged for a coupon: {@code pointsCost} points buy one coupon of the template.
 * An offer with a {@code stock} (a gift with limited stock) gives at most that many coupons
 * across the whole chain, whichever stores and engine nodes the exchanges come from; without
 * one the offer is unlimited.
 */
public record CouponExchangeOffer(String offerId, long pointsCost, String couponTemplateId,
        OptionalLong stock) {

    /** Largest stock an offer may have: a limited gift, not a currency. */
    public static final long STOCK_MAX = 10_000_000;

    /** What an offer id may be: it names the offer's quota keys and rows. */
    public static final String ID_PATTERN = "[A-Za-z0-9_.:-]{1,64}";

    public CouponExchangeOffer {
        Objects.requireNonNull(offerId, "offerId");
        Objects.requireNonNull(couponTemplateId, "couponTemplateId");
        Objects.requireNonNull(stock, "stock");
    }

    /** An unlimited offer. */
    public CouponExchangeOffer(String offerId, long pointsCost, String couponTemplateId) {
        this(offerId, pointsCost, couponTemplateId, OptionalLong.empty());
    }

    /** An offer of at most {@code stock} coupons chain-wide. */
    public static CouponExchangeOffer limited(String offerId, long pointsCost,
            String couponTemplateId, long stock) {
        return new CouponExchangeOffer(offerId, pointsCost, couponTemplateId,
                OptionalLong.of(stock));
    }

    /** Whether a chain-wide quota bounds the offer. */
    public boolean limited() {
        return stock.isPresent();
    }
}
