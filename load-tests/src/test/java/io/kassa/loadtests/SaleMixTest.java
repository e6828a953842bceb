package io.kassa.loadtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kassa.peripherals.scanner.PaymentCodeScanner;
import io.kassa.peripherals.scanner.Wallet;
import io.kassa.protocol.v1.AppliedCoupon;
import io.kassa.protocol.v1.MemberSummary;
import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The load mix is what the load report claims it is — about 70% member sales, 20% with
 * points, 15% split tender, 10% paid by a scanned code of a wallet its prefix routes to, 2%
 * refunded — and
 * every drawn sale's tenders settle its quote exactly; checked over 100,000 seeded draws.
 */
class SaleMixTest {

    @Test
    void drawsMatchTheAdvertisedMixAndTendersSettleTheQuote() {
        SplittableRandom random = new SplittableRandom(11);
        int draws = 100_000;
        int members = 0;
        int points = 0;
        int splits = 0;
        int codes = 0;
        int refunds = 0;
        PaymentCodeScanner scanner = new PaymentCodeScanner(3);
        for (int sale = 0; sale < draws; sale++) {
            SaleMix.Draw draw = SaleMix.draw(random, 500, scanner);
            members += draw.memberCode().isEmpty() ? 0 : 1;
            points += draw.pointsWish() > 0 ? 1 : 0;
            splits += draw.split() ? 1 : 0;
            codes += draw.scannedCode() ? 1 : 0;
            refunds += draw.refund() ? 1 : 0;
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
                if (!tender.getPaymentCode().isEmpty()) {
                    // The code's prefix routes it to the channel its tender type names.
                    Wallet wallet = switch (tender.getType()) {
                        case WECHAT_PAY -> Wallet.WECHAT_PAY;
                        case ALIPAY -> Wallet.ALIPAY;
                        case UNIONPAY_QR -> Wallet.UNIONPAY;
                        default -> throw new AssertionError("a code on " + tender.getType());
                    };
                    assertThat(wallet.accepts(tender.getPaymentCode())).isTrue();
                }
            }
            assertThat(SaleMix.paysByCode(tenders)).isEqualTo(draw.scannedCode());
        }
        assertThat(members / (double) draws).isCloseTo(0.70, within(0.01));
        assertThat(points / (double) draws).isCloseTo(0.20, within(0.01));
        assertThat(splits / (double) draws).isCloseTo(0.15, within(0.01));
        assertThat(codes / (double) draws).isCloseTo(0.10, within(0.01));
        assertThat(refunds / (double) draws).isCloseTo(0.02, within(0.005));
    }

    @Test
    void memberCodesAreTheDemoMembersFourDigitCodes() {
        for (int number : new int[] {1, 9, 42, 999, 1000, 9999, 12345}) {
            assertThat(SaleMix.memberCode(number))
                    .isEqualTo(String.format("member-%04d", number));
        }
        assertThat(SaleMix.memberCode(7)).isEqualTo("member-0007");
    }

    @Test
    void withoutPaymentChannelsNoSaleScansACode() {
        SplittableRandom random = new SplittableRandom(7);
        PaymentCodeScanner scanner = new PaymentCodeScanner(7);
        for (int sale = 0; sale < 1_000; sale++) {
            assertThat(SaleMix.draw(random, 100, scanner, 0, code -> false).scannedCode())
                    .isFalse();
        }
    }

    @Test
    void aMemberAtAnotherTillIsNotDrawnAgain() {
        SplittableRandom random = new SplittableRandom(9);
        PaymentCodeScanner scanner = new PaymentCodeScanner(9);
        java.util.Set<String> busy = new java.util.HashSet<>();
        for (int sale = 0; sale < 2_000; sale++) {
            SaleMix.Draw draw = SaleMix.draw(random, 20, scanner, 10, 2, busy::contains);
            if (!draw.memberCode().isEmpty()) {
                assertThat(busy.add(draw.memberCode())).as(draw.memberCode()).isTrue();
            }
            if (busy.size() == 20) {
                busy.clear(); // every member is at a till: those sales went anonymous
            }
        }
        // With every member busy, the sale goes anonymous rather than waiting.
        java.util.Set<String> everyone = new java.util.HashSet<>();
        for (int member = 1; member <= 20; member++) {
            everyone.add(String.format("member-%04d", member));
        }
        for (int sale = 0; sale < 100; sale++) {
            assertThat(SaleMix.draw(random, 20, scanner, 10, everyone::contains).memberCode())
                    .isEmpty();
        }
    }

    @Test
    void aSaleCountsAsEveryKindItTurnedOutToBe() {
        QuoteResponse quote = QuoteResponse.newBuilder().setPayableFen(10_000)
                .setPointsAmountFen(1_000)
                .setMember(MemberSummary.newBuilder().setStoredValueFen(50_000))
                .addAppliedCoupons(AppliedCoupon.newBuilder().setCouponId("c1")).build();
        SaleMix.Draw draw = new SaleMix.Draw("member-0001", SaleMix.POINTS_WISH_ALL, true, false,
                new SaleMix.PaymentCode(TenderType.ALIPAY, "2812345678901234"), false);
        List<Tender> tenders = SaleMix.tenders(draw, quote, 1);
        assertThat(tenders).extracting(Tender::getType).containsExactly(TenderType.POINTS,
                TenderType.STORED_VALUE, TenderType.ALIPAY);
        assertThat(SaleMix.kinds(quote, tenders)).containsExactly(SaleMix.Kind.MEMBER,
                SaleMix.Kind.COUPON, SaleMix.Kind.POINTS, SaleMix.Kind.SPLIT,
                SaleMix.Kind.USERPAYING);
        QuoteResponse anonymous = QuoteResponse.newBuilder().setPayableFen(500).build();
        List<Tender> cash = SaleMix.tenders(new SaleMix.Draw("", 0, false, false, null, false),
                anonymous, 2);
        assertThat(cash).extracting(Tender::getType).containsExactly(TenderType.CASH);
        assertThat(SaleMix.kinds(anonymous, cash)).isEmpty();
    }

    @Test
    void withoutMembersEverySaleIsAnonymous() {
        SplittableRandom random = new SplittableRandom(5);
        for (int sale = 0; sale < 1_000; sale++) {
            SaleMix.Draw draw = SaleMix.draw(random, 0, new PaymentCodeScanner(5));
            assertThat(draw.memberCode()).isEmpty();
            assertThat(draw.pointsWish()).isZero();
        }
    }
}
