package io.kassa.engine.core.member;

import io.kassa.engine.core.points.PointsWallet;
import java.time.LocalDate;
import java.time.Month;
import java.util.Objects;
import java.util.Optional;

/**
 * What the rules need to know of a member at one moment: tier, lifetime earned points, points
 * lots, stored value, birth month, and order history. Immutable; operations return a new one.
 *
 * @param lifetimeEarnedPoints every point ever earned (checkout and engagement), never reduced
 *     by spending; tiers are judged on it
 * @param completedOrders orders completed before now (0: the next order is the first)
 */
public record MemberSnapshot(
        String memberId, String tierName, long lifetimeEarnedPoints, PointsWallet points,
        long storedValueFen, Optional<Month> birthMonth, int completedOrders,
        Optional<LocalDate> lastOrderOn) {

    public MemberSnapshot {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(tierName, "tierName");
        Objects.requireNonNull(points, "points");
        Objects.requireNonNull(birthMonth, "birthMonth");
        Objects.requireNonNull(lastOrderOn, "lastOrderOn");
        if (lifetimeEarnedPoints < 0 || storedValueFen < 0 || completedOrders < 0) {
            throw new IllegalArgumentException("member balances must not be negative");
        }
    }

    public MemberSnapshot withPoints(PointsWallet newPoints) {
        return new MemberSnapshot(memberId, tierName, lifetimeEarnedPoints, newPoints,
                storedValueFen, birthMonth, completedOrders, lastOrderOn);
    }

    public MemberSnapshot withStoredValueFen(long newStoredValueFen) {
        return new MemberSnapshot(memberId, tierName, lifetimeEarnedPoints, points,
                newStoredValueFen, birthMonth, completedOrders, lastOrderOn);
    }

    public MemberSnapshot withTier(String newTierName, long newLifetimeEarnedPoints) {
        return new MemberSnapshot(memberId, newTierName, newLifetimeEarnedPoints, points,
                storedValueFen, birthMonth, completedOrders, lastOrderOn);
    }

    public MemberSnapshot withOrderCompleted(LocalDate on) {
        return new MemberSnapshot(memberId, tierName, lifetimeEarnedPoints, points,
                storedValueFen, birthMonth, completedOrders + 1, Optional.of(on));
    }

    /**
     * Dormant: a member who has ordered, but not in the last {@code dormancyDays} days as of
     * {@code on}. A member who never ordered is a new customer, not a dormant one.
     */
    public boolean isDormantOn(LocalDate on, int dormancyDays) {
        return lastOrderOn.isPresent() && !lastOrderOn.get().plusDays(dormancyDays).isAfter(on);
    }
}
