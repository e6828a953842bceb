package io.kassa.engine.core.points;

import io.kassa.engine.core.money.Rational;
import io.kassa.engine.core.rules.SpendBonus;
import java.util.List;
import java.util.Optional;

/**
 * The points an order earns and how: the earning share (the part of the order not paid with
 * points), the multipliers, each line's exact points, the one floor, the bonuses added after
 * it. {@link #explanation()} writes it out for people, on demand (it is the slow part).
 *
 * @param flooredPoints floor of the exact sum over lines; equals the sum of the lines' points
 * @param totalPoints flooredPoints plus both bonuses
 */
public record PointsEarning(
        long orderNetFen, long pointsTenderFen, Rational earningShare,
        List<Multiplier> multipliers, Rational combinedMultiplier, List<LineEarning> lines,
        Rational exactSum, long flooredPoints, Optional<SpendBonus> spendBonus,
        long spendBonusPoints, boolean firstOrder, long firstOrderMinimumNetFen,
        long firstOrderBonusPoints, long totalPoints) {

    public PointsEarning {
        multipliers = List.copyOf(multipliers);
        lines = List.copyOf(lines);
        long attributed = 0;
        for (LineEarning line : lines) {
            attributed = Math.addExact(attributed, line.points());
        }
        if (attributed != flooredPoints
                || totalPoints != flooredPoints + spendBonusPoints + firstOrderBonusPoints
                || flooredPoints < 0) {
            throw new IllegalArgumentException("points must be the sum of their parts");
        }
    }

    /** The bonus points, which are not attributed to any line. */
    public long bonusPoints() {
        return spendBonusPoints + firstOrderBonusPoints;
    }

    /** Nothing earned: no member was identified. */
    public static PointsEarning none() {
        return new PointsEarning(0, 0, Rational.ZERO, List.of(), Rational.ONE, List.of(),
                Rational.ZERO, 0, Optional.empty(), 0, false, 0, 0, 0);
    }

    /** "How were 513 points computed", line by line, for a cashier, member or auditor. */
    public String explanation() {
        if (lines.isEmpty() && multipliers.isEmpty()) {
            return "No member identified: the order earns no points.";
        }
        return PointsExplanation.explain(this);
    }
}
