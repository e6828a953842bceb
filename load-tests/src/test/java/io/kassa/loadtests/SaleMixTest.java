package io.kassa.loadtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kassa.protocol.v1.MemberSummary;
import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The load mix is what the load report claims it is — about 70% member sales, 20% with
 * points, 15% split tender — and every drawn sale's tenders settle its quote exactly; checked
 * over 100,000 seeded draws.
 */
class SaleMixTest {

    @Test
    void drawsMatchTheAdvertisedMixAndTendersSettleTheQuote() {
        SplittableRandom random = new SplittableRandom(11);
        int draws = 100_000;
        int members = 0;
        int points = 0;
        int splits = 0;
        for (int sale = 0; sale < draws; sale++) {
            SaleMix.Draw draw = SaleMix.draw(random, 500);
            members += draw.memberCode().isEmpty() ? 0 : 1;
            points += draw.pointsWish() > 0 ? 1 : 0;
            splits += draw.split() ? 1 : 0;
            long payable = 100 + random.nextInt(50_000);
            long pointsFen = draw.pointsWish() > 0 ? payable / 5 : 0;
            QuoteResponse.Builder quote = QuoteResponse.newBuilder().setPayableFen(payable)
                    .setPointsAmountFen(pointsFen);
            if (!draw.memberCode().isEmpty()) {
                quote.setMember(MemberSummary.newBuilder().setStoredValueFen(10_000));
            }
            List<Tender> tenders = SaleMix.tenders(draw, quote.build(), sale);
            assertThat(tenders.stream().mapToLong(Tender::getAmountFen).sum()).isEqualTo(payable);
            for (Tender tender : tenders) {
                if (tender.getType() == TenderType.BANK_CARD) {
                    assertThat(tender.getApprovalCode()).isNotBlank();
                }
                if (tender.getType() == TenderType.STORED_VALUE) {
                    assertThat(tender.getAmountFen()).isLessThanOrEqualTo(10_000);
                }
            }
        }
        assertThat(members / (double) draws).isCloseTo(0.70, within(0.01));
        assertThat(points / (double) draws).isCloseTo(0.20, within(0.01));
        assertThat(splits / (double) draws).isCloseTo(0.15, within(0.01));
    }

    @Test
    void withoutMembersEverySaleIsAnonymous() {
        SplittableRandom random = new SplittableRandom(5);
        for (int sale = 0; sale < 1_000; sale++) {
            SaleMix.Draw draw = SaleMix.draw(random, 0);
            assertThat(draw.memberCode()).isEmpty();
            assertThat(draw.pointsWish()).isZero();
        }
    }
}
