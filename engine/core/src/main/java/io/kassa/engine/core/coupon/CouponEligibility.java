package io.kassa.engine.core.coupon;

import io.kassa.engine.core.basket.PricedLine;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.rules.Store;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Checks one coupon against one order, on its own; says why when it does not apply. */
public final class CouponEligibility {

    private CouponEligibility() {
    }

    /** Empty when the coupon could apply; otherwise the first reason it cannot. */
    public static Optional<CouponRejection> check(Coupon coupon, List<PricedLine> lines,
            Store store, Optional<MemberSnapshot> member, Instant at) {
        String code = coupon.code();
        CouponTemplate template = coupon.template();
        if (coupon.used()) {
            return reject(code, RejectionCode.COUPON_ALREADY_USED,
                    "coupon " + code + " was already used");
        }
        if (at.isBefore(coupon.validFrom())) {
            return reject(code, RejectionCode.COUPON_NOT_YET_VALID,
                    "coupon " + code + " is valid from " + coupon.validFrom());
        }
        if (!at.isBefore(coupon.validUntil())) {
            return reject(code, RejectionCode.COUPON_EXPIRED,
                    "coupon " + code + " expired at " + coupon.validUntil());
        }
        boolean needsMember = coupon.ownerMemberId().isPresent()
                || template.condition() == CouponCondition.FIRST_ORDER;
        if (needsMember && member.isEmpty()) {
            return reject(code, RejectionCode.COUPON_MEMBER_REQUIRED,
                    "coupon " + code + " needs the member to be identified");
        }
        if (coupon.ownerMemberId().isPresent()
                && !coupon.ownerMemberId().get().equals(member.get().memberId())) {
            return reject(code, RejectionCode.COUPON_NOT_OWNER,
                    "coupon " + code + " belongs to another member");
        }
        if (template.condition() == CouponCondition.FIRST_ORDER
                && member.get().completedOrders() > 0) {
            return reject(code, RejectionCode.COUPON_NOT_FIRST_ORDER, "coupon " + code
                    + " is for a first order; the member has "
                    + member.get().completedOrders() + " order(s)");
        }
        if (!template.scope().stores().includes(store)) {
            return reject(code, RejectionCode.COUPON_WRONG_STORE,
                    "coupon " + code + " is not valid in store " + store.storeId());
        }
        long eligibleGross = 0;
        boolean any = false;
        for (PricedLine line : lines) {
            if (template.scope().covers(line.line())) {
                any = true;
                eligibleGross += line.gross().amountMinor();
            }
        }
        if (!any || eligibleGross == 0) {
            return reject(code, RejectionCode.COUPON_NO_ELIGIBLE_LINES,
                    "coupon " + code + " applies to no line of this basket");
        }
        if (eligibleGross < template.thresholdFen()) {
            return reject(code, RejectionCode.COUPON_BELOW_THRESHOLD, "coupon " + code
                    + " needs eligible lines of " + CouponSelection.fen(template.thresholdFen())
                    + ", they total " + CouponSelection.fen(eligibleGross));
        }
        return Optional.empty();
    }

    /** Which lines the coupon's scope covers; index 0 is line number 1. */
    public static boolean[] eligibleLines(Coupon coupon, List<PricedLine> lines) {
        boolean[] eligible = new boolean[lines.size()];
        for (int index = 0; index < eligible.length; index++) {
            eligible[index] = coupon.template().scope().covers(lines.get(index).line());
        }
        return eligible;
    }

    private static Optional<CouponRejection> reject(String code, RejectionCode reason,
            String explanation) {
        return Optional.of(new CouponRejection(code, reason, explanation));
    }
}
