package io.kassa.engine.server.checkout;

import io.kassa.engine.core.coupon.Coupon;
import io.kassa.engine.core.points.ExpiringPoints;
import java.util.List;
import java.util.Optional;

/**
 * A member as a terminal looks them up: identity, tier and how far the next one is, what they
 * can spend now (points and stored value, less what sales in flight hold), the points about to
 * expire and the coupons they can use now.
 *
 * @param phone the whole number: whoever shows it masks it
 */
public record MemberAccount(String memberId, String memberCode, Optional<String> phone,
        String tier, long lifetimePoints, Optional<String> nextTier, long pointsToNextTier,
        long pointsBalance, long storedValueFen, List<ExpiringPoints> expiringPoints,
        List<Coupon> coupons) {

    public MemberAccount {
        expiringPoints = List.copyOf(expiringPoints);
        coupons = List.copyOf(coupons);
    }
}
