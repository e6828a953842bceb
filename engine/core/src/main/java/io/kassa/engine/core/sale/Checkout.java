package io.kassa.engine.core.sale;

import io.kassa.engine.core.coupon.AppliedCoupon;
import io.kassa.engine.core.coupon.Coupon;
import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.points.LineEarning;
import io.kassa.engine.core.points.LotDraw;
import io.kassa.engine.core.points.PointsSpend;
import io.kassa.engine.core.points.PointsWallet;
import io.kassa.engine.core.points.Tiers;
import io.kassa.engine.core.quote.Quote;
import io.kassa.engine.core.quote.QuoteEngine;
import io.kassa.engine.core.quote.QuoteRequest;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.rules.StoreRules;
import io.kassa.engine.core.rules.Tier;
import io.kassa.engine.core.tender.SettledTenders;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.core.tender.TenderLimits;
import io.kassa.engine.core.tender.TenderValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a quote request and the tenders the customer chose into a completed sale: quotes with
 * the points the tenders actually redeem, validates the split, and computes the member after
 * the sale. Pure: the server persists the result.
 */
public final class Checkout {

    private Checkout() {
    }

    /** The limits a quote sets on internal tenders. */
    public static TenderLimits limitsOf(Quote quote) {
        return new TenderLimits(quote.member().isPresent(), quote.redemption(),
                quote.pointsCapAmount(), quote.pointsBalance(),
                Money.ofMinor(quote.member().map(MemberSnapshot::storedValueFen).orElse(0L),
                        quote.payable().currency()));
    }

    /** Validates a tender split against a quote. */
    public static Decision<SettledTenders> validateTenders(Quote quote, List<Tender> tenders) {
        return TenderValidation.validate(quote.payable(), tenders, limitsOf(quote));
    }

    /**
     * Completes a sale.
     *
     * @param orderId the terminal's order id; also the id of the lot the earned points go to
     */
    public static Decision<CompletedSale> complete(ChainRules rules, QuoteRequest request,
            List<Tender> tenders, String orderId) {
        long pointsFen = TenderValidation.sumOf(tenders, TenderKind.POINTS);
        long pointsWish = 0;
        if (pointsFen > 0) {
            Optional<StoreRules> storeRules =
                    rules.forStore(request.storeId());
            if (storeRules.isPresent()) {
                pointsWish = storeRules.get().redemption().pointsForFen(pointsFen);
                if (pointsWish < 0) {
                    return Decision.reject(RejectionCode.POINTS_NOT_WHOLE, "points tender of "
                            + pointsFen + " fen is no whole number of points");
                }
            }
        }
        long wish = pointsWish;
        return QuoteEngine.quote(rules, request.withPointsWish(wish))
                .then(quote -> validateTenders(quote, tenders)
                        .then(settled -> finish(rules, quote, settled, orderId, wish)));
    }

    private static Decision<CompletedSale> finish(ChainRules rules, Quote quote,
            SettledTenders settled, String orderId, long pointsRedeemed) {
        if (quote.pointsToRedeem() != pointsRedeemed) {
            throw new IllegalStateException("validated points tender must equal the quoted one");
        }
        List<SaleLine> lines = new ArrayList<>(quote.basket().lines().size());
        for (int index = 0; index < quote.basket().lines().size(); index++) {
            var line = quote.basket().lines().get(index);
            long earned = quote.earning().lines().isEmpty() ? 0
                    : quote.earning().lines().get(index).points();
            lines.add(new SaleLine(line.lineNumber(), line.line().sku(), line.line().category(),
                    line.line().quantity(), line.net(), earned));
        }
        List<Coupon> redeemed = new ArrayList<>();
        for (AppliedCoupon applied : quote.appliedCoupons()) {
            redeemed.add(applied.coupon().markedUsed());
        }
        Optional<MemberSnapshot> memberAfter = Optional.empty();
        List<LotDraw> draws = List.of();
        if (quote.member().isPresent()) {
            MemberSnapshot member = quote.member().get();
            Decision<PointsSpend> spend = member.points().spend(pointsRedeemed,
                    quote.storeLocalDate(), rules.expiry());
            if (spend instanceof Decision.Rejected<PointsSpend> rejected) {
                return Decision.reject(rejected.rejection());
            }
            PointsSpend spent = ((Decision.Accepted<PointsSpend>) spend).value();
            draws = spent.draws();
            long earned = quote.earning().totalPoints();
            PointsWallet wallet = earned > 0
                    ? spent.wallet().earn(orderId, earned, quote.storeLocalDate(), rules.expiry())
                    : spent.wallet();
            long storedValueFen = TenderValidation.sumOf(settled.tenders(),
                    TenderKind.STORED_VALUE);
            long lifetime = Math.addExact(member.lifetimeEarnedPoints(), earned);
            Tier current = rules.tiers().find(member.tierName())
                    .orElseGet(() -> rules.tiers().tierFor(member.lifetimeEarnedPoints()));
            Tier after = Tiers.afterEarning(rules.tiers(), current, lifetime);
            memberAfter = Optional.of(member.withPoints(wallet)
                    .withStoredValueFen(member.storedValueFen() - storedValueFen)
                    .withTier(after.name(), lifetime)
                    .withOrderCompleted(quote.storeLocalDate()));
        }
        long linePoints = 0;
        for (LineEarning earning : quote.earning().lines()) {
            linePoints += earning.points();
        }
        Sale sale = new Sale(orderId, quote.storeId(), quote.at(),
                quote.member().map(MemberSnapshot::memberId), lines, settled.tenders(),
                quote.earning().totalPoints() - linePoints, redeemed, draws, pointsRedeemed,
                quote.redemption().pointsPerYuan());
        return Decision.accept(new CompletedSale(sale, quote, settled, memberAfter, redeemed));
    }
}
