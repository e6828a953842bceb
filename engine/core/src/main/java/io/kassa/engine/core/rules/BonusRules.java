package io.kassa.engine.core.rules;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Points added after the floor and never multiplied: the highest spend threshold reached (only
 * one), and the first-order bonus.
 */
public record BonusRules(List<SpendBonus> spendThresholds, FirstOrderBonus firstOrder) {

    public BonusRules {
        spendThresholds = List.copyOf(spendThresholds);
        Objects.requireNonNull(firstOrder, "firstOrder");
    }

    /** The highest spend bonus whose threshold {@code orderNetFen} reaches. */
    public Optional<SpendBonus> highestReached(long orderNetFen) {
        SpendBonus best = null;
        for (SpendBonus bonus : spendThresholds) {
            if (orderNetFen >= bonus.thresholdFen()
                    && (best == null || bonus.thresholdFen() > best.thresholdFen())) {
                best = bonus;
            }
        }
        return Optional.ofNullable(best);
    }
}
