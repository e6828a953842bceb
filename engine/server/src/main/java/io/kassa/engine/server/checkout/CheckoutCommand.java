package io.kassa.engine.server.checkout;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.tender.Tender;
import java.util.List;

/**
 * A terminal's request to complete a sale, already translated from the wire.
 *
 * @param lineNames receipt names, one per line (empty string when the terminal sent none)
 */
public record CheckoutCommand(
        SaleKey key, CurrencyCode currency, List<BasketLine> lines, List<String> lineNames,
        List<Tender> tenders) {

    public CheckoutCommand {
        lines = List.copyOf(lines);
        lineNames = List.copyOf(lineNames);
        tenders = List.copyOf(tenders);
        if (lineNames.size() != lines.size()) {
            throw new IllegalArgumentException("one name per line");
        }
    }
}
