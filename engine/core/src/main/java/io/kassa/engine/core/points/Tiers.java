package io.kassa.engine.core.points;

import io.kassa.engine.core.rules.Tier;
import io.kassa.engine.core.rules.TierLadder;
import java.util.Optional;

/**
 * Tier moves. A member is upgraded the moment a checkout's points take lifetime earned points
 * over a threshold; the new multiplier applies from the next order. Tiers never move down here:
 * a refund lowers lifetime points but a downgrade is a periodic review, not a checkout rule.
 */
public final class Tiers {

    private Tiers() {
    }

    /** The member's tier after lifetime points reach {@code lifetimeAfter}. */
    public static Tier afterEarning(TierLadder ladder, Tier current, long lifetimeAfter) {
        return ladder.higher(current, ladder.tierFor(lifetimeAfter));
    }

    /** How far this order takes the member toward the next tier. */
    public static TierProgress progress(TierLadder ladder, Tier current, long lifetimeBefore,
            long pointsEarned) {
        long lifetimeAfter = Math.addExact(lifetimeBefore, pointsEarned);
        Tier after = afterEarning(ladder, current, lifetimeAfter);
        Optional<Tier> next = ladder.above(after);
        long toNext = next.map(tier -> Math.max(0, tier.lifetimePointsThreshold() - lifetimeAfter))
                .orElse(0L);
        return new TierProgress(current.name(), lifetimeBefore, lifetimeAfter, after.name(),
                !after.equals(current), next.map(Tier::name), toNext);
    }
}
