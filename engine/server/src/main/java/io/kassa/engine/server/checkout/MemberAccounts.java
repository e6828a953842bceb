package io.kassa.engine.server.checkout;

import io.kassa.engine.core.coupon.Coupon;
import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.points.ExpiringPoints;
import io.kassa.engine.core.points.TierProgress;
import io.kassa.engine.core.points.Tiers;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.rules.Tier;
import io.vertx.core.Future;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Member lookups at a terminal. The member is read exactly as a quote reads them (the
 * checkout's own member context: profile and coupons from PostgreSQL, balances from the hot
 * copy, coupons filtered by their hot state and the rules' templates), so that what the
 * cashier is told matches what the next quote will use.
 */
public final class MemberAccounts {

    /** Points expiring this many days ahead or sooner are listed. */
    public static final int EXPIRING_WITHIN_DAYS = 30;

    private final CheckoutService checkout;

    public MemberAccounts(CheckoutService checkout) {
        this.checkout = checkout;
    }

    public Future<Decision<MemberAccount>> lookup(String storeId, String memberCode) {
        ZonedDateTime at = checkout.storeTime(storeId);
        return checkout.memberContext(Optional.of(memberCode), at, Optional.empty())
                .map(found -> found.then(context -> Decision.accept(
                        account(context.orElseThrow(), at, checkout.currentRules()))));
    }

    private static MemberAccount account(MemberContext member, ZonedDateTime at,
            ChainRules rules) {
        LocalDate today = at.toLocalDate();
        MemberProfile profile = member.profile();
        Optional<String> nextTier = Optional.empty();
        long toNext = 0;
        Optional<Tier> tier = rules.tiers().find(profile.tierName());
        if (tier.isPresent()) {
            TierProgress progress = Tiers.progress(rules.tiers(), tier.get(),
                    profile.lifetimeEarnedPoints(), 0);
            nextTier = progress.nextTier();
            toNext = progress.pointsToNextTier();
        }
        List<Coupon> usable = new ArrayList<>();
        for (Coupon coupon : member.coupons()) {
            if (!coupon.used() && coupon.isValidAt(at.toInstant())) {
                usable.add(coupon);
            }
        }
        usable.sort(Comparator.comparing(Coupon::validUntil).thenComparing(Coupon::code));
        return new MemberAccount(profile.memberId(), profile.memberCode(), profile.phone(),
                profile.tierName(), profile.lifetimeEarnedPoints(), nextTier, toNext,
                member.snapshot().points().balanceOn(today),
                member.snapshot().storedValueFen(),
                ExpiringPoints.within(member.snapshot().points().lots(), today,
                        EXPIRING_WITHIN_DAYS),
                usable);
    }
}
