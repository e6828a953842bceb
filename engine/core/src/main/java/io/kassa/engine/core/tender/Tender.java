package io.kassa.engine.core.tender;

import io.kassa.engine.core.money.Money;
import java.util.Objects;

/**
 * One part of a sale's payment.
 *
 * @param amount what this tender settles of the payable
 * @param received cash handed over (≥ amount; the difference is change); equal to amount for
 *     other kinds
 */
public record Tender(TenderKind kind, Money amount, Money received) {

    public Tender {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(received, "received");
    }
}
