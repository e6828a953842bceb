package io.kassa.engine.core.rules;

/** Bonus points for an order whose net amount reaches {@code thresholdFen}. */
public record SpendBonus(long thresholdFen, long points) {
}
