package io.kassa.engine.core.points;

import io.kassa.engine.core.money.Rational;
import java.util.Objects;

/** One factor of an order's points multiplier and where it comes from ("tier GOLD"). */
public record Multiplier(String source, Rational factor) {

    public Multiplier {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(factor, "factor");
    }
}
