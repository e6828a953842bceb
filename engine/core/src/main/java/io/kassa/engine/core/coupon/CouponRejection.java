package io.kassa.engine.core.coupon;

import io.kassa.engine.core.decision.RejectionCode;
import java.util.Objects;

/** Why a presented coupon was not applied to the order. */
public record CouponRejection(String couponCode, RejectionCode reason, String explanation) {

    public CouponRejection {
        Objects.requireNonNull(couponCode, "couponCode");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(explanation, "explanation");
    }
}
