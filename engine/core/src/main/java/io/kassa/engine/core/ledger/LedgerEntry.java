package io.kassa.engine.core.ledger;

import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import java.util.Objects;

/**
 * One line of a double-entry transaction. Debits are positive, credits negative, so the
 * entries of every transaction sum to zero in each {@link LedgerUnit}.
 *
 * @param amount minor units of {@code unit}: fen, or points
 */
public record LedgerEntry(LedgerAccount account, long amount, LedgerUnit unit) {

    public LedgerEntry {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(unit, "unit");
        if (amount == 0) {
            throw new IllegalArgumentException("a ledger entry moves something: " + account);
        }
    }

    public static LedgerEntry money(LedgerAccount account, Money amount) {
        if (amount.currency() != CurrencyCode.CNY) {
            throw new IllegalArgumentException("the ledger keeps CNY: " + amount);
        }
        return new LedgerEntry(account, amount.amountMinor(), LedgerUnit.CNY);
    }

    public static LedgerEntry points(LedgerAccount account, long points) {
        return new LedgerEntry(account, points, LedgerUnit.POINTS);
    }
}
