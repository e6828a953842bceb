package io.kassa.engine.core.money;

import java.math.BigInteger;
import java.util.Objects;

/**
 * An exact fraction of two integers, always kept in lowest terms with a positive denominator.
 * Points are computed in rationals and floored once at the end, as the chain's rules demand;
 * there is no double anywhere in the domain.
 */
public final class Rational implements Comparable<Rational> {

    public static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
    public static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);

    private final BigInteger numerator;
    private final BigInteger denominator;

    private Rational(BigInteger numerator, BigInteger denominator) {
        this.numerator = numerator;
        this.denominator = denominator;
    }

    public static Rational of(BigInteger numerator, BigInteger denominator) {
        Objects.requireNonNull(numerator, "numerator");
        Objects.requireNonNull(denominator, "denominator");
        if (denominator.signum() == 0) {
            throw new ArithmeticException("denominator is zero");
        }
        if (numerator.bitLength() < 63 && denominator.bitLength() < 63) {
            return of(numerator.longValue(), denominator.longValue());
        }
        if (denominator.signum() < 0) {
            numerator = numerator.negate();
            denominator = denominator.negate();
        }
        BigInteger divisor = numerator.gcd(denominator);
        if (!divisor.equals(BigInteger.ONE) && divisor.signum() != 0) {
            numerator = numerator.divide(divisor);
            denominator = denominator.divide(divisor);
        }
        return new Rational(numerator, denominator);
    }

    public static Rational of(long numerator, long denominator) {
        if (denominator == 0) {
            throw new ArithmeticException("denominator is zero");
        }
        if (numerator == Long.MIN_VALUE || denominator == Long.MIN_VALUE) {
            return of(BigInteger.valueOf(numerator).add(BigInteger.ZERO).shiftLeft(1),
                    BigInteger.valueOf(denominator).shiftLeft(1));
        }
        if (denominator < 0) {
            numerator = -numerator;
            denominator = -denominator;
        }
        long divisor = gcd(Math.abs(numerator), denominator);
        if (divisor > 1) {
            numerator /= divisor;
            denominator /= divisor;
        }
        return new Rational(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
    }

    private static long gcd(long first, long second) {
        while (second != 0) {
            long rest = first % second;
            first = second;
            second = rest;
        }
        return first;
    }

    public static Rational of(long whole) {
        return new Rational(BigInteger.valueOf(whole), BigInteger.ONE);
    }

    /**
     * Parses {@code "3"}, {@code "1/2"} or {@code "1.5"} exactly.
     *
     * @throws NumberFormatException when the text is none of these
     */
    public static Rational parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        if (slash >= 0) {
            return of(new BigInteger(trimmed.substring(0, slash).strip()),
                    new BigInteger(trimmed.substring(slash + 1).strip()));
        }
        java.math.BigDecimal decimal = new java.math.BigDecimal(trimmed);
        if (decimal.scale() <= 0) {
            return of(decimal.toBigIntegerExact(), BigInteger.ONE);
        }
        return of(decimal.unscaledValue(), BigInteger.TEN.pow(decimal.scale()));
    }

    public BigInteger numerator() {
        return numerator;
    }

    public BigInteger denominator() {
        return denominator;
    }

    public Rational plus(Rational other) {
        if (denominator.equals(other.denominator)) {
            return of(numerator.add(other.numerator), denominator);
        }
        return of(numerator.multiply(other.denominator).add(other.numerator.multiply(denominator)),
                denominator.multiply(other.denominator));
    }

    public Rational minus(Rational other) {
        return plus(other.negate());
    }

    public Rational negate() {
        return new Rational(numerator.negate(), denominator);
    }

    public Rational times(Rational other) {
        return of(numerator.multiply(other.numerator), denominator.multiply(other.denominator));
    }

    public Rational times(long factor) {
        return of(numerator.multiply(BigInteger.valueOf(factor)), denominator);
    }

    public Rational dividedBy(Rational other) {
        if (other.numerator.signum() == 0) {
            throw new ArithmeticException("division by zero");
        }
        return of(numerator.multiply(other.denominator), denominator.multiply(other.numerator));
    }

    /** The largest integer not above this value (rounding toward negative infinity). */
    public BigInteger floor() {
        BigInteger[] quotientAndRemainder = numerator.divideAndRemainder(denominator);
        if (quotientAndRemainder[1].signum() < 0) {
            return quotientAndRemainder[0].subtract(BigInteger.ONE);
        }
        return quotientAndRemainder[0];
    }

    /** The smallest integer not below this value. */
    public BigInteger ceiling() {
        return negate().floor().negate();
    }

    /** {@link #floor()} as a long. @throws ArithmeticException when it does not fit */
    public long floorExact() {
        return floor().longValueExact();
    }

    public int signum() {
        return numerator.signum();
    }

    public boolean isInteger() {
        return denominator.equals(BigInteger.ONE);
    }

    @Override
    public int compareTo(Rational other) {
        return numerator.multiply(other.denominator)
                .compareTo(other.numerator.multiply(denominator));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Rational rational && numerator.equals(rational.numerator)
                && denominator.equals(rational.denominator);
    }

    @Override
    public int hashCode() {
        return 31 * numerator.hashCode() + denominator.hashCode();
    }

    /**
     * The value with {@code digits} decimals, rounded half up, followed by an ellipsis when it
     * is not exact: {@code 446.5548…}. For explanations to people, never for sums.
     */
    public String toDecimalString(int digits) {
        if (digits < 0) {
            throw new IllegalArgumentException("digits must be >= 0: " + digits);
        }
        // Explanations write several of these per quote line: in longs when they fit.
        if (digits < POWERS_OF_TEN.length && numerator.bitLength() < 63
                && denominator.bitLength() < 63
                && Math.abs(numerator.longValue()) <= Long.MAX_VALUE / POWERS_OF_TEN[digits]) {
            return decimalString(numerator.longValue(), denominator.longValue(), digits);
        }
        return bigDecimalString(digits);
    }

    /** 10^0 .. 10^18, the powers that fit in a long. */
    private static final long[] POWERS_OF_TEN = powersOfTen();

    private static long[] powersOfTen() {
        long[] powers = new long[19];
        powers[0] = 1;
        for (int index = 1; index < powers.length; index++) {
            powers[index] = powers[index - 1] * 10;
        }
        return powers;
    }

    /** {@link #toDecimalString} when |numerator| x 10^digits fits in a long. */
    static String decimalString(long numerator, long denominator, int digits) {
        long scale = POWERS_OF_TEN[digits];
        long scaled = Math.abs(numerator) * scale;
        long rounded = scaled / denominator;
        long remainder = scaled % denominator;
        // remainder * 2 >= denominator, without overflowing: remainder < denominator.
        if (remainder >= denominator - remainder) {
            rounded++;
        }
        StringBuilder text = new StringBuilder(24);
        if (numerator < 0) {
            text.append('-');
        }
        text.append(rounded / scale);
        if (digits > 0) {
            String fractionText = Long.toString(rounded % scale);
            text.append('.').append("0".repeat(digits - fractionText.length()))
                    .append(fractionText);
        }
        if (remainder != 0) {
            text.append('…');
        }
        return text.toString();
    }

    /** {@link #toDecimalString} for any size, in BigIntegers. */
    String bigDecimalString(int digits) {
        BigInteger scale = BigInteger.TEN.pow(digits);
        BigInteger scaled = numerator.abs().multiply(scale);
        BigInteger[] quotientAndRemainder = scaled.divideAndRemainder(denominator);
        BigInteger rounded = quotientAndRemainder[0];
        if (quotientAndRemainder[1].shiftLeft(1).compareTo(denominator) >= 0) {
            rounded = rounded.add(BigInteger.ONE);
        }
        BigInteger whole = rounded.divide(scale);
        BigInteger fraction = rounded.mod(scale);
        StringBuilder text = new StringBuilder();
        if (numerator.signum() < 0) {
            text.append('-');
        }
        text.append(whole);
        if (digits > 0) {
            String fractionText = fraction.toString();
            text.append('.').append("0".repeat(digits - fractionText.length()))
                    .append(fractionText);
        }
        if (quotientAndRemainder[1].signum() != 0) {
            text.append('…');
        }
        return text.toString();
    }

    @Override
    public String toString() {
        if (numerator.bitLength() < 63 && denominator.bitLength() < 63) {
            return isInteger() ? Long.toString(numerator.longValue())
                    : numerator.longValue() + "/" + denominator.longValue();
        }
        return isInteger() ? numerator.toString() : numerator + "/" + denominator;
    }
}
