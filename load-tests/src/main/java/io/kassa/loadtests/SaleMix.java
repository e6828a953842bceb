package io.kassa.loadtests;

import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The realistic mix of a load run, drawn per sale from a seeded random source: 70% of sales
 * present a member, 20% of all sales pay partly with points (as many as the quote allows),
 * 15% split the rest over stored value and a bank card; the others pay by card or in cash.
 * Coupons apply by themselves when the member holds one the basket qualifies for.
 */
final class SaleMix {

    static final int MEMBER_PERCENT = 70;
    static final int POINTS_PERCENT = 20;
    static final int SPLIT_PERCENT = 15;
    static final int CARD_PERCENT = 50;

    /** A points wish larger than any balance: "as many as the quote allows". */
    static final long POINTS_WISH_ALL = 1_000_000_000L;

    private SaleMix() {
    }

    /** One sale's draw. */
    record Draw(String memberCode, long pointsWish, boolean split, boolean card) {
    }

    static Draw draw(SplittableRandom random, int members) {
        boolean member = members > 0 && random.nextInt(100) < MEMBER_PERCENT;
        String code = member ? String.format("member-%04d", 1 + random.nextInt(members)) : "";
        // 20% of all sales use points: of the 70% with a member, 2 in 7.
        boolean points = member && random.nextInt(MEMBER_PERCENT) < POINTS_PERCENT;
        boolean split = member && random.nextInt(MEMBER_PERCENT) < SPLIT_PERCENT;
        return new Draw(code, points ? POINTS_WISH_ALL : 0, split,
                random.nextInt(100) < CARD_PERCENT);
    }

    /** The tenders of a drawn sale, settling the quote's payable exactly. */
    static List<Tender> tenders(Draw draw, QuoteResponse quote, long sequence) {
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
            tenders.add(draw.card() || draw.split()
                    ? Tender.newBuilder().setType(TenderType.BANK_CARD).setAmountFen(left)
                            .setApprovalCode("LOAD" + sequence).build()
                    : Tender.newBuilder().setType(TenderType.CASH).setAmountFen(left)
                            .setReceivedFen(left).build());
        }
        return tenders;
    }
}
