package io.kassa.engine.core.rules;

import io.kassa.engine.core.money.Rational;
import java.util.Objects;

/**
 * Points as a tender: {@code pointsPerYuan} points pay one yuan (100 by default, so a point is a
 * fen), and at most {@code capShareOfNet} of the order's net amount after coupons (1/5) may be
 * paid with points.
 */
public record RedemptionRule(long pointsPerYuan, Rational capShareOfNet) {

    public RedemptionRule {
        Objects.requireNonNull(capShareOfNet, "capShareOfNet");
    }

    /** The most fen points may pay of an order: floor(net × cap share). */
    public long capFen(long orderNetFen) {
        return Rational.of(orderNetFen).times(capShareOfNet).floorExact();
    }

    /** The points worth exactly {@code fen}, or -1 when no whole number of points is. */
    public long pointsForFen(long fen) {
        Rational points = Rational.of(fen).times(Rational.of(pointsPerYuan, 100));
        return points.isInteger() ? points.floorExact() : -1;
    }

    /** The fen that {@code points} pay, rounded down (a fraction of a fen is not paid). */
    public long fenForPointsFloor(long points) {
        return Rational.of(points).times(Rational.of(100, pointsPerYuan)).floorExact();
    }

    /** The fen {@code points} are worth, rounded up (what a clawback shortfall costs). */
    public long fenForPointsCeiling(long points) {
        return Rational.of(points).times(Rational.of(100, pointsPerYuan)).ceiling()
                .longValueExact();
    }

    /** The largest whole number of points at most {@code maximumPoints} that pays whole fen. */
    public long roundDownToPayablePoints(long maximumPoints) {
        long step = pointsPerYuan / java.math.BigInteger.valueOf(pointsPerYuan)
                .gcd(java.math.BigInteger.valueOf(100)).longValueExact();
        return maximumPoints - Math.floorMod(maximumPoints, step);
    }
}
