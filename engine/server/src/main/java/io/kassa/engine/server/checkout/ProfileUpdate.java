package io.kassa.engine.server.checkout;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * A member's profile as PostgreSQL committed it, for the hot copy: what a sale or a refund
 * moves (tier, lifetime points, orders, last order) and the version PostgreSQL gave that row.
 * The hot copy takes it only over an older version, so it can be applied late, twice or out
 * of order (ADR 0014).
 */
public record ProfileUpdate(
        String memberId, long version, String tierName, int tierRank, long lifetimeEarnedPoints,
        int completedOrders, Optional<LocalDate> lastOrderOn) {

    public ProfileUpdate {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(tierName, "tierName");
        Objects.requireNonNull(lastOrderOn, "lastOrderOn");
        if (version < 0 || tierRank < 0 || lifetimeEarnedPoints < 0 || completedOrders < 0) {
            throw new IllegalArgumentException("a profile's counts are never negative: " + this);
        }
    }
}
