package io.kassa.engine.core.rules;

/**
 * Points earned outside checkout, through the API.
 *
 * @param checkInStreakDays every this many consecutive daily check-ins earn {@code
 *     checkInStreakBonus} on top of the day's {@code checkIn} points
 */
public record EngagementRewards(
        long registration, long referralReferrer, long referralNewMember, long checkIn,
        int checkInStreakDays, long checkInStreakBonus, long review, long share) {
}
