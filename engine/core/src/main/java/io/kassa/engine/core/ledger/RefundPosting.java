package io.kassa.engine.core.ledger;

import io.kassa.engine.core.refund.RefundOutcome;
import io.kassa.engine.core.refund.TenderRefund;
import io.kassa.engine.core.tender.TenderKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The double-entry posting of a refund: the sale's posting of the refunded lines, reversed.
 * Each tender's account is credited what goes back to it (stored value: the member's
 * liability grows again), gross sales are debited and discounts credited for the refunded
 * lines, and a clawback shortfall kept from the money refund is the store's revenue. In points,
 * restored points go from the store's redeemed account back to the member, and clawed-back
 * points from the member back to the store's issued account.
 */
public final class RefundPosting {

    private RefundPosting() {
    }

    /**
     * @param grossFen the refunded lines' gross
     * @param discountFen the refunded lines' discounts; {@code grossFen - discountFen} is the
     *     refunded net
     */
    public static List<LedgerEntry> entries(String storeId, Optional<String> memberId,
            long grossFen, long discountFen, RefundOutcome outcome) {
        if (grossFen - discountFen != outcome.refunded().amountMinor()) {
            throw new IllegalArgumentException("refunded lines' gross " + grossFen
                    + " less discounts " + discountFen + " must equal the refunded net "
                    + outcome.refunded().amountMinor());
        }
        if (memberId.isEmpty() && (outcome.pointsRestored() != 0
                || outcome.pointsTaken() != 0)) {
            throw new IllegalArgumentException("points move only for a member");
        }
        List<LedgerEntry> entries = new ArrayList<>(outcome.tenderRefunds().size() + 7);
        for (TenderRefund refund : outcome.tenderRefunds()) {
            long amount = refund.amount().amountMinor();
            if (amount == 0) {
                continue;
            }
            LedgerAccount account = refund.kind() == TenderKind.STORED_VALUE
                    ? LedgerAccount.memberStoredValue(memberId.orElseThrow(
                            () -> new IllegalArgumentException("stored value needs a member")))
                    : LedgerAccount.storeTender(storeId, refund.kind().name());
            entries.add(new LedgerEntry(account, -amount, LedgerUnit.CNY));
        }
        long shortfall = outcome.shortfallDeducted().amountMinor();
        if (shortfall > 0) {
            entries.add(new LedgerEntry(LedgerAccount.storeClawbackShortfall(storeId),
                    -shortfall, LedgerUnit.CNY));
        }
        if (grossFen > 0) {
            entries.add(new LedgerEntry(LedgerAccount.storeSales(storeId), grossFen,
                    LedgerUnit.CNY));
        }
        if (discountFen > 0) {
            entries.add(new LedgerEntry(LedgerAccount.storeDiscounts(storeId), -discountFen,
                    LedgerUnit.CNY));
        }
        if (outcome.pointsRestored() > 0) {
            entries.add(LedgerEntry.points(LedgerAccount.storePointsRedeemed(storeId),
                    outcome.pointsRestored()));
            entries.add(LedgerEntry.points(LedgerAccount.memberPoints(memberId.get()),
                    -outcome.pointsRestored()));
        }
        if (outcome.pointsTaken() > 0) {
            entries.add(LedgerEntry.points(LedgerAccount.memberPoints(memberId.get()),
                    outcome.pointsTaken()));
            entries.add(LedgerEntry.points(LedgerAccount.storePointsIssued(storeId),
                    -outcome.pointsTaken()));
        }
        SalePosting.requireBalanced(entries);
        return List.copyOf(entries);
    }
}
