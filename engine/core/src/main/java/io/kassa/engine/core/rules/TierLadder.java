package io.kassa.engine.core.rules;

import java.util.List;
import java.util.Optional;

/**
 * The chain's tiers in ascending order of threshold; the first has threshold 0 (every member
 * holds at least it). The {@link RulesValidator} checks the order.
 */
public record TierLadder(List<Tier> tiers) {

    public TierLadder {
        tiers = List.copyOf(tiers);
    }

    public Optional<Tier> find(String name) {
        for (Tier tier : tiers) {
            if (tier.name().equals(name)) {
                return Optional.of(tier);
            }
        }
        return Optional.empty();
    }

    /** The highest tier whose threshold is at most {@code lifetimePoints}. */
    public Tier tierFor(long lifetimePoints) {
        Tier reached = tiers.get(0);
        for (Tier tier : tiers) {
            if (tier.lifetimePointsThreshold() <= lifetimePoints) {
                reached = tier;
            }
        }
        return reached;
    }

    /** The tier directly above {@code tier}, if any. */
    public Optional<Tier> above(Tier tier) {
        int index = tiers.indexOf(tier);
        if (index < 0 || index + 1 >= tiers.size()) {
            return Optional.empty();
        }
        return Optional.of(tiers.get(index + 1));
    }

    /** The higher of two tiers by position on the ladder. */
    public Tier higher(Tier first, Tier second) {
        return tiers.indexOf(second) > tiers.indexOf(first) ? second : first;
    }
}
