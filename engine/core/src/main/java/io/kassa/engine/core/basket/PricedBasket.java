package io.kassa.engine.core.basket;

import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import java.util.List;

/** A priced basket: its lines and totals, where the totals are exactly the sums of the lines. */
public record PricedBasket(
        CurrencyCode currency, List<PricedLine> lines, Money subtotal, Money discount,
        Money payable) {

    public PricedBasket {
        lines = List.copyOf(lines);
        Money grossSum = Money.zero(currency);
        Money discountSum = Money.zero(currency);
        for (PricedLine line : lines) {
            grossSum = grossSum.plus(line.gross());
            discountSum = discountSum.plus(line.discount());
        }
        if (!grossSum.equals(subtotal) || !discountSum.equals(discount)
                || !subtotal.minus(discount).equals(payable)) {
            throw new IllegalArgumentException("basket totals must be the sums of its lines");
        }
    }
}
