package io.kassa.engine.server.checkout;

import io.kassa.engine.core.coupon.Coupon;
import io.kassa.engine.core.member.MemberSnapshot;
import java.util.List;

/**
 * A member as one quote or checkout sees them: the profile from PostgreSQL, the balances from
 * the hot copy (with this sale's own earlier hold added back on a retry), and the coupons they
 * hold that the rules know.
 */
record MemberContext(MemberProfile profile, MemberSnapshot snapshot, List<Coupon> coupons) {

    MemberContext {
        coupons = List.copyOf(coupons);
    }
}
