package io.kassa.engine.server.checkout;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.money.CurrencyCode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A terminal's request for a quote, translated from the wire.
 *
 * @param memberCode the scanned member code or phone number, when the customer is a member
 * @param pointsWish points the member would like to pay with (0: none)
 */
public record QuoteCommand(
        String storeId, CurrencyCode currency, List<BasketLine> lines,
        Optional<String> memberCode, long pointsWish) {

    public QuoteCommand {
        Objects.requireNonNull(storeId, "storeId");
        lines = List.copyOf(lines);
        Objects.requireNonNull(memberCode, "memberCode");
    }
}
