package io.kassa.engine.core.money;

import java.util.Optional;

/** Currencies Kassa settles in. A chain operates in one; CNY has 100 fen to the yuan. */
public enum CurrencyCode {
    CNY(100);

    private final int minorPerUnit;

    CurrencyCode(int minorPerUnit) {
        this.minorPerUnit = minorPerUnit;
    }

    public int minorPerUnit() {
        return minorPerUnit;
    }

    /** The currency with this ISO 4217 code, if Kassa settles in it. */
    public static Optional<CurrencyCode> parse(String isoCode) {
        for (CurrencyCode code : values()) {
            if (code.name().equals(isoCode)) {
                return Optional.of(code);
            }
        }
        return Optional.empty();
    }
}
