package io.kassa.engine.core.points;

import io.kassa.engine.core.rules.EngagementRewards;
import java.util.List;

/**
 * Points earned outside checkout. They are not multiplied by tier or campaign; they count
 * toward lifetime points like any earning, and become lots with the chain's expiry.
 */
public final class EngagementPoints {

    private EngagementPoints() {
    }

    /** The awards for {@code event}, done by {@code memberId} (the new member for a referral). */
    public static List<EngagementAward> award(EngagementRewards rewards, String memberId,
            EngagementEvent event) {
        if (event instanceof EngagementEvent.Registration) {
            return List.of(new EngagementAward(memberId, rewards.registration(), "registration"));
        }
        if (event instanceof EngagementEvent.Referral referral) {
            return List.of(
                    new EngagementAward(referral.referrerMemberId(), rewards.referralReferrer(),
                            "referral of " + referral.newMemberId()),
                    new EngagementAward(referral.newMemberId(), rewards.referralNewMember(),
                            "referred by " + referral.referrerMemberId()));
        }
        if (event instanceof EngagementEvent.CheckIn checkIn) {
            if (checkIn.consecutiveDays() < 1) {
                throw new IllegalArgumentException("a check-in streak counts from 1");
            }
            boolean streak = checkIn.consecutiveDays() % rewards.checkInStreakDays() == 0;
            long points = rewards.checkIn() + (streak ? rewards.checkInStreakBonus() : 0);
            return List.of(new EngagementAward(memberId, points, streak
                    ? "check-in, " + checkIn.consecutiveDays() + "-day streak" : "check-in"));
        }
        if (event instanceof EngagementEvent.Review) {
            return List.of(new EngagementAward(memberId, rewards.review(), "review"));
        }
        return List.of(new EngagementAward(memberId, rewards.share(), "share"));
    }
}
