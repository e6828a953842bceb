package io.kassa.engine.core.points;

/** Things a member does outside checkout that earn points (through the API). */
public sealed interface EngagementEvent {

    record Registration() implements EngagementEvent {
    }

    /** A member brought in a new one: both earn. */
    record Referral(String referrerMemberId, String newMemberId) implements EngagementEvent {
    }

    /** A daily check-in; {@code consecutiveDays} counts today (1 for a first day). */
    record CheckIn(int consecutiveDays) implements EngagementEvent {
    }

    record Review() implements EngagementEvent {
    }

    record Share() implements EngagementEvent {
    }
}
