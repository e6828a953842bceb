package io.kassa.engine.core.ledger;

import io.kassa.engine.core.basket.PricedBasket;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.tender.SettledTenders;
import io.kassa.engine.core.tender.Tender;
import java.util.ArrayList;
import java.util.List;

/**
 * The double-entry posting of a completed sale: each tender debits the store's account for
 * that tender, discounts debit the store's discounts, and gross sales are credited. Change
 * handed back in cash never reaches the ledger: only the tender amounts, which settle the
 * payable exactly, are money the store keeps.
 */
public final class SalePosting {

    private SalePosting() {
    }

    public static List<LedgerEntry> entries(
            String storeId, PricedBasket basket, SettledTenders tenders) {
        List<LedgerEntry> entries = new ArrayList<>(tenders.tenders().size() + 2);
        for (Tender tender : tenders.tenders()) {
            entries.add(LedgerEntry.money(
                    LedgerAccount.storeTender(storeId, tender.kind().name()), tender.amount()));
        }
        if (!basket.discount().isZero()) {
            entries.add(LedgerEntry.money(LedgerAccount.storeDiscounts(storeId),
                    basket.discount()));
        }
        if (!basket.subtotal().isZero()) {
            entries.add(LedgerEntry.money(LedgerAccount.storeSales(storeId),
                    Money.zero(basket.currency()).minus(basket.subtotal())));
        }
        requireBalanced(entries);
        return List.copyOf(entries);
    }

    /** A posting that does not balance is a bug, in production as in tests: refuse it. */
    static void requireBalanced(List<LedgerEntry> entries) {
        for (LedgerUnit unit : LedgerUnit.values()) {
            long sum = 0;
            for (LedgerEntry entry : entries) {
                if (entry.unit() == unit) {
                    sum = Math.addExact(sum, entry.amount());
                }
            }
            if (sum != 0) {
                throw new IllegalStateException("posting does not balance in " + unit + ": "
                        + sum);
            }
        }
    }
}
