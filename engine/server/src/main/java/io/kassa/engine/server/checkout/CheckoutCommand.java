package io.kassa.engine.server.checkout;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.tender.Tender;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A terminal's request to complete a sale, already translated from the wire.
 *
 * @param lineNames receipt names, one per line (empty string when the terminal sent none)
 * @param memberCode the scanned member code or phone number, when the customer is a member
 * @param tenderReferences one per tender: what identifies it outside Kassa (a bank card's
 *     approval code), or an empty string
 */
public record CheckoutCommand(
        SaleKey key, CurrencyCode currency, List<BasketLine> lines, List<String> lineNames,
        List<Tender> tenders, Optional<String> memberCode, List<String> tenderReferences) {

    public CheckoutCommand {
        lines = List.copyOf(lines);
        lineNames = List.copyOf(lineNames);
        tenders = List.copyOf(tenders);
        Objects.requireNonNull(memberCode, "memberCode");
        tenderReferences = List.copyOf(tenderReferences);
        if (lineNames.size() != lines.size()) {
            throw new IllegalArgumentException("one name per line");
        }
        if (tenderReferences.size() != tenders.size()) {
            throw new IllegalArgumentException("one reference per tender");
        }
    }

    /** A sale with a member (or none) and no tender references. */
    public CheckoutCommand(SaleKey key, CurrencyCode currency, List<BasketLine> lines,
            List<String> lineNames, List<Tender> tenders, Optional<String> memberCode) {
        this(key, currency, lines, lineNames, tenders, memberCode,
                java.util.Collections.nCopies(tenders.size(), ""));
    }

    /** A sale without a member. */
    public CheckoutCommand(SaleKey key, CurrencyCode currency, List<BasketLine> lines,
            List<String> lineNames, List<Tender> tenders) {
        this(key, currency, lines, lineNames, tenders, Optional.empty());
    }
}
