package io.kassa.engine.core.rules;

import io.kassa.engine.core.money.Rational;
import java.util.Objects;

/**
 * A member tier: reached when lifetime earned points reach {@code lifetimePointsThreshold}; its
 * multiplier applies to every order placed while the member holds it.
 */
public record Tier(String name, long lifetimePointsThreshold, Rational multiplier) {

    public Tier {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(multiplier, "multiplier");
    }
}
