package io.kassa.engine.core.money;

import java.util.Objects;

/**
 * An amount of money in minor units (fen for CNY) of one currency. Immutable; never a double.
 * Arithmetic is exact and fails loudly on overflow: a checkout that cannot be represented is
 * rejected, not wrapped around.
 */
public record Money(long amountMinor, CurrencyCode currency) implements Comparable<Money> {

    public Money {
        Objects.requireNonNull(currency, "currency");
    }

    public static Money ofMinor(long amountMinor, CurrencyCode currency) {
        return new Money(amountMinor, currency);
    }

    public static Money fen(long amountFen) {
        return new Money(amountFen, CurrencyCode.CNY);
    }

    public static Money zero(CurrencyCode currency) {
        return new Money(0, currency);
    }

    /** @throws ArithmeticException on overflow */
    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(amountMinor, other.amountMinor), currency);
    }

    /** @throws ArithmeticException on overflow */
    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.subtractExact(amountMinor, other.amountMinor), currency);
    }

    /** @throws ArithmeticException on overflow */
    public Money times(long factor) {
        return new Money(Math.multiplyExact(amountMinor, factor), currency);
    }

    public boolean isNegative() {
        return amountMinor < 0;
    }

    public boolean isZero() {
        return amountMinor == 0;
    }

    public boolean isPositive() {
        return amountMinor > 0;
    }

    public boolean isGreaterThan(Money other) {
        return compareTo(other) > 0;
    }

    public boolean isLessThan(Money other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return Long.compare(amountMinor, other.amountMinor);
    }

    private void requireSameCurrency(Money other) {
        if (currency != other.currency) {
            throw new IllegalArgumentException(
                    "currency mismatch: " + currency + " vs " + other.currency);
        }
    }

    @Override
    public String toString() {
        long units = Math.abs(amountMinor) / currency.minorPerUnit();
        long minor = Math.abs(amountMinor) % currency.minorPerUnit();
        return (amountMinor < 0 ? "-" : "") + units + "." + (minor < 10 ? "0" : "") + minor
                + " " + currency;
    }
}
