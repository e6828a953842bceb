package io.kassa.engine.core.tender;

import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.money.Money;
import java.util.List;

/**
 * Validates a split of tenders for an order: they settle the payable exactly ({@link
 * TenderSplit}); points pay whole points, within the cap and the member's balance; stored value
 * stays within the member's balance.
 */
public final class TenderValidation {

    /** The most tenders one order may be split over. */
    public static final int TENDERS_MAX = 8;

    private TenderValidation() {
    }

    public static Decision<SettledTenders> validate(Money payable, List<Tender> tenders,
            TenderLimits limits) {
        if (tenders.size() > TENDERS_MAX) {
            return Decision.reject(RejectionCode.TOO_MANY_TENDERS, tenders.size()
                    + " tenders, at most " + TENDERS_MAX + " are allowed");
        }
        return TenderSplit.settle(payable, tenders).then(settled -> checkInternal(settled,
                limits));
    }

    private static Decision<SettledTenders> checkInternal(SettledTenders settled,
            TenderLimits limits) {
        long pointsFen = sumOf(settled.tenders(), TenderKind.POINTS);
        long storedValueFen = sumOf(settled.tenders(), TenderKind.STORED_VALUE);
        if (pointsFen > 0) {
            if (!limits.memberIdentified()) {
                return Decision.reject(RejectionCode.POINTS_WITHOUT_MEMBER,
                        "points can only pay when the member is identified");
            }
            long points = limits.redemption().pointsForFen(pointsFen);
            if (points < 0) {
                return Decision.reject(RejectionCode.POINTS_NOT_WHOLE, "points tender of "
                        + pointsFen + " fen is no whole number of points at "
                        + limits.redemption().pointsPerYuan() + " points per yuan");
            }
            if (pointsFen > limits.pointsCap().amountMinor()) {
                return Decision.reject(RejectionCode.POINTS_OVER_CAP, "points pay "
                        + Money.fen(pointsFen) + ", the cap for this order is "
                        + limits.pointsCap());
            }
            if (points > limits.pointsBalance()) {
                return Decision.reject(RejectionCode.POINTS_OVER_BALANCE, "points tender needs "
                        + points + " points, the member has " + limits.pointsBalance());
            }
        }
        if (storedValueFen > 0) {
            if (!limits.memberIdentified()) {
                return Decision.reject(RejectionCode.STORED_VALUE_WITHOUT_MEMBER,
                        "stored value can only pay when the member is identified");
            }
            if (storedValueFen > limits.storedValueBalance().amountMinor()) {
                return Decision.reject(RejectionCode.STORED_VALUE_OVER_BALANCE,
                        "stored value pays " + Money.fen(storedValueFen) + ", the balance is "
                                + limits.storedValueBalance());
            }
        }
        return Decision.accept(settled);
    }

    /** The fen the tenders of one kind settle. */
    public static long sumOf(List<Tender> tenders, TenderKind kind) {
        long sum = 0;
        for (Tender tender : tenders) {
            if (tender.kind() == kind) {
                sum = Math.addExact(sum, tender.amount().amountMinor());
            }
        }
        return sum;
    }
}
