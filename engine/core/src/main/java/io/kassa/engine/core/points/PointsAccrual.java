package io.kassa.engine.core.points;

import io.kassa.engine.core.basket.PricedLine;
import io.kassa.engine.core.money.Allocation;
import io.kassa.engine.core.money.Rational;
import io.kassa.engine.core.rules.BonusRules;
import io.kassa.engine.core.rules.EarningRate;
import io.kassa.engine.core.rules.SpendBonus;
import io.kassa.engine.core.rules.StoreRules;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Points earned at checkout, exactly as the chain's rules say:
 *
 * <pre>
 * share          = (order_net − points_tender) / order_net
 * line exact     = line_net/100 × share × points_per_yuan × Π multipliers   (per-yuan category)
 *                = quantity × share × points_per_item × Π multipliers        (per-item category)
 * order points   = floor(Σ line exact)                      — the one and only rounding
 * line points    = order points spread by largest remainder, weights = line exact
 * total          = order points + highest spend bonus reached + first-order bonus
 * </pre>
 *
 * Everything before the floor is an exact {@link Rational}.
 */
public final class PointsAccrual {

    private static final BigInteger FEN_PER_YUAN = BigInteger.valueOf(100);

    private PointsAccrual() {
    }

    /**
     * @param lines the order's lines after coupons
     * @param pointsTenderFen the part of the order's net paid with points
     * @param multipliers tier and campaign factors, multiplied together
     * @param firstOrder whether this is the member's first order
     */
    public static PointsEarning accrue(List<PricedLine> lines, StoreRules rules,
            List<Multiplier> multipliers, long pointsTenderFen, boolean firstOrder) {
        long orderNetFen = 0;
        for (PricedLine line : lines) {
            orderNetFen = Math.addExact(orderNetFen, line.net().amountMinor());
        }
        if (pointsTenderFen < 0 || pointsTenderFen > orderNetFen) {
            throw new IllegalArgumentException("points tender " + pointsTenderFen
                    + " outside 0.." + orderNetFen);
        }
        Rational share = orderNetFen == 0 ? Rational.ZERO
                : Rational.of(orderNetFen - pointsTenderFen, orderNetFen);
        Rational combined = Rational.ONE;
        for (Multiplier multiplier : multipliers) {
            combined = combined.times(multiplier.factor());
        }
        Rational shareTimesMultiplier = share.times(combined);
        EarningRate[] rates = new EarningRate[lines.size()];
        for (int index = 0; index < lines.size(); index++) {
            String category = lines.get(index).line().category();
            rates[index] = rules.rateOf(category).orElseThrow(
                    () -> new IllegalArgumentException("unknown category " + category));
        }
        Rational[] exact = new Rational[lines.size()];
        long[] attributed;
        Rational exactSum;
        long floored;
        try {
            long[] weights = new long[lines.size()];
            long commonDenominator = commonWeights(lines, rates, shareTimesMultiplier, weights);
            long weightSum = 0;
            for (int index = 0; index < weights.length; index++) {
                weightSum = Math.addExact(weightSum, weights[index]);
                exact[index] = Rational.of(weights[index], commonDenominator);
            }
            exactSum = Rational.of(weightSum, commonDenominator);
            floored = weightSum / commonDenominator;
            attributed = floored == 0 ? new long[weights.length]
                    : Allocation.largestRemainder(floored, weights);
        } catch (ArithmeticException tooLargeForLong) {
            exactSum = Rational.ZERO;
            for (int index = 0; index < lines.size(); index++) {
                exact[index] = exactPoints(lines.get(index), rates[index], shareTimesMultiplier);
                exactSum = exactSum.plus(exact[index]);
            }
            floored = exactSum.floorExact();
            attributed = attribute(floored, exact);
        }
        List<LineEarning> lineEarnings = new ArrayList<>(lines.size());
        for (int index = 0; index < lines.size(); index++) {
            PricedLine line = lines.get(index);
            lineEarnings.add(new LineEarning(line.lineNumber(), line.line().sku(),
                    line.line().category(), line.net().amountMinor(), line.line().quantity(),
                    rates[index], exact[index], attributed[index]));
        }
        BonusRules bonuses = rules.bonuses();
        Optional<SpendBonus> spendBonus = bonuses.highestReached(orderNetFen);
        long spendBonusPoints = spendBonus.map(SpendBonus::points).orElse(0L);
        long firstOrderBonusPoints = firstOrder
                && orderNetFen >= bonuses.firstOrder().minimumNetFen()
                ? bonuses.firstOrder().points() : 0;
        long total = Math.addExact(Math.addExact(floored, spendBonusPoints),
                firstOrderBonusPoints);
        return new PointsEarning(orderNetFen, pointsTenderFen, share, multipliers, combined,
                lineEarnings, exactSum, floored, spendBonus, spendBonusPoints, firstOrder,
                bonuses.firstOrder().minimumNetFen(), firstOrderBonusPoints, total);
    }

    /**
     * The lines' exact points as numerators over one common denominator, in long arithmetic
     * (the common case, and fast); throws ArithmeticException when a value does not fit, and
     * the caller falls back to {@link Rational}.
     *
     * @return the common denominator
     */
    private static long commonWeights(List<PricedLine> lines, EarningRate[] rates,
            Rational factor, long[] weights) {
        long factorNumerator = factor.numerator().longValueExact();
        long factorDenominator = factor.denominator().longValueExact();
        long rateLcm = 1;
        for (EarningRate rate : rates) {
            if (rate instanceof EarningRate.PerYuan perYuan) {
                long denominator = perYuan.pointsPerYuan().denominator().longValueExact();
                rateLcm = Math.multiplyExact(rateLcm / gcd(rateLcm, denominator), denominator);
            }
        }
        long fenScale = Math.multiplyExact(100, rateLcm);
        for (int index = 0; index < weights.length; index++) {
            PricedLine line = lines.get(index);
            if (rates[index] instanceof EarningRate.PerYuan perYuan) {
                Rational rate = perYuan.pointsPerYuan();
                weights[index] = Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(
                        line.net().amountMinor(), factorNumerator),
                        rate.numerator().longValueExact()),
                        rateLcm / rate.denominator().longValueExact());
            } else if (rates[index] instanceof EarningRate.PerItem perItem) {
                weights[index] = Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(
                        (long) line.line().quantity(), perItem.pointsPerItem()),
                        factorNumerator), fenScale);
            } else {
                weights[index] = 0;
            }
        }
        return Math.multiplyExact(factorDenominator, fenScale);
    }

    private static long gcd(long first, long second) {
        while (second != 0) {
            long rest = first % second;
            first = second;
            second = rest;
        }
        return first;
    }

    private static Rational exactPoints(PricedLine line, EarningRate rate,
            Rational shareTimesMultiplier) {
        if (rate instanceof EarningRate.PerYuan perYuan) {
            Rational factor = shareTimesMultiplier.times(perYuan.pointsPerYuan());
            return Rational.of(
                    BigInteger.valueOf(line.net().amountMinor()).multiply(factor.numerator()),
                    factor.denominator().multiply(FEN_PER_YUAN));
        }
        if (rate instanceof EarningRate.PerItem perItem) {
            return shareTimesMultiplier.times(
                    Math.multiplyExact(perItem.pointsPerItem(), (long) line.line().quantity()));
        }
        return Rational.ZERO;
    }

    /** Spreads the floored points over lines by largest remainder, weighted by exact points. */
    static long[] attribute(long floored, Rational[] exact) {
        if (floored == 0) {
            return new long[exact.length];
        }
        BigInteger commonDenominator = BigInteger.ONE;
        for (Rational value : exact) {
            BigInteger denominator = value.denominator();
            commonDenominator = commonDenominator.divide(commonDenominator.gcd(denominator))
                    .multiply(denominator);
        }
        BigInteger[] weights = new BigInteger[exact.length];
        for (int index = 0; index < exact.length; index++) {
            weights[index] = exact[index].numerator()
                    .multiply(commonDenominator.divide(exact[index].denominator()));
        }
        return Allocation.largestRemainder(floored, weights);
    }
}
