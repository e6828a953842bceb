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
            entries.add(new LedgerEntry(
                    LedgerAccount.storeTender(storeId, tender.kind().name()), tender.amount()));
        }
        if (!basket.discount().isZero()) {
            entries.add(new LedgerEntry(LedgerAccount.storeDiscounts(storeId), basket.discount()));
        }
        if (!basket.subtotal().isZero()) {
            entries.add(new LedgerEntry(LedgerAccount.storeSales(storeId),
                    Money.zero(basket.currency()).minus(basket.subtotal())));
        }
        requireBalanced(entries, basket);
        return List.copyOf(entries);
    }

    /** A posting that does not balance is a bug, in production as in tests: refuse it. */
    private static void requireBalanced(List<LedgerEntry> entries, PricedBasket basket) {
        Money sum = Money.zero(basket.currency());
        for (LedgerEntry entry : entries) {
            sum = sum.plus(entry.amount());
        }
        if (!sum.isZero()) {
            throw new IllegalStateException("sale posting does not balance: " + sum);
        }
    }
}
