package io.kassa.engine.core.points;

import io.kassa.engine.core.money.Rational;
import io.kassa.engine.core.rules.EarningRate;

/**
 * What one line earned: its exact share of the order's points before the floor, and the whole
 * points attributed to it after the floor (by largest remainder), which a refund claws back.
 */
public record LineEarning(
        int lineNumber, String sku, String category, long netFen, int quantity, EarningRate rate,
        Rational exactPoints, long points) {
}
