package io.kassa.engine.server.checkout;

import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A sale as durably recorded: what the terminal is told, first time and on every retry.
 *
 * @param requestFingerprint digest of the request that created it, to tell a retry from a
 *     different sale reusing the same sale id
 */
public record CommittedSale(
        UUID orderId, SaleKey key, String requestFingerprint, CurrencyCode currency,
        List<Line> lines, Money payable, Money change, Instant committedAt,
        Optional<String> memberId, long pointsEarned, long pointsRedeemed) {

    public CommittedSale {
        lines = List.copyOf(lines);
        Objects.requireNonNull(memberId, "memberId");
    }

    /** A sale without a member. */
    public CommittedSale(UUID orderId, SaleKey key, String requestFingerprint,
            CurrencyCode currency, List<Line> lines, Money payable, Money change,
            Instant committedAt) {
        this(orderId, key, requestFingerprint, currency, lines, payable, change, committedAt,
                Optional.empty(), 0, 0);
    }

    public record Line(int lineNumber, String sku, Money gross, Money discount, Money net) {
    }
}
