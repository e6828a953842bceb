package io.kassa.engine.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.engine.core.DemoChain;
import io.kassa.engine.core.coupon.Coupon;
import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.quote.QuoteRequest;
import io.kassa.engine.core.refund.RefundOutcome;
import io.kassa.engine.core.refund.RefundRequest;
import io.kassa.engine.core.refund.RefundState;
import io.kassa.engine.core.refund.Refunds;
import io.kassa.engine.core.sale.Checkout;
import io.kassa.engine.core.sale.CompletedSale;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The posting of a refund reverses the sale's posting of the refunded lines and balances in fen
 * and in points; checked on DOMAIN.md's worked example (refund of line B, then of the rest),
 * whose two refund postings together undo the sale's posting account by account.
 */
class RefundPostingTest {

    private static final MemberSnapshot GOLD = DemoChain.member("GOLD", 20_000, 8_000, 30_000);

    private static <T> T accepted(Decision<T> decision) {
        assertThat(decision).isInstanceOf(Decision.Accepted.class);
        return ((Decision.Accepted<T>) decision).value();
    }

    private static Tender tender(TenderKind kind, long fen) {
        return new Tender(kind, Money.fen(fen), Money.fen(fen));
    }

    private static CompletedSale workedExample() {
        Coupon cut = DemoChain.coupon("CUT", DemoChain.templateById("cut-100-20"),
                Optional.of("M1"));
        QuoteRequest request = new QuoteRequest(DemoChain.STORE, DemoChain.WEDNESDAY,
                DemoChain.workedExampleBasket(), Optional.of(GOLD), List.of(cut), 0);
        return accepted(Checkout.complete(DemoChain.rules(), request,
                List.of(tender(TenderKind.POINTS, 5_000), tender(TenderKind.STORED_VALUE, 10_000),
                        tender(TenderKind.WECHAT_PAY, 11_400)), "O1"));
    }

    private static long sum(List<LedgerEntry> entries, String account, LedgerUnit unit) {
        return entries.stream().filter(entry -> entry.account().path().equals(account)
                && entry.unit() == unit).mapToLong(LedgerEntry::amount).sum();
    }

    @Test
    void refundingEveryLineInTwoStepsUndoesTheSalePostingAccountByAccount() {
        CompletedSale sale = workedExample();
        List<LedgerEntry> salePosting = SalePosting.entries(DemoChain.STORE, Optional.of("M1"),
                sale.quote().basket(), sale.settled(), sale.quote().pointsToEarn(), 5_000);
        RefundOutcome lineB = accepted(Refunds.refund(DemoChain.rules(), sale.sale(),
                RefundState.none(sale.sale()), RefundRequest.lines(2), sale.memberAfter(),
                DemoChain.THURSDAY));
        RefundOutcome rest = accepted(Refunds.refund(DemoChain.rules(), sale.sale(),
                lineB.stateAfter(), RefundRequest.wholeOrder(), lineB.memberAfter(),
                DemoChain.THURSDAY));

        // Line B: gross 60.00, discount 4.63; lines A and C: gross 224.00, discount 15.37.
        List<LedgerEntry> first = RefundPosting.entries(DemoChain.STORE, Optional.of("M1"),
                6_000, 463, lineB);
        List<LedgerEntry> second = RefundPosting.entries(DemoChain.STORE, Optional.of("M1"),
                22_400, 1_537, rest);

        assertThat(sum(first, "store/S001/tender/WECHAT_PAY", LedgerUnit.CNY))
                .isEqualTo(-2_391);
        assertThat(sum(first, "member/M1/stored_value", LedgerUnit.CNY)).isEqualTo(-2_097);
        assertThat(sum(first, "member/M1/points", LedgerUnit.POINTS)).isEqualTo(-1_049 + 67);
        for (String account : List.of("store/S001/tender/WECHAT_PAY",
                "store/S001/tender/POINTS", "member/M1/stored_value", "store/S001/sales",
                "store/S001/discounts")) {
            assertThat(sum(salePosting, account, LedgerUnit.CNY) + sum(first, account,
                    LedgerUnit.CNY) + sum(second, account, LedgerUnit.CNY))
                    .as(account).isZero();
        }
        for (String account : List.of("member/M1/points", "store/S001/points_issued",
                "store/S001/points_redeemed")) {
            assertThat(sum(salePosting, account, LedgerUnit.POINTS) + sum(first, account,
                    LedgerUnit.POINTS) + sum(second, account, LedgerUnit.POINTS))
                    .as(account).isZero();
        }
    }

    @Test
    void grossLessDiscountsThatIsNotTheRefundedNetIsRefused() {
        CompletedSale sale = workedExample();
        RefundOutcome lineB = accepted(Refunds.refund(DemoChain.rules(), sale.sale(),
                RefundState.none(sale.sale()), RefundRequest.lines(2), sale.memberAfter(),
                DemoChain.THURSDAY));

        assertThatThrownBy(() -> RefundPosting.entries(DemoChain.STORE, Optional.of("M1"),
                6_000, 462, lineB)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must equal the refunded net 5537");
        assertThatThrownBy(() -> RefundPosting.entries(DemoChain.STORE, Optional.empty(),
                6_000, 463, lineB)).isInstanceOf(IllegalArgumentException.class);
    }
}
