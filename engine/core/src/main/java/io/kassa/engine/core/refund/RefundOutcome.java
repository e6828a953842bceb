package io.kassa.engine.core.refund;

import io.kassa.engine.core.coupon.Coupon;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.money.Money;
import java.util.List;
import java.util.Optional;

/**
 * What a refund does.
 *
 * @param refunded the net of the refunded lines; the tender shares sum to it
 * @param pointsRestored points of the points tender put back into the member's lots
 * @param pointsClawedBack points the refunded lines (and, on the last refund, the bonuses)
 *     had earned, all taken back: {@code pointsTaken + shortfallPoints}
 * @param shortfallPoints points the member had already spent, charged to the money refund
 * @param shortfallDeducted the fen taken off money refunds for the shortfall
 * @param shortfallUncoveredPoints shortfall points the money refund could not cover
 * @param fullRefund whether, with this refund, every line of the sale is refunded
 * @param couponsRestored coupons given back (full refund, still valid)
 * @param couponsKeptUsed coupons that stay used, with the reason in {@code explanation}
 */
public record RefundOutcome(
        Money refunded, List<TenderRefund> tenderRefunds, long pointsRestored,
        long pointsClawedBack, long pointsTaken, long shortfallPoints, Money shortfallDeducted,
        long shortfallUncoveredPoints, boolean fullRefund, List<Coupon> couponsRestored,
        List<Coupon> couponsKeptUsed, Optional<MemberSnapshot> memberAfter,
        RefundState stateAfter, String explanation) {

    public RefundOutcome {
        tenderRefunds = List.copyOf(tenderRefunds);
        couponsRestored = List.copyOf(couponsRestored);
        couponsKeptUsed = List.copyOf(couponsKeptUsed);
        long shares = 0;
        long amounts = 0;
        for (TenderRefund refund : tenderRefunds) {
            shares = Math.addExact(shares, refund.share().amountMinor());
            amounts = Math.addExact(amounts, refund.amount().amountMinor());
            if (refund.amount().isNegative()) {
                throw new IllegalArgumentException("a tender refund is never negative");
            }
        }
        if (shares != refunded.amountMinor()
                || shares - amounts != shortfallDeducted.amountMinor()) {
            throw new IllegalArgumentException("refund shares must sum to the refunded amount");
        }
    }
}
