package io.kassa.engine.core.basket;

import io.kassa.engine.core.money.Money;
import java.util.Objects;

/** One scanned line: an item at the shelf price the terminal sent, times a quantity. */
public record BasketLine(String sku, String category, Money unitPrice, int quantity) {

    public BasketLine {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(unitPrice, "unitPrice");
    }
}
