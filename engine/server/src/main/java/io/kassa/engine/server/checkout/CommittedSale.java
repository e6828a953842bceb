package io.kassa.engine.server.checkout;

import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A sale as durably recorded: what the terminal is told, first time and on every retry.
 *
 * @param requestFingerprint digest of the request that created it, to tell a retry from a
 *     different sale reusing the same sale id
 */
public record CommittedSale(
        UUID orderId, SaleKey key, String requestFingerprint, CurrencyCode currency,
        List<Line> lines, Money payable, Money change, Instant committedAt) {

    public CommittedSale {
        lines = List.copyOf(lines);
    }

    public record Line(int lineNumber, String sku, Money gross, Money discount, Money net) {
    }
}
