package io.kassa.engine.core;

import static io.kassa.engine.core.DemoChain.coupon;
import static io.kassa.engine.core.DemoChain.templateById;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.quote.Quote;
import io.kassa.engine.core.quote.QuoteEngine;
import io.kassa.engine.core.quote.QuoteRequest;
import io.kassa.engine.core.refund.RefundOutcome;
import io.kassa.engine.core.refund.RefundRequest;
import io.kassa.engine.core.refund.RefundState;
import io.kassa.engine.core.refund.Refunds;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.sale.Checkout;
import io.kassa.engine.core.sale.CompletedSale;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Pins the worked example of DOMAIN.md to the fen and the point: the quote, the sale and the
 * refund of line B, by running the real entry points on the demo chain.
 */
class WorkedExampleTest {

    private final ChainRules rules = DemoChain.rules();
    private final MemberSnapshot gold = DemoChain.member("GOLD", 20_000, 8_000, 30_000);

    private QuoteRequest request(long pointsWish) {
        return new QuoteRequest(DemoChain.STORE, DemoChain.WEDNESDAY,
                DemoChain.workedExampleBasket(), Optional.of(gold),
                List.of(coupon("CUT", templateById("cut-100-20"), Optional.of("M1"))),
                pointsWish);
    }

    private static List<Tender> tenders() {
        return List.of(tender(TenderKind.POINTS, 5_000), tender(TenderKind.STORED_VALUE, 10_000),
                tender(TenderKind.WECHAT_PAY, 11_400));
    }

    static Tender tender(TenderKind kind, long fen) {
        return new Tender(kind, Money.fen(fen), Money.fen(fen));
    }

    private static <T> T accepted(Decision<T> decision) {
        assertThat(decision).isInstanceOf(Decision.Accepted.class);
        return ((Decision.Accepted<T>) decision).value();
    }

    @Test
    void couponSpreadsOverEligibleLinesAndCapIsTwentyPercentOfNet() {
        Quote quote = accepted(QuoteEngine.quote(rules, request(5_000)));

        assertThat(quote.basket().lines()).extracting(line -> line.discount().amountMinor())
                .containsExactly(1_537L, 463L, 0L);
        assertThat(quote.basket().lines()).extracting(line -> line.net().amountMinor())
                .containsExactly(18_363L, 5_537L, 2_500L);
        assertThat(quote.payable()).isEqualTo(Money.fen(26_400));
        assertThat(quote.pointsCapAmount()).isEqualTo(Money.fen(5_280));
        assertThat(quote.pointsCapPoints()).isEqualTo(5_280);
        assertThat(quote.pointsToRedeem()).isEqualTo(5_000);
        assertThat(quote.payableAfterPoints()).isEqualTo(Money.fen(21_400));
        assertThat(quote.appliedCoupons()).hasSize(1);
    }

    @Test
    void earnsFiveHundredThirteenPointsAttributedFourForty6AndSixtySeven() {
        Quote quote = accepted(QuoteEngine.quote(rules, request(5_000)));

        assertThat(quote.earning().lines().get(0).exactPoints().toDecimalString(4))
                .isEqualTo("446.5548…");
        assertThat(quote.earning().lines().get(1).exactPoints().toDecimalString(4))
                .isEqualTo("67.3249…");
        assertThat(quote.earning().lines()).extracting(line -> line.points())
                .containsExactly(446L, 67L, 0L);
        assertThat(quote.earning().flooredPoints()).isEqualTo(513);
        assertThat(quote.earning().bonusPoints()).isZero();
        assertThat(quote.pointsToEarn()).isEqualTo(513);
        assertThat(quote.pointsExplanation()).contains("Points earned: 513.")
                .contains("floored once: 513").contains("tier GOLD x3/2")
                .contains("campaign member-day x2").contains("reaches no threshold");
    }

    @Test
    void refundOfLineBGoesBackToTendersAndClawsBackSixtySevenPoints() {
        CompletedSale sale = accepted(Checkout.complete(rules, request(0), tenders(), "O1"));
        MemberSnapshot afterSale = sale.memberAfter().orElseThrow();
        assertThat(afterSale.points().balanceOn(DemoChain.WEDNESDAY.toLocalDate()))
                .isEqualTo(8_000 - 5_000 + 513);
        assertThat(afterSale.storedValueFen()).isEqualTo(20_000);

        RefundOutcome refund = accepted(Refunds.refund(rules, sale.sale(),
                RefundState.none(sale.sale()), RefundRequest.lines(2), Optional.of(afterSale),
                DemoChain.THURSDAY));

        assertThat(refund.refunded()).isEqualTo(Money.fen(5_537));
        assertThat(refund.tenderRefunds()).extracting(tender -> tender.amount().amountMinor())
                .containsExactly(1_049L, 2_097L, 2_391L);
        assertThat(refund.pointsRestored()).isEqualTo(1_049);
        assertThat(refund.pointsClawedBack()).isEqualTo(67);
        assertThat(refund.shortfallPoints()).isZero();
        assertThat(refund.fullRefund()).isFalse();
        assertThat(refund.couponsRestored()).isEmpty();
        assertThat(refund.couponsKeptUsed()).extracting(coupon -> coupon.code())
                .containsExactly("CUT");
        MemberSnapshot afterRefund = refund.memberAfter().orElseThrow();
        assertThat(afterRefund.points().balanceOn(DemoChain.THURSDAY.toLocalDate()))
                .isEqualTo(8_000 - 5_000 + 513 + 1_049 - 67);
        assertThat(afterRefund.storedValueFen()).isEqualTo(20_000 + 2_097);
    }
}
