package io.kassa.engine.core.ledger;

import io.kassa.engine.core.basket.PricedBasket;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.tender.SettledTenders;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        return entries(storeId, Optional.empty(), basket, tenders, 0, 0);
    }

    /**
     * The posting of a sale, with its member's side when there is one: stored value paid
     * debits the member's stored-value liability; points move in the points unit — earned
     * points are issued by the store to the member, redeemed points go from the member to the
     * store's redeemed account (their fen value is the POINTS tender, like any tender).
     */
    public static List<LedgerEntry> entries(String storeId, Optional<String> memberId,
            PricedBasket basket, SettledTenders tenders, long pointsEarned, long pointsRedeemed) {
        if (memberId.isEmpty() && (pointsEarned != 0 || pointsRedeemed != 0)) {
            throw new IllegalArgumentException("points move only for a member");
        }
        List<LedgerEntry> entries = new ArrayList<>(tenders.tenders().size() + 6);
        for (Tender tender : tenders.tenders()) {
            LedgerAccount account = tender.kind() == TenderKind.STORED_VALUE
                    ? LedgerAccount.memberStoredValue(memberId.orElseThrow(
                            () -> new IllegalArgumentException("stored value needs a member")))
                    : LedgerAccount.storeTender(storeId, tender.kind().name());
            entries.add(LedgerEntry.money(account, tender.amount()));
        }
        if (pointsEarned > 0) {
            entries.add(LedgerEntry.points(LedgerAccount.storePointsIssued(storeId),
                    pointsEarned));
            entries.add(LedgerEntry.points(LedgerAccount.memberPoints(memberId.get()),
                    -pointsEarned));
        }
        if (pointsRedeemed > 0) {
            entries.add(LedgerEntry.points(LedgerAccount.memberPoints(memberId.get()),
                    pointsRedeemed));
            entries.add(LedgerEntry.points(LedgerAccount.storePointsRedeemed(storeId),
                    -pointsRedeemed));
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
