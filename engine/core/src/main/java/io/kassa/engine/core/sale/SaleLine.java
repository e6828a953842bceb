package io.kassa.engine.core.sale;

import io.kassa.engine.core.money.Money;

/** One line of a completed sale, as a refund needs it: what it cost and what it earned. */
public record SaleLine(
        int lineNumber, String sku, String category, int quantity, Money net,
        long earnedPoints) {
}
