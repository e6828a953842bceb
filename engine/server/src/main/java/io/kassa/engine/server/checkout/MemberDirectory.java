package io.kassa.engine.server.checkout;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The port to members and their coupons as PostgreSQL records them. */
public interface MemberDirectory {

    /**
     * The member and their coupons available at {@code at}, in one round trip: what every
     * member quote and checkout needs from PostgreSQL.
     */
    Future<Optional<MemberWithCoupons>> findWithCoupons(String memberCodeOrPhone, Instant at);

    record MemberWithCoupons(MemberProfile profile, List<CouponRecord> coupons) {
        public MemberWithCoupons {
            coupons = List.copyOf(coupons);
        }
    }

    /**
     * A member's balances, profile and coupons as the source of truth holds them, read at one
     * instant, to (re)load the hot copy.
     */
    Future<MemberBalances.MemberRecord> balances(String memberId);

    /** A member's profile as PostgreSQL holds it now, with its version; empty if unknown. */
    Future<Optional<ProfileUpdate>> profile(String memberId);

    /** Member ids in order, after {@code afterMemberId} ("" for the first page). */
    Future<List<String>> memberIds(String afterMemberId, int limit);


    /**
     * A coupon as issued: its template (in the chain's rules), validity, and its own amount off
     * when it has one (a red packet's share), which replaces the template's.
     */
    record CouponRecord(
            String couponId, String templateId, Optional<String> memberId, Instant validFrom,
            Instant validUntil, java.util.OptionalLong amountOffFen) {

        public CouponRecord(String couponId, String templateId, Optional<String> memberId,
                Instant validFrom, Instant validUntil) {
            this(couponId, templateId, memberId, validFrom, validUntil,
                    java.util.OptionalLong.empty());
        }
    }
}
