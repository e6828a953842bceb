package io.kassa.peripherals.possim;

import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * How a simulated customer pays, decided from the quote the way a cashier would: the points the
 * quote allows when the member wants to use points, some stored value when the member has it,
 * and the rest by bank card or in cash (rounded up to the next note). The tenders always sum to
 * the payable.
 */
final class TenderPlan {

    /** Share of member sales that pay with points, and with stored value, in percent. */
    static final int POINTS_PERCENT = 20;
    static final int STORED_VALUE_PERCENT = 30;
    /** Share of the rest paid by bank card rather than cash, in percent. */
    static final int CARD_PERCENT = 40;

    private TenderPlan() {
    }

    /** What the member asks to pay in points when the quote is requested. */
    static boolean wantsPoints(Random random) {
        return random.nextInt(100) < POINTS_PERCENT;
    }

    /**
     * @param cashReceivedFen given the cash amount, what the customer hands over
     */
    static List<Tender> plan(QuoteResponse quote, Random random,
            java.util.function.LongUnaryOperator cashReceivedFen) {
        List<Tender> tenders = new ArrayList<>(3);
        long left = quote.getPayableFen();
        if (quote.getPointsAmountFen() > 0) {
            tenders.add(Tender.newBuilder().setType(TenderType.POINTS)
                    .setAmountFen(quote.getPointsAmountFen()).build());
            left -= quote.getPointsAmountFen();
        }
        if (quote.hasMember() && left > 1 && random.nextInt(100) < STORED_VALUE_PERCENT) {
            long storedValue = Math.min(quote.getMember().getStoredValueFen(), left / 2);
            if (storedValue > 0) {
                tenders.add(Tender.newBuilder().setType(TenderType.STORED_VALUE)
                        .setAmountFen(storedValue).build());
                left -= storedValue;
            }
        }
        if (left > 0) {
            if (random.nextInt(100) < CARD_PERCENT) {
                tenders.add(Tender.newBuilder().setType(TenderType.BANK_CARD).setAmountFen(left)
                        .setApprovalCode(String.format("AP%08d", random.nextInt(100_000_000)))
                        .build());
            } else {
                tenders.add(Tender.newBuilder().setType(TenderType.CASH).setAmountFen(left)
                        .setReceivedFen(cashReceivedFen.applyAsLong(left)).build());
            }
        }
        return tenders;
    }

    /** The change the engine owes for these tenders. */
    static long changeFen(List<Tender> tenders) {
        long change = 0;
        for (Tender tender : tenders) {
            if (tender.getType() == TenderType.CASH) {
                change += tender.getReceivedFen() - tender.getAmountFen();
            }
        }
        return change;
    }
}
