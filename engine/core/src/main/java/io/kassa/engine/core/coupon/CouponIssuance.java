package io.kassa.engine.core.coupon;

import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.money.Allocation;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Issues coupons from templates: to a member, as a bearer code, or as red-packet shares. */
public final class CouponIssuance {

    /** A red packet is shared by at most this many people. */
    public static final int RED_PACKET_SHARES_MAX = 100;

    private CouponIssuance() {
    }

    /** A coupon valid from {@code issuedAt} for the template's validity days. */
    public static Coupon issue(CouponTemplate template, String code, Optional<String> owner,
            Instant issuedAt) {
        return new Coupon(code, template, owner, issuedAt,
                issuedAt.plus(Duration.ofDays(template.validityDays())), false);
    }

    /** A wake-up coupon, only for a member who is dormant on {@code today}. */
    public static Decision<Coupon> issueWakeUp(CouponTemplate template, String code,
            MemberSnapshot member, Instant issuedAt, LocalDate today, int dormancyDays) {
        if (!member.isDormantOn(today, dormancyDays)) {
            return Decision.reject(RejectionCode.COUPON_MEMBER_NOT_DORMANT, "member "
                    + member.memberId() + " ordered within the last " + dormancyDays + " days");
        }
        return Decision.accept(issue(template, code, Optional.of(member.memberId()), issuedAt));
    }

    /**
     * Splits a red packet among the members who claimed it: the packet's amount is spread in
     * equal weights by largest remainder (20.00 over 3: 6.67, 6.67, 6.66), one member-bound
     * coupon each, code {@code packetCode-1}, {@code -2}, ...
     */
    public static List<Coupon> splitRedPacket(CouponTemplate packet, String packetCode,
            List<String> claimers, Instant issuedAt) {
        if (!(packet.benefit() instanceof CouponBenefit.AmountOff amountOff)) {
            throw new IllegalArgumentException("a red packet takes an amount off");
        }
        if (claimers.isEmpty() || claimers.size() > RED_PACKET_SHARES_MAX) {
            throw new IllegalArgumentException("a red packet has 1 to " + RED_PACKET_SHARES_MAX
                    + " claimers, not " + claimers.size());
        }
        long[] weights = new long[claimers.size()];
        java.util.Arrays.fill(weights, 1);
        long[] shares = Allocation.largestRemainder(amountOff.amountFen(), weights);
        List<Coupon> coupons = new ArrayList<>(claimers.size());
        for (int index = 0; index < claimers.size(); index++) {
            coupons.add(issue(packet.withBenefit(new CouponBenefit.AmountOff(shares[index])),
                    packetCode + "-" + (index + 1), Optional.of(claimers.get(index)), issuedAt));
        }
        return coupons;
    }
}
