package io.kassa.engine.core.refund;

import io.kassa.engine.core.coupon.Coupon;
import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.money.Allocation;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.money.Rational;
import io.kassa.engine.core.points.LotDraw;
import io.kassa.engine.core.points.PointsClawback;
import io.kassa.engine.core.points.PointsWallet;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.rules.RedemptionRule;
import io.kassa.engine.core.rules.StoreRules;
import io.kassa.engine.core.sale.Sale;
import io.kassa.engine.core.sale.SaleLine;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Refunds of a whole order or of lines, back to the original tenders.
 *
 * <ul>
 *   <li>The refunded lines' net is spread over the tenders by largest remainder, weighted by
 *       what each tender has not yet had back (on a first refund: what each paid). The refund
 *       that completes the order returns to each tender exactly its remainder, so refunding
 *       every line, in any steps, returns to each tender exactly what it paid.
 *   <li>Points of the points tender go back to the lots they came from. The points the
 *       refunded lines earned are clawed back (the bonuses too, on the refund that completes
 *       the order), first from the order's own lot, then first-expiring first, after the
 *       restored points are back. What the member already spent is the shortfall: it is
 *       charged to the money refunds (every tender but points) at the redemption rate, rounded
 *       up to the fen, spread over them by largest remainder.
 *   <li>Coupons come back only when the refund completes the order and they are still valid.
 * </ul>
 */
public final class Refunds {

    private Refunds() {
    }

    /**
     * @param before what earlier refunds of this sale did ({@link RefundState#none} if none)
     * @param member the sale's member now, when the sale had one
     * @param at the moment of the refund
     */
    public static Decision<RefundOutcome> refund(ChainRules rules, Sale sale, RefundState before,
            RefundRequest request, Optional<MemberSnapshot> member, ZonedDateTime at) {
        if (sale.memberId().isPresent() && (member.isEmpty()
                || !member.get().memberId().equals(sale.memberId().get()))) {
            return Decision.reject(RejectionCode.REFUND_MEMBER_MISMATCH,
                    "the refund of order " + sale.orderId() + " needs its member "
                            + sale.memberId().get());
        }
        Decision<Set<Integer>> selected = select(sale, before, request);
        if (selected instanceof Decision.Rejected<Set<Integer>> rejected) {
            return Decision.reject(rejected.rejection());
        }
        Set<Integer> lines = ((Decision.Accepted<Set<Integer>>) selected).value();
        LocalDate date = at.withZoneSameInstant(rules.forStore(sale.storeId())
                .map(StoreRules::store).map(store -> store.zone()).orElse(at.getZone()))
                .toLocalDate();
        return Decision.accept(compute(sale, before, lines, member, at, date));
    }

    private static Decision<Set<Integer>> select(Sale sale, RefundState before,
            RefundRequest request) {
        Set<Integer> known = new HashSet<>();
        for (SaleLine line : sale.lines()) {
            known.add(line.lineNumber());
        }
        Set<Integer> selected = new HashSet<>();
        if (request instanceof RefundRequest.WholeOrder) {
            selected.addAll(known);
            selected.removeAll(before.refundedLines());
        } else {
            for (Integer lineNumber : ((RefundRequest.Lines) request).lineNumbers()) {
                if (!known.contains(lineNumber)) {
                    return Decision.reject(RejectionCode.REFUND_UNKNOWN_LINE, "order "
                            + sale.orderId() + " has no line " + lineNumber);
                }
                if (before.refundedLines().contains(lineNumber)) {
                    return Decision.reject(RejectionCode.REFUND_LINE_ALREADY_REFUNDED,
                            "line " + lineNumber + " of order " + sale.orderId()
                                    + " was already refunded");
                }
                selected.add(lineNumber);
            }
        }
        if (selected.isEmpty()) {
            return Decision.reject(RejectionCode.REFUND_NOTHING_SELECTED,
                    "nothing of order " + sale.orderId() + " is left to refund");
        }
        return Decision.accept(selected);
    }

    private static RefundOutcome compute(Sale sale, RefundState before, Set<Integer> lines,
            Optional<MemberSnapshot> member, ZonedDateTime at, LocalDate date) {
        CurrencyCode currency = sale.tenders().get(0).amount().currency();
        long refundedFen = 0;
        long clawPoints = 0;
        for (SaleLine line : sale.lines()) {
            if (lines.contains(line.lineNumber())) {
                refundedFen = Math.addExact(refundedFen, line.net().amountMinor());
                clawPoints = Math.addExact(clawPoints, line.earnedPoints());
            }
        }
        boolean full = before.refundedLines().size() + lines.size() == sale.lines().size();
        if (full) {
            clawPoints = Math.addExact(clawPoints, sale.bonusPoints());
        }
        int tenderCount = sale.tenders().size();
        long[] remaining = new long[tenderCount];
        long remainingSum = 0;
        for (int index = 0; index < tenderCount; index++) {
            remaining[index] = sale.tenders().get(index).amount().amountMinor()
                    - before.refundedFenByTender().get(index);
            remainingSum += remaining[index];
        }
        assert full ? remainingSum == refundedFen : remainingSum >= refundedFen
                : "tenders' remainder covers the refunded lines";
        long[] shares = full ? remaining.clone()
                : Allocation.largestRemainder(refundedFen, remaining);
        RedemptionRule rate = new RedemptionRule(sale.pointsPerYuan(),
                Rational.ONE);
        long pointsShareFen = 0;
        for (int index = 0; index < tenderCount; index++) {
            if (sale.tenders().get(index).kind() == TenderKind.POINTS) {
                pointsShareFen += shares[index];
            }
        }
        long pointsRestored = full ? sale.pointsRedeemed() - before.pointsRestored()
                : Math.min(sale.pointsRedeemed() - before.pointsRestored(),
                        Rational.of(pointsShareFen)
                                .times(Rational.of(
                                        sale.pointsPerYuan(), 100)).floorExact());
        long pointsTaken = 0;
        long shortfall = 0;
        Optional<MemberSnapshot> memberAfter = member;
        PointsWallet wallet = member.map(MemberSnapshot::points).orElse(PointsWallet.EMPTY);
        if (member.isPresent()) {
            wallet = wallet.restore(drawsNotYetRestored(sale.pointsDraws(),
                    before.pointsRestored()), pointsRestored);
            PointsClawback clawback = wallet.clawback(clawPoints, sale.orderId(), date);
            wallet = clawback.wallet();
            pointsTaken = clawback.taken();
            shortfall = clawback.shortfall();
        }
        long shortfallFen = shortfall == 0 ? 0 : rate.fenForPointsCeiling(shortfall);
        long[] deductions = new long[tenderCount];
        long moneyShares = 0;
        long[] moneyWeights = new long[tenderCount];
        for (int index = 0; index < tenderCount; index++) {
            if (sale.tenders().get(index).kind() != TenderKind.POINTS) {
                moneyWeights[index] = shares[index];
                moneyShares += shares[index];
            }
        }
        long deducted = Math.min(shortfallFen, moneyShares);
        if (deducted > 0) {
            deductions = Allocation.largestRemainder(deducted, moneyWeights);
        }
        long uncovered = deducted == shortfallFen ? 0
                : shortfall - Math.min(shortfall, Rational.of(deducted)
                        .times(Rational.of(sale.pointsPerYuan(), 100))
                        .floorExact());
        List<TenderRefund> refunds = new ArrayList<>(tenderCount);
        long storedValueBack = 0;
        List<Long> refundedByTender = new ArrayList<>(tenderCount);
        for (int index = 0; index < tenderCount; index++) {
            Tender tender = sale.tenders().get(index);
            long amount = shares[index] - deductions[index];
            refunds.add(new TenderRefund(index, tender.kind(), Money.ofMinor(shares[index],
                    currency), Money.ofMinor(amount, currency)));
            if (tender.kind() == TenderKind.STORED_VALUE) {
                storedValueBack += amount;
            }
            refundedByTender.add(before.refundedFenByTender().get(index) + shares[index]);
        }
        if (member.isPresent()) {
            MemberSnapshot now = member.get();
            memberAfter = Optional.of(now.withPoints(wallet)
                    .withStoredValueFen(Math.addExact(now.storedValueFen(), storedValueBack))
                    .withTier(now.tierName(),
                            Math.max(0, now.lifetimeEarnedPoints() - clawPoints)));
        }
        List<Coupon> restored = new ArrayList<>();
        List<Coupon> keptUsed = new ArrayList<>();
        for (Coupon coupon : sale.coupons()) {
            if (full && at.toInstant().isBefore(coupon.validUntil())) {
                restored.add(coupon.restored());
            } else {
                keptUsed.add(coupon);
            }
        }
        Set<Integer> refundedLines = new HashSet<>(before.refundedLines());
        refundedLines.addAll(lines);
        RefundState after = new RefundState(refundedLines, refundedByTender,
                before.pointsRestored() + pointsRestored);
        String explanation = explain(refundedFen, refunds, pointsRestored, clawPoints,
                pointsTaken, shortfall, deducted, uncovered, full, restored, keptUsed);
        return new RefundOutcome(Money.ofMinor(refundedFen, currency), refunds, pointsRestored,
                clawPoints, pointsTaken, shortfall, Money.ofMinor(deducted, currency), uncovered,
                full, restored, keptUsed, memberAfter, after, explanation);
    }

    /** The draws that earlier partial refunds have not yet put back, in spending order. */
    static List<LotDraw> drawsNotYetRestored(List<LotDraw> draws, long alreadyRestored) {
        List<LotDraw> left = new ArrayList<>(draws);
        long skip = alreadyRestored;
        for (int index = left.size() - 1; index >= 0 && skip > 0; index--) {
            LotDraw draw = left.get(index);
            long back = Math.min(skip, draw.points());
            skip -= back;
            left.set(index, new LotDraw(draw.lotId(), draw.points() - back, draw.earnedOn(),
                    draw.expiresOn(), draw.birthdayExtendedYear()));
        }
        return left;
    }

    private static String explain(long refundedFen, List<TenderRefund> refunds,
            long pointsRestored, long clawPoints, long pointsTaken, long shortfall,
            long deducted, long uncovered, boolean full, List<Coupon> restored,
            List<Coupon> keptUsed) {
        StringBuilder text = new StringBuilder(256);
        text.append("Refund of ").append(Money.fen(refundedFen)).append(full
                ? " completes the order's refund.\n" : " (partial).\n");
        for (TenderRefund refund : refunds) {
            text.append("To ").append(refund.kind()).append(": ").append(refund.amount());
            if (!refund.amount().equals(refund.share())) {
                text.append(" (share ").append(refund.share()).append(" less shortfall)");
            }
            text.append(".\n");
        }
        text.append("Points restored: ").append(pointsRestored).append("; earned points clawed"
                + " back: ").append(clawPoints).append(" (").append(pointsTaken)
                .append(" from the balance");
        if (shortfall > 0) {
            text.append(", ").append(shortfall).append(" already spent, charged ")
                    .append(Money.fen(deducted)).append(" to the money refund");
            if (uncovered > 0) {
                text.append(", ").append(uncovered).append(" uncovered");
            }
        }
        text.append(").\n");
        for (Coupon coupon : restored) {
            text.append("Coupon ").append(coupon.code()).append(" restored.\n");
        }
        for (Coupon coupon : keptUsed) {
            text.append("Coupon ").append(coupon.code()).append(full
                    ? " stays used: it is no longer valid.\n"
                    : " stays used: the refund is partial.\n");
        }
        return text.toString().strip();
    }
}
