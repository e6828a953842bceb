package io.kassa.engine.core.coupon;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One issued coupon as the engine sees it at a checkout: its code, terms, owner (empty for a
 * bearer code), validity window {@code [validFrom, validUntil)} and whether it was already used
 * (a coupon is used once, chain-wide).
 */
public record Coupon(
        String code, CouponTemplate template, Optional<String> ownerMemberId, Instant validFrom,
        Instant validUntil, boolean used) {

    public Coupon {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(ownerMemberId, "ownerMemberId");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
    }

    public boolean isValidAt(Instant at) {
        return !at.isBefore(validFrom) && at.isBefore(validUntil);
    }

    public Coupon markedUsed() {
        return new Coupon(code, template, ownerMemberId, validFrom, validUntil, true);
    }

    public Coupon restored() {
        return new Coupon(code, template, ownerMemberId, validFrom, validUntil, false);
    }
}
