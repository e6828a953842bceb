package io.kassa.engine.core.basket;

import io.kassa.engine.core.money.Money;

/**
 * A basket line after pricing. {@code net = gross - discount} always holds.
 *
 * @param lineNumber 1-based position in the basket as sent
 */
public record PricedLine(
        int lineNumber, BasketLine line, Money gross, Money discount, Money net) {

    public PricedLine {
        if (!gross.minus(discount).equals(net)) {
            throw new IllegalArgumentException("net must equal gross - discount: " + gross
                    + " - " + discount + " != " + net);
        }
        if (net.isNegative()) {
            throw new IllegalArgumentException("net must not be negative: " + net);
        }
    }
}
