package io.kassa.loadtests;

import io.kassa.peripherals.scanner.PaymentCodeScanner;
import io.kassa.peripherals.scanner.Wallet;
import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The realistic mix of a load run, drawn per sale from a seeded random source: 70% of sales
 * present a member, 20% of all sales pay partly with points (as many as the quote allows),
 * 15% split the rest over stored value and a bank card, 10% pay what is left with a scanned
 * WeChat Pay, Alipay or UnionPay QR code; the others pay by card or in cash. 2% of sales are
 * refunded whole at the same till right after their checkout (a customer bringing the goods
 * back: every tender gets its share back, points and coupons restored).
 *
 * <p>Two parts of the mix are not drawn here, because the terminal cannot choose them:
 * coupons apply by themselves when the member holds one the basket qualifies for (the load
 * report counts how many sales used one), and whether a scanned code asks the customer for a
 * password (USERPAYING) is the payment channel's decision — the gateway simulator's
 * {@code --userpaying-share}, which the benchmark sets to 1 so that every code sale is a
 * USERPAYING one. The code's prefix picks the channel (PAYMENTS.md): 10..15 WeChat Pay, 25..30
 * Alipay, 62 UnionPay.
 */
public final class SaleMix {

    public static final int MEMBER_PERCENT = 70;
    public static final int POINTS_PERCENT = 20;
    public static final int SPLIT_PERCENT = 15;
    public static final int CARD_PERCENT = 50;
    /** The target share of USERPAYING sales; the default of {@code --userpaying}. */
    public static final int USERPAYING_PERCENT = 10;
    /** The share of sales refunded whole after their checkout; default of --refunds. */
    public static final int REFUND_PERCENT = 2;
    /** The target share of sales with coupons: reported, not drawn (see above). */
    public static final int COUPON_PERCENT_TARGET = 40;

    /** A points wish larger than any balance: "as many as the quote allows". */
    static final long POINTS_WISH_ALL = 1_000_000_000L;

    private SaleMix() {
    }

    /** A scanned payment code and the tender type its wallet pays as. */
    public record PaymentCode(TenderType type, String code) {
    }

    /**
     * One sale's draw.
     *
     * @param paymentCode the code that pays what is left after points and stored value, or
     *     null when a bank card or cash does
     * @param refund whether the sale is refunded whole after its checkout
     */
    public record Draw(String memberCode, long pointsWish, boolean split, boolean card,
            PaymentCode paymentCode, boolean refund) {

        public boolean scannedCode() {
            return paymentCode != null;
        }
    }

    /** Tries at drawing a member not already at another till before the sale goes anonymous. */
    static final int MEMBER_TRIES = 8;

    /** A draw with the shares; {@code members} 0 means anonymous sales only. */
    public static Draw draw(SplittableRandom random, int members, PaymentCodeScanner scanner) {
        return draw(random, members, scanner, USERPAYING_PERCENT, REFUND_PERCENT,
                code -> false);
    }

    /** A draw without refunds (for runs that do not refund). */
    public static Draw draw(SplittableRandom random, int members, PaymentCodeScanner scanner,
            int userPayingPercent, Predicate<String> memberBusy) {
        return draw(random, members, scanner, userPayingPercent, 0, memberBusy);
    }

    /**
     * @param userPayingPercent share of sales paying by scanned code, 0..100 (0 for an engine
     *     without payment channels)
     * @param refundPercent share of sales refunded whole after their checkout, 0..100
     * @param memberBusy whether a member is in a sale at another till now: a person is at one
     *     till at a time, and two concurrent sales of one member race for the same coupons and
     *     points (the later checkout no longer matches its quote: TENDER_MISMATCH), which is a
     *     test of that race, not of a busy hour
     */
    public static Draw draw(SplittableRandom random, int members, PaymentCodeScanner scanner,
            int userPayingPercent, int refundPercent, Predicate<String> memberBusy) {
        boolean member = members > 0 && random.nextInt(100) < MEMBER_PERCENT;
        String code = "";
        for (int attempt = 0; member && code.isEmpty() && attempt < MEMBER_TRIES; attempt++) {
            String drawn = memberCode(1 + random.nextInt(members));
            code = memberBusy.test(drawn) ? "" : drawn;
        }
        member = !code.isEmpty();
        // 20% of all sales use points: of the 70% with a member, 2 in 7.
        boolean points = member && random.nextInt(MEMBER_PERCENT) < POINTS_PERCENT;
        boolean split = member && random.nextInt(MEMBER_PERCENT) < SPLIT_PERCENT;
        boolean card = random.nextInt(100) < CARD_PERCENT;
        PaymentCode paymentCode = null;
        if (random.nextInt(100) < userPayingPercent) {
            Wallet[] wallets = Wallet.values();
            Wallet wallet = wallets[random.nextInt(wallets.length)];
            paymentCode = new PaymentCode(tenderType(wallet), scanner.next(wallet));
        }
        boolean refund = random.nextInt(100) < refundPercent;
        return new Draw(code, points ? POINTS_WISH_ALL : 0, split, card, paymentCode, refund);
    }

    /**
     * The demo member code of member {@code number}: "member-0042". What
     * {@code String.format("member-%04d", number)} gives, without a formatter per draw (that
     * was a tenth of the generator's CPU).
     */
    static String memberCode(int number) {
        String digits = Integer.toString(number);
        return digits.length() >= 4 ? "member-" + digits
                : "member-" + "0000".substring(digits.length()) + digits;
    }

    static TenderType tenderType(Wallet wallet) {
        return switch (wallet) {
            case WECHAT_PAY -> TenderType.WECHAT_PAY;
            case ALIPAY -> TenderType.ALIPAY;
            case UNIONPAY -> TenderType.UNIONPAY_QR;
        };
    }

    /** The tenders of a drawn sale, settling the quote's payable exactly. */
    public static List<Tender> tenders(Draw draw, QuoteResponse quote, long sequence) {
        List<Tender> tenders = new ArrayList<>(3);
        long left = quote.getPayableFen();
        if (quote.getPointsAmountFen() > 0) {
            tenders.add(Tender.newBuilder().setType(TenderType.POINTS)
                    .setAmountFen(quote.getPointsAmountFen()).build());
            left -= quote.getPointsAmountFen();
        }
        if (draw.split() && quote.hasMember() && left > 1) {
            long storedValue = Math.min(quote.getMember().getStoredValueFen(), left / 2);
            if (storedValue > 0) {
                tenders.add(Tender.newBuilder().setType(TenderType.STORED_VALUE)
                        .setAmountFen(storedValue).build());
                left -= storedValue;
            }
        }
        if (left > 0) {
            if (draw.scannedCode()) {
                tenders.add(Tender.newBuilder().setType(draw.paymentCode().type())
                        .setAmountFen(left).setPaymentCode(draw.paymentCode().code()).build());
            } else if (draw.card() || draw.split()) {
                tenders.add(Tender.newBuilder().setType(TenderType.BANK_CARD).setAmountFen(left)
                        .setApprovalCode("LOAD" + sequence).build());
            } else {
                tenders.add(Tender.newBuilder().setType(TenderType.CASH).setAmountFen(left)
                        .setReceivedFen(left).build());
            }
        }
        return tenders;
    }

    /** Whether these tenders include a scanned code: the sale goes through a payment channel. */
    public static boolean paysByCode(List<Tender> tenders) {
        for (Tender tender : tenders) {
            if (!tender.getPaymentCode().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** What a completed sale turned out to be, for the report's mix line. */
    public enum Kind { MEMBER, COUPON, POINTS, SPLIT, USERPAYING, REFUND }

    /** The kinds a sale with this quote and these tenders counts as. */
    public static List<Kind> kinds(QuoteResponse quote, List<Tender> tenders) {
        List<Kind> kinds = new ArrayList<>(4);
        if (quote.hasMember()) {
            kinds.add(Kind.MEMBER);
        }
        if (quote.getAppliedCouponsCount() > 0) {
            kinds.add(Kind.COUPON);
        }
        boolean storedValue = false;
        for (Tender tender : tenders) {
            if (tender.getType() == TenderType.POINTS) {
                kinds.add(Kind.POINTS);
            }
            storedValue |= tender.getType() == TenderType.STORED_VALUE;
        }
        if (storedValue) {
            kinds.add(Kind.SPLIT);
        }
        if (paysByCode(tenders)) {
            kinds.add(Kind.USERPAYING);
        }
        return kinds;
    }
}
