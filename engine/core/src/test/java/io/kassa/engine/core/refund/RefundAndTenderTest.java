package io.kassa.engine.core.refund;

import static io.kassa.engine.core.DemoChain.line;
import static io.kassa.engine.core.TestSupport.accepted;
import static io.kassa.engine.core.TestSupport.rejectedWith;
import static io.kassa.engine.core.TestSupport.tender;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.DemoChain;
import io.kassa.engine.core.coupon.Coupon;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.points.PointsWallet;
import io.kassa.engine.core.quote.QuoteRequest;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.sale.Checkout;
import io.kassa.engine.core.sale.CompletedSale;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Table-style tests of tender validation and refunds: clawback shortfall charged to the money
 * refund, coupon restore on a full refund only while valid, and partial refunds that sum up.
 */
class RefundAndTenderTest {

    private final ChainRules rules = DemoChain.rules();

    private CompletedSale sale(MemberSnapshot member, List<Tender> tenders, List<Coupon> coupons) {
        return accepted(Checkout.complete(rules, new QuoteRequest(DemoChain.STORE,
                DemoChain.THURSDAY, List.of(line("G1", "general", 30_000, 1),
                        line("G2", "general", 20_000, 1)), Optional.of(member), coupons, 0),
                tenders, "O1"));
    }

    private static MemberSnapshot member(long points, long storedValueFen) {
        return DemoChain.member("NORMAL", 0, points, storedValueFen);
    }

    @Test
    void shortfallOfSpentPointsIsTakenFromTheMoneyRefund() {
        CompletedSale sale = sale(member(0, 0), List.of(tender(TenderKind.CASH, 20_000),
                tender(TenderKind.ALIPAY, 30_000)), List.of());
        assertThat(sale.sale().earnedPoints()).isEqualTo(1_000);
        // The member spends every point (earned 500 + bonus 500) before the refund.
        MemberSnapshot spent = sale.memberAfter().orElseThrow().withPoints(PointsWallet.EMPTY);

        RefundOutcome refund = accepted(Refunds.refund(rules, sale.sale(),
                RefundState.none(sale.sale()), RefundRequest.lines(1), Optional.of(spent),
                DemoChain.THURSDAY.plusDays(1)));

        assertThat(refund.pointsClawedBack()).isEqualTo(300);
        assertThat(refund.shortfallPoints()).isEqualTo(300);
        assertThat(refund.shortfallDeducted()).isEqualTo(Money.fen(300));
        assertThat(refund.tenderRefunds()).extracting(t -> t.share().amountMinor())
                .containsExactly(12_000L, 18_000L);
        assertThat(refund.tenderRefunds()).extracting(t -> t.amount().amountMinor())
                .containsExactly(11_880L, 17_820L);
    }

    @Test
    void fullRefundClawsBackBonusesRestoresPointsAndStillValidCoupons() {
        Coupon cut = DemoChain.coupon("CUT", DemoChain.templateById("cut-100-20"),
                Optional.of("M1"));
        MemberSnapshot before = member(8_000, 50_000);
        CompletedSale sale = sale(before, List.of(tender(TenderKind.POINTS, 5_000),
                tender(TenderKind.STORED_VALUE, 40_000), tender(TenderKind.UNIONPAY_QR, 3_000)),
                List.of(cut));
        assertThat(sale.couponsRedeemed()).extracting(Coupon::used).containsExactly(true);

        RefundOutcome refund = accepted(Refunds.refund(rules, sale.sale(),
                RefundState.none(sale.sale()), RefundRequest.wholeOrder(),
                sale.memberAfter(), DemoChain.THURSDAY.plusDays(2)));

        assertThat(refund.fullRefund()).isTrue();
        assertThat(refund.couponsRestored()).extracting(Coupon::used).containsExactly(false);
        MemberSnapshot after = refund.memberAfter().orElseThrow();
        assertThat(after.points().balanceOn(DemoChain.THURSDAY.toLocalDate())).isEqualTo(8_000);
        assertThat(after.storedValueFen()).isEqualTo(50_000);
    }

    @Test
    void couponExpiredByTheRefundIsNotRestored() {
        Coupon shortLived = new Coupon("CUT", DemoChain.templateById("cut-100-20"),
                Optional.empty(), Instant.parse("2024-01-01T00:00:00Z"),
                Instant.parse("2024-05-20T00:00:00Z"), false);
        CompletedSale sale = sale(member(0, 0), List.of(tender(TenderKind.CASH, 48_000)),
                List.of(shortLived));
        RefundOutcome refund = accepted(Refunds.refund(rules, sale.sale(),
                RefundState.none(sale.sale()), RefundRequest.wholeOrder(), sale.memberAfter(),
                ZonedDateTime.of(2024, 6, 1, 10, 0, 0, 0, DemoChain.SHANGHAI)));
        assertThat(refund.couponsRestored()).isEmpty();
        assertThat(refund.couponsKeptUsed()).hasSize(1);
    }

    @Test
    void refundsLineByLineReturnExactlyWhatEachTenderPaid() {
        CompletedSale sale = sale(member(0, 0), List.of(tender(TenderKind.CASH, 33_333),
                tender(TenderKind.WECHAT_PAY, 16_667)), List.of());
        RefundOutcome first = accepted(Refunds.refund(rules, sale.sale(),
                RefundState.none(sale.sale()), RefundRequest.lines(2), sale.memberAfter(),
                DemoChain.THURSDAY));
        RefundOutcome second = accepted(Refunds.refund(rules, sale.sale(), first.stateAfter(),
                RefundRequest.lines(1), first.memberAfter(), DemoChain.THURSDAY));
        assertThat(second.stateAfter().refundedFenByTender()).containsExactly(33_333L, 16_667L);
        rejectedWith(Refunds.refund(rules, sale.sale(), second.stateAfter(),
                RefundRequest.wholeOrder(), second.memberAfter(), DemoChain.THURSDAY),
                RejectionCode.REFUND_NOTHING_SELECTED);
        rejectedWith(Refunds.refund(rules, sale.sale(), first.stateAfter(),
                RefundRequest.lines(2), first.memberAfter(), DemoChain.THURSDAY),
                RejectionCode.REFUND_LINE_ALREADY_REFUNDED);
        rejectedWith(Refunds.refund(rules, sale.sale(), first.stateAfter(),
                RefundRequest.lines(9), first.memberAfter(), DemoChain.THURSDAY),
                RejectionCode.REFUND_UNKNOWN_LINE);
    }

    @Test
    void tenderSplitsAreValidatedAgainstCapAndBalances() {
        QuoteRequest request = new QuoteRequest(DemoChain.STORE, DemoChain.THURSDAY,
                List.of(line("G1", "general", 50_000, 1)), Optional.of(member(20_000, 10_000)),
                List.of(), 0);
        rejectedWith(Checkout.complete(rules, request, List.of(tender(TenderKind.POINTS, 10_001),
                tender(TenderKind.CASH, 39_999)), "O"), RejectionCode.POINTS_OVER_CAP);
        rejectedWith(Checkout.complete(rules, request.withPointsWish(0), List.of(
                tender(TenderKind.STORED_VALUE, 10_001), tender(TenderKind.CASH, 39_999)), "O"),
                RejectionCode.STORED_VALUE_OVER_BALANCE);
        rejectedWith(Checkout.complete(rules, request, List.of(tender(TenderKind.CASH, 49_999)),
                "O"), RejectionCode.TENDERS_DO_NOT_SUM);
        accepted(Checkout.complete(rules, request, List.of(tender(TenderKind.POINTS, 10_000),
                tender(TenderKind.CASH, 40_000)), "O"));
        QuoteRequest poor = new QuoteRequest(DemoChain.STORE, DemoChain.THURSDAY,
                List.of(line("G1", "general", 50_000, 1)), Optional.of(member(100, 0)),
                List.of(), 0);
        rejectedWith(Checkout.complete(rules, poor, List.of(tender(TenderKind.POINTS, 200),
                tender(TenderKind.CASH, 49_800)), "O"), RejectionCode.POINTS_OVER_BALANCE);
        QuoteRequest anonymous = new QuoteRequest(DemoChain.STORE, DemoChain.THURSDAY,
                List.of(line("G1", "general", 50_000, 1)), Optional.empty(), List.of(), 0);
        rejectedWith(Checkout.complete(rules, anonymous, List.of(
                tender(TenderKind.STORED_VALUE, 50_000)), "O"),
                RejectionCode.STORED_VALUE_WITHOUT_MEMBER);
    }
}
