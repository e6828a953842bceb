package io.kassa.engine.core.quote;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.coupon.Coupon;
import io.kassa.engine.core.member.MemberSnapshot;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a quote depends on. Time is a parameter, never read from a clock: {@code at} is
 * the moment of the order; the store's zone gives its local date.
 *
 * @param coupons the coupons presented or held by the member, as the engine knows them
 * @param pointsWish how many points the member wants to pay with (0: none)
 */
public record QuoteRequest(
        String storeId, ZonedDateTime at, List<BasketLine> lines,
        Optional<MemberSnapshot> member, List<Coupon> coupons, long pointsWish) {

    public QuoteRequest {
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(at, "at");
        lines = List.copyOf(lines);
        Objects.requireNonNull(member, "member");
        coupons = List.copyOf(coupons);
    }

    /** The same request with another points wish. */
    public QuoteRequest withPointsWish(long newPointsWish) {
        return new QuoteRequest(storeId, at, lines, member, coupons, newPointsWish);
    }
}
