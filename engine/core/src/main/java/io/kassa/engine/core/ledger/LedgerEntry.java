package io.kassa.engine.core.ledger;

import io.kassa.engine.core.money.Money;
import java.util.Objects;

/**
 * One line of a double-entry transaction. Debits are positive, credits negative, so the
 * entries of every transaction sum to zero.
 */
public record LedgerEntry(LedgerAccount account, Money amount) {

    public LedgerEntry {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(amount, "amount");
        if (amount.isZero()) {
            throw new IllegalArgumentException("a ledger entry moves money: " + account);
        }
    }
}
