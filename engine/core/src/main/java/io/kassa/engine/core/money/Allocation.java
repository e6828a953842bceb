package io.kassa.engine.core.money;

import java.math.BigInteger;

/**
 * Spreads an amount over parts in proportion to their weights by the largest-remainder method:
 * each part gets the floor of its exact share, then the units left over go one each to the
 * parts with the largest fractional remainders, ties to the earlier part. The parts always sum
 * to the whole.
 */
public final class Allocation {

    private Allocation() {
    }

    /**
     * @param total the amount to spread, >= 0
     * @param weights non-negative weights whose sum is > 0 unless {@code total} is 0
     * @return one share per weight, summing exactly to {@code total}
     */
    public static long[] largestRemainder(long total, long[] weights) {
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0: " + total);
        }
        long weightSum = 0;
        boolean fitsInLong = true;
        for (long weight : weights) {
            if (weight < 0) {
                throw new IllegalArgumentException("weights must be >= 0: " + weight);
            }
            long next = weightSum + weight;
            if (next < 0) {
                fitsInLong = false;
                break;
            }
            weightSum = next;
        }
        if (fitsInLong && total < (1L << 31) && weightSum < (1L << 31)) {
            return largestRemainderSmall(total, weights, weightSum);
        }
        BigInteger[] bigWeights = new BigInteger[weights.length];
        for (int i = 0; i < weights.length; i++) {
            bigWeights[i] = BigInteger.valueOf(weights[i]);
        }
        return largestRemainder(total, bigWeights);
    }

    /** The same method for weights that need not fit a long (exact rational points). */
    public static long[] largestRemainder(long total, BigInteger[] weights) {
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0: " + total);
        }
        BigInteger weightSum = BigInteger.ZERO;
        for (BigInteger weight : weights) {
            if (weight.signum() < 0) {
                throw new IllegalArgumentException("weights must be >= 0: " + weight);
            }
            weightSum = weightSum.add(weight);
        }
        long[] shares = new long[weights.length];
        if (total == 0) {
            return shares;
        }
        if (weightSum.signum() == 0) {
            throw new IllegalArgumentException("cannot spread " + total + " over zero weights");
        }
        BigInteger totalBig = BigInteger.valueOf(total);
        BigInteger[] remainders = new BigInteger[weights.length];
        long assigned = 0;
        for (int i = 0; i < weights.length; i++) {
            BigInteger[] quotientAndRemainder =
                    totalBig.multiply(weights[i]).divideAndRemainder(weightSum);
            shares[i] = quotientAndRemainder[0].longValueExact();
            remainders[i] = quotientAndRemainder[1];
            assigned += shares[i];
        }
        long leftOver = total - assigned;
        // leftOver < weights.length, so a selection pass per unit stays cheap for real baskets.
        boolean[] bumped = new boolean[weights.length];
        for (long unit = 0; unit < leftOver; unit++) {
            int best = -1;
            for (int i = 0; i < weights.length; i++) {
                if (!bumped[i] && (best < 0 || remainders[i].compareTo(remainders[best]) > 0)) {
                    best = i;
                }
            }
            bumped[best] = true;
            shares[best]++;
        }
        assert sum(shares) == total : "allocation must sum to the whole";
        return shares;
    }

    /** Long arithmetic when total × weight cannot overflow: both below 2^31. */
    private static long[] largestRemainderSmall(long total, long[] weights, long weightSum) {
        long[] shares = new long[weights.length];
        if (total == 0) {
            return shares;
        }
        if (weightSum == 0) {
            throw new IllegalArgumentException("cannot spread " + total + " over zero weights");
        }
        long[] remainders = new long[weights.length];
        long assigned = 0;
        for (int i = 0; i < weights.length; i++) {
            long product = total * weights[i];
            shares[i] = product / weightSum;
            remainders[i] = product % weightSum;
            assigned += shares[i];
        }
        long leftOver = total - assigned;
        boolean[] bumped = new boolean[weights.length];
        for (long unit = 0; unit < leftOver; unit++) {
            int best = -1;
            for (int i = 0; i < weights.length; i++) {
                if (!bumped[i] && (best < 0 || remainders[i] > remainders[best])) {
                    best = i;
                }
            }
            bumped[best] = true;
            shares[best]++;
        }
        assert sum(shares) == total : "allocation must sum to the whole";
        return shares;
    }

    private static long sum(long[] values) {
        long sum = 0;
        for (long value : values) {
            sum = Math.addExact(sum, value);
        }
        return sum;
    }
}
