package io.kassa.peripherals.possim;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.protocol.v1.MemberSummary;
import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The simulated customer's tenders always settle the quote exactly: points only as the quote
 * allows, stored value never beyond the member's balance, a card always with an approval code,
 * cash with the change the engine must compute; checked over many seeded random quotes.
 */
class TenderPlanTest {

    @Test
    void tendersAlwaysSumToThePayableAndRespectTheQuote() {
        Random random = new Random(7);
        int withPoints = 0;
        int withStoredValue = 0;
        int withCard = 0;
        for (int sale = 0; sale < 5_000; sale++) {
            long payable = 1 + random.nextInt(100_000);
            boolean member = random.nextBoolean();
            long pointsFen = member && random.nextBoolean() ? random.nextInt((int) payable / 5 + 1)
                    : 0;
            long storedValue = member ? random.nextInt(50_000) : 0;
            QuoteResponse.Builder quote = QuoteResponse.newBuilder().setPayableFen(payable)
                    .setPointsAmountFen(pointsFen).setPointsToRedeem(pointsFen);
            if (member) {
                quote.setMember(MemberSummary.newBuilder().setStoredValueFen(storedValue));
            }
            List<Tender> tenders = TenderPlan.plan(quote.build(), random,
                    cash -> PosSimulator.roundUpToNote(cash));
            assertThat(tenders.stream().mapToLong(Tender::getAmountFen).sum()).isEqualTo(payable);
            assertThat(tenders).allSatisfy(tender -> assertThat(tender.getAmountFen())
                    .isPositive());
            for (Tender tender : tenders) {
                switch (tender.getType()) {
                    case POINTS -> {
                        assertThat(tender.getAmountFen()).isEqualTo(pointsFen);
                        withPoints++;
                    }
                    case STORED_VALUE -> {
                        assertThat(tender.getAmountFen()).isLessThanOrEqualTo(storedValue);
                        withStoredValue++;
                    }
                    case BANK_CARD -> {
                        assertThat(tender.getApprovalCode()).isNotBlank();
                        withCard++;
                    }
                    case CASH -> assertThat(tender.getReceivedFen())
                            .isGreaterThanOrEqualTo(tender.getAmountFen());
                    default -> throw new AssertionError("unexpected tender " + tender);
                }
            }
            assertThat(TenderPlan.changeFen(tenders)).isNotNegative();
        }
        assertThat(withPoints).isPositive();
        assertThat(withStoredValue).isPositive();
        assertThat(withCard).isPositive();
    }

    @Test
    void anonymousSalesUseNeitherPointsNorStoredValue() {
        Random random = new Random(3);
        for (int sale = 0; sale < 500; sale++) {
            List<Tender> tenders = TenderPlan.plan(QuoteResponse.newBuilder()
                    .setPayableFen(1 + random.nextInt(10_000)).build(), random, cash -> cash);
            assertThat(tenders).extracting(Tender::getType)
                    .doesNotContain(TenderType.POINTS, TenderType.STORED_VALUE);
        }
    }
}
