package io.kassa.peripherals.printer;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a receipt says, assembled by the POS from its basket, the quote and the checkout answer.
 * Amounts are fen; names are as printed.
 *
 * @param expiringPoints points expiring soon and when, when the member has any
 * @param nextCoupon the repurchase coupon issued with this sale, e.g. "满100减20 until 12-22"
 */
public record Receipt(
        String storeName, String terminalId, String orderId, ZonedDateTime at,
        List<Line> lines, List<CouponDiscount> coupons, long payableFen, List<Payment> payments,
        long changeFen, Optional<MemberPart> member) {

    public Receipt {
        Objects.requireNonNull(storeName, "storeName");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(at, "at");
        lines = List.copyOf(lines);
        coupons = List.copyOf(coupons);
        payments = List.copyOf(payments);
        Objects.requireNonNull(member, "member");
    }

    public record Line(String name, int quantity, long unitPriceFen, long grossFen,
            long discountFen) {
    }

    public record CouponDiscount(String description, long discountFen) {
    }

    public record Payment(String tender, long amountFen) {
    }

    public record MemberPart(String maskedMemberCode, String tier, long pointsEarned,
            long pointsRedeemed, long pointsBalance, Optional<String> expiringPoints,
            Optional<String> nextCoupon) {
    }
}
