package io.kassa.engine.core.sale;

import io.kassa.engine.core.coupon.Coupon;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.quote.Quote;
import io.kassa.engine.core.tender.SettledTenders;
import java.util.List;
import java.util.Optional;

/**
 * A sale the rules accept, and what it does to the member: points spent (first-expiring lots
 * first) and earned (a new lot), stored value spent, lifetime points and tier, coupons used.
 * The server makes it durable; nothing here has happened until it does.
 */
public record CompletedSale(
        Sale sale, Quote quote, SettledTenders settled, Optional<MemberSnapshot> memberAfter,
        List<Coupon> couponsRedeemed) {

    public CompletedSale {
        couponsRedeemed = List.copyOf(couponsRedeemed);
    }
}
