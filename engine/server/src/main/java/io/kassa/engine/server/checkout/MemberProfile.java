package io.kassa.engine.server.checkout;

import java.time.LocalDate;
import java.time.Month;
import java.util.Objects;
import java.util.Optional;

/**
 * What PostgreSQL knows of a member beyond the hot balances: identity, tier, lifetime points
 * and order history. Balances (lots, stored value, coupon states) come from the hot copy.
 */
public record MemberProfile(
        String memberId, String memberCode, String tierName, long lifetimeEarnedPoints,
        Optional<Month> birthMonth, int completedOrders, Optional<LocalDate> lastOrderOn,
        Optional<String> phone) {

    public MemberProfile {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(tierName, "tierName");
        Objects.requireNonNull(birthMonth, "birthMonth");
        Objects.requireNonNull(lastOrderOn, "lastOrderOn");
        Objects.requireNonNull(phone, "phone");
    }

    /** A member without a phone number on file. */
    public MemberProfile(String memberId, String memberCode, String tierName,
            long lifetimeEarnedPoints, Optional<Month> birthMonth, int completedOrders,
            Optional<LocalDate> lastOrderOn) {
        this(memberId, memberCode, tierName, lifetimeEarnedPoints, birthMonth, completedOrders,
                lastOrderOn, Optional.empty());
    }
}
