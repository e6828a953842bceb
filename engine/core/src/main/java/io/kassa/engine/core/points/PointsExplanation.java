package io.kassa.engine.core.points;

import io.kassa.engine.core.rules.EarningRate;

/** Writes "how were 513 points computed" for a cashier, a member or an auditor. */
final class PointsExplanation {

    private static final int DECIMALS_SHOWN = 4;

    private PointsExplanation() {
    }

    static String explain(PointsEarning earning) {
        StringBuilder text = new StringBuilder(512);
        long total = earning.totalPoints();
        long floored = earning.flooredPoints();
        // Written once for every line that repeats them.
        String share = earning.earningShare().toString();
        String multiplied = earning.combinedMultiplier().toString();
        text.append("Points earned: ").append(total).append(".\n");
        text.append("Earning share: (order net ").append(yuan(earning.orderNetFen()))
                .append(" - points tender ").append(yuan(earning.pointsTenderFen()))
                .append(") / ").append(yuan(earning.orderNetFen())).append(" = ")
                .append(share).append(".\n");
        text.append("Multiplier: ");
        for (int index = 0; index < earning.multipliers().size(); index++) {
            Multiplier multiplier = earning.multipliers().get(index);
            text.append(index == 0 ? "" : " x ").append(multiplier.source()).append(" x")
                    .append(multiplier.factor());
        }
        text.append(" = x").append(multiplied).append(".\n");
        for (LineEarning line : earning.lines()) {
            text.append("Line ").append(line.lineNumber()).append(' ').append(line.sku())
                    .append(" (").append(line.category()).append(", ")
                    .append(line.rate().describe()).append("): ");
            if (line.rate() instanceof EarningRate.PerYuan perYuan) {
                text.append(yuan(line.netFen())).append(" x ").append(share)
                        .append(" x ").append(perYuan.pointsPerYuan()).append(" x ")
                        .append(multiplied).append(" = ");
            } else if (line.rate() instanceof EarningRate.PerItem perItem) {
                text.append(line.quantity()).append(" item(s) x ").append(share)
                        .append(" x ").append(perItem.pointsPerItem()).append(" x ")
                        .append(multiplied).append(" = ");
            }
            text.append(line.exactPoints().toDecimalString(DECIMALS_SHOWN))
                    .append(" -> ").append(line.points()).append(" attributed.\n");
        }
        text.append("Sum ").append(earning.exactSum().toDecimalString(DECIMALS_SHOWN))
                .append(", floored once: ").append(floored).append(".\n");
        if (earning.spendBonus().isPresent()) {
            text.append("Spend bonus: net ").append(yuan(earning.orderNetFen()))
                    .append(" reaches ").append(yuan(earning.spendBonus().get().thresholdFen()))
                    .append(": +").append(earning.spendBonus().get().points())
                    .append(" (only the highest reached).\n");
        } else {
            text.append("Spend bonus: none (net ").append(yuan(earning.orderNetFen()))
                    .append(" reaches no threshold).\n");
        }
        if (earning.firstOrderBonusPoints() > 0) {
            text.append("First-order bonus: +").append(earning.firstOrderBonusPoints())
                    .append(".\n");
        } else if (earning.firstOrder()) {
            text.append("First-order bonus: none (net below ")
                    .append(yuan(earning.firstOrderMinimumNetFen())).append(").\n");
        }
        text.append("Total: ").append(floored).append(" + bonuses ")
                .append(total - floored).append(" = ").append(total).append('.');
        return text.toString();
    }

    static String yuan(long fen) {
        long whole = Math.abs(fen) / 100;
        long cents = Math.abs(fen) % 100;
        return (fen < 0 ? "-" : "") + whole + "." + (cents < 10 ? "0" : "") + cents;
    }
}
