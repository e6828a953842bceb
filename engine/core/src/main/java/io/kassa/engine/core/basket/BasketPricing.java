package io.kassa.engine.core.basket;

import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import java.util.ArrayList;
import java.util.List;

/** Prices a basket from the shelf prices the terminal sent. Pure: same input, same output. */
public final class BasketPricing {

    private BasketPricing() {
    }

    /**
     * Prices every line at unit price times quantity, without discounts.
     *
     * @return the priced basket, or a rejection naming the first bad line
     */
    public static Decision<PricedBasket> price(List<BasketLine> lines, CurrencyCode currency) {
        if (lines.isEmpty()) {
            return Decision.reject(RejectionCode.EMPTY_BASKET, "the basket has no lines");
        }
        List<PricedLine> priced = new ArrayList<>(lines.size());
        Money subtotal = Money.zero(currency);
        for (int index = 0; index < lines.size(); index++) {
            BasketLine line = lines.get(index);
            int lineNumber = index + 1;
            if (line.unitPrice().currency() != currency) {
                return Decision.reject(RejectionCode.CURRENCY_MISMATCH, "line " + lineNumber
                        + " is priced in " + line.unitPrice().currency() + ", basket in "
                        + currency);
            }
            if (line.quantity() <= 0) {
                return Decision.reject(RejectionCode.INVALID_QUANTITY,
                        "line " + lineNumber + " has quantity " + line.quantity());
            }
            if (line.unitPrice().isNegative()) {
                return Decision.reject(RejectionCode.NEGATIVE_PRICE,
                        "line " + lineNumber + " has unit price " + line.unitPrice());
            }
            Money gross;
            try {
                gross = line.unitPrice().times(line.quantity());
                subtotal = subtotal.plus(gross);
            } catch (ArithmeticException overflow) {
                return Decision.reject(RejectionCode.AMOUNT_OVERFLOW,
                        "line " + lineNumber + " overflows the basket total");
            }
            Money zero = Money.zero(currency);
            priced.add(new PricedLine(lineNumber, line, gross, zero, gross));
        }
        return Decision.accept(
                new PricedBasket(currency, priced, subtotal, Money.zero(currency), subtotal));
    }
}
