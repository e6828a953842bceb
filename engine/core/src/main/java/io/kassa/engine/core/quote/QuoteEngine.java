package io.kassa.engine.core.quote;

import io.kassa.engine.core.basket.BasketPricing;
import io.kassa.engine.core.basket.PricedBasket;
import io.kassa.engine.core.basket.PricedLine;
import io.kassa.engine.core.coupon.CouponOutcome;
import io.kassa.engine.core.coupon.CouponSelection;
import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.points.Multiplier;
import io.kassa.engine.core.points.PointsAccrual;
import io.kassa.engine.core.points.PointsEarning;
import io.kassa.engine.core.points.TierProgress;
import io.kassa.engine.core.points.Tiers;
import io.kassa.engine.core.rules.Campaign;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.rules.RedemptionRule;
import io.kassa.engine.core.rules.StoreRules;
import io.kassa.engine.core.rules.Tier;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Quotes an order: read-only, pure and fast. Same rules and request, same quote.
 *
 * <p>Without a member and without coupons the lines and totals are exactly those of {@link
 * BasketPricing#price}.
 */
public final class QuoteEngine {

    /** The most lines a basket may have. */
    public static final int LINES_MAX = 200;
    /** The most coupons one quote considers. */
    public static final int COUPONS_PRESENTED_MAX = 20;

    private QuoteEngine() {
    }

    public static Decision<Quote> quote(ChainRules rules, QuoteRequest request) {
        if (request.lines().size() > LINES_MAX) {
            return Decision.reject(RejectionCode.TOO_MANY_LINES, "the basket has "
                    + request.lines().size() + " lines, at most " + LINES_MAX + " are allowed");
        }
        if (request.coupons().size() > COUPONS_PRESENTED_MAX) {
            return Decision.reject(RejectionCode.TOO_MANY_COUPONS, request.coupons().size()
                    + " coupons presented, at most " + COUPONS_PRESENTED_MAX + " are considered");
        }
        if (request.pointsWish() < 0) {
            return Decision.reject(RejectionCode.NEGATIVE_POINTS_WISH,
                    "points wish " + request.pointsWish() + " is negative");
        }
        if (request.pointsWish() > 0 && request.member().isEmpty()) {
            return Decision.reject(RejectionCode.POINTS_WITHOUT_MEMBER,
                    "points can only pay when the member is identified");
        }
        Optional<StoreRules> storeRules = rules.forStore(request.storeId());
        if (storeRules.isEmpty()) {
            return Decision.reject(RejectionCode.UNKNOWN_STORE,
                    "store " + request.storeId() + " is not a store of chain " + rules.chainId());
        }
        return BasketPricing.price(request.lines(), rules.currency())
                .then(priced -> checkCategories(priced, storeRules.get()))
                .then(priced -> quotePriced(rules, storeRules.get(), request, priced));
    }

    private static Decision<PricedBasket> checkCategories(PricedBasket priced,
            StoreRules storeRules) {
        for (PricedLine line : priced.lines()) {
            if (storeRules.rateOf(line.line().category()).isEmpty()) {
                return Decision.reject(RejectionCode.UNKNOWN_CATEGORY, "line "
                        + line.lineNumber() + " has category '" + line.line().category()
                        + "', which the chain does not know");
            }
        }
        return Decision.accept(priced);
    }

    private static Decision<Quote> quotePriced(ChainRules rules, StoreRules storeRules,
            QuoteRequest request, PricedBasket priced) {
        LocalDate localDate = request.at().withZoneSameInstant(storeRules.store().zone())
                .toLocalDate();
        CouponOutcome coupons = request.coupons().isEmpty()
                ? new CouponOutcome(List.of(), List.of())
                : CouponSelection.select(request.coupons(), priced.lines(), storeRules.store(),
                        request.member(), request.at().toInstant());
        PricedBasket basket = discounted(priced, coupons);
        CurrencyCode currency = rules.currency();
        long netFen = basket.payable().amountMinor();
        RedemptionRule redemption = storeRules.redemption();
        long capFen = redemption.capFen(netFen);
        long capPoints = redemption.roundDownToPayablePoints(
                Math.multiplyExact(capFen, redemption.pointsPerYuan()) / 100);
        Optional<MemberSnapshot> member = request.member();
        long balance = member.map(snapshot -> snapshot.points().balanceOn(localDate)).orElse(0L);
        long redeem = redemption.roundDownToPayablePoints(
                Math.min(request.pointsWish(), Math.min(capPoints, balance)));
        long redeemFen = fenOf(redemption, redeem);
        PointsEarning earning;
        Optional<TierProgress> progress;
        if (member.isPresent()) {
            Tier tier = currentTier(rules, member.get());
            List<Multiplier> multipliers = multipliers(rules, storeRules, member.get(), tier,
                    localDate);
            earning = PointsAccrual.accrue(basket.lines(), storeRules, multipliers, redeemFen,
                    member.get().completedOrders() == 0);
            progress = Optional.of(Tiers.progress(rules.tiers(), tier,
                    member.get().lifetimeEarnedPoints(), earning.totalPoints()));
        } else {
            earning = PointsEarning.none();
            progress = Optional.empty();
        }
        Money pointsAmount = Money.ofMinor(redeemFen, currency);
        return Decision.accept(new Quote(request.storeId(), request.at(), localDate, basket,
                coupons.applied(), coupons.rejected(), redemption,
                Money.ofMinor(capFen, currency), capPoints, balance, redeem, pointsAmount,
                basket.payable().minus(pointsAmount), member, earning, progress));
    }

    private static long fenOf(RedemptionRule redemption, long points) {
        long fen = redemption.fenForPointsFloor(points);
        assert redemption.pointsForFen(fen) == points : "payable points pay whole fen";
        return fen;
    }

    /** The member's tier: the one on record, or the one lifetime points reach if unknown. */
    static Tier currentTier(ChainRules rules, MemberSnapshot member) {
        return rules.tiers().find(member.tierName())
                .orElseGet(() -> rules.tiers().tierFor(member.lifetimeEarnedPoints()));
    }

    /** The tier multiplier, then every campaign on at this store and date, in rules order. */
    static List<Multiplier> multipliers(ChainRules rules, StoreRules storeRules,
            MemberSnapshot member, Tier tier, LocalDate localDate) {
        List<Multiplier> multipliers = new ArrayList<>(1 + rules.campaigns().size());
        multipliers.add(new Multiplier("tier " + tier.name(), tier.multiplier()));
        for (Campaign campaign : rules.campaigns()) {
            if (campaign.appliesTo(storeRules.store(), localDate, member.birthMonth())) {
                multipliers.add(new Multiplier("campaign " + campaign.id(),
                        campaign.multiplier()));
            }
        }
        return multipliers;
    }

    private static PricedBasket discounted(PricedBasket priced, CouponOutcome coupons) {
        if (coupons.applied().isEmpty()) {
            return priced;
        }
        CurrencyCode currency = priced.currency();
        long[] discounts = coupons.discountFenByLine(priced.lines().size());
        List<PricedLine> lines = new ArrayList<>(priced.lines().size());
        long discountTotal = 0;
        for (int index = 0; index < discounts.length; index++) {
            PricedLine line = priced.lines().get(index);
            Money discount = Money.ofMinor(discounts[index], currency);
            lines.add(new PricedLine(line.lineNumber(), line.line(), line.gross(), discount,
                    line.gross().minus(discount)));
            discountTotal += discounts[index];
        }
        Money discount = Money.ofMinor(discountTotal, currency);
        return new PricedBasket(currency, lines, priced.subtotal(), discount,
                priced.subtotal().minus(discount));
    }
}
