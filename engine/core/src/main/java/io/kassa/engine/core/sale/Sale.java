package io.kassa.engine.core.sale;

import io.kassa.engine.core.coupon.Coupon;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.points.LotDraw;
import io.kassa.engine.core.tender.Tender;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A completed sale, with what refunds need: lines with their nets and earned points, the
 * tenders in order, bonus points (not attributed to lines), the coupons redeemed, which lots
 * the points tender drew from, and the lot the earned points went to ({@code orderId}).
 *
 * @param pointsPerYuan the redemption rate at the time of the sale
 */
public record Sale(
        String orderId, String storeId, ZonedDateTime at, Optional<String> memberId,
        List<SaleLine> lines, List<Tender> tenders, long bonusPoints, List<Coupon> coupons,
        List<LotDraw> pointsDraws, long pointsRedeemed, long pointsPerYuan) {

    public Sale {
        Objects.requireNonNull(orderId, "orderId");
        lines = List.copyOf(lines);
        tenders = List.copyOf(tenders);
        coupons = List.copyOf(coupons);
        pointsDraws = List.copyOf(pointsDraws);
        long netSum = 0;
        for (SaleLine line : lines) {
            netSum = Math.addExact(netSum, line.net().amountMinor());
        }
        long tenderSum = 0;
        for (Tender tender : tenders) {
            tenderSum = Math.addExact(tenderSum, tender.amount().amountMinor());
        }
        if (netSum != tenderSum) {
            throw new IllegalArgumentException("a sale's tenders settle its lines exactly: "
                    + tenderSum + " != " + netSum);
        }
    }

    public Money net() {
        Money net = Money.zero(lines.get(0).net().currency());
        for (SaleLine line : lines) {
            net = net.plus(line.net());
        }
        return net;
    }

    /** Every point the sale earned: the lines' and the bonuses. */
    public long earnedPoints() {
        long earned = bonusPoints;
        for (SaleLine line : lines) {
            earned = Math.addExact(earned, line.earnedPoints());
        }
        return earned;
    }
}
