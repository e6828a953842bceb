package io.kassa.engine.server.checkout;

import static io.kassa.engine.server.checkout.RefundFixture.await;
import static io.kassa.engine.server.checkout.RefundFixture.refund;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.checkout.RefundReceipt.TenderReceipt;
import io.kassa.engine.server.checkout.RefundReceipt.TenderState;
import io.kassa.engine.server.checkout.SaleRefundOutcome.Reason;
import io.kassa.peripherals.gateway.GatewaySimulator;
import io.kassa.peripherals.gateway.TradeSnapshot;
import io.kassa.peripherals.scanner.Wallet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Refunds of committed sales, whole and per line, through the real refund service on real
 * PostgreSQL and Redis and the gateway simulator's refund APIs: DOMAIN.md's worked example to
 * the fen and the point, retries that refund once, refusals of what is not left, a channel
 * refund left unknown and resolved by the janitor; after each, the ledger's invariants hold and
 * Redis equals PostgreSQL.
 */
class SaleRefundsTest {

    private static RefundFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new RefundFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @AfterEach
    void invariantsHold() throws Exception {
        fixture.simulator.setOutage(GatewaySimulator.Outage.NONE);
        await(fixture.relay.relayOnce(Duration.ZERO));
        assertThat(fixture.violations()).isEmpty();
        assertThat(await(fixture.reconciler.reconcileAll())).isEmpty();
    }

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    private static CheckoutOutcome.Committed committed(CheckoutOutcome outcome) {
        assertThat(outcome).isInstanceOf(CheckoutOutcome.Committed.class);
        return (CheckoutOutcome.Committed) outcome;
    }

    private static RefundReceipt refunded(SaleRefundOutcome outcome) {
        assertThat(outcome).isInstanceOf(SaleRefundOutcome.Refunded.class);
        return ((SaleRefundOutcome.Refunded) outcome).receipt();
    }

    private static void assertRefused(SaleRefundOutcome outcome, Reason reason) {
        assertThat(outcome).isInstanceOfSatisfying(SaleRefundOutcome.Refused.class,
                refused -> assertThat(refused.reason()).isEqualTo(reason));
    }

    private static TradeSnapshot wechatTrade(String saleId) {
        return fixture.simulator.trades().stream()
                .filter(trade -> trade.outTradeNo().equals(reference(saleId, 3)))
                .findFirst().orElseThrow();
    }

    private static String reference(String saleId, int tenderNumber) {
        try (var connection = io.kassa.engine.server.testing.TestServices.jdbc(fixture.schema);
                var statement = connection.createStatement();
                var rows = statement.executeQuery("select t.reference from order_tender t"
                        + " join sales_order o using (order_id) where o.sale_id = '" + saleId
                        + "' and t.tender_number = " + tenderNumber)) {
            rows.next();
            return rows.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void refundOfLineBFollowsTheWorkedExampleAndTheRestReturnsExactlyWhatEachTenderPaid()
            throws Exception {
        String member = fixture.goldMember();
        String sale = id("W");
        CheckoutOutcome.Committed bought = committed(await(
                fixture.buyWorkedExample(member, sale)));
        assertThat(bought.sale().pointsEarned()).isEqualTo(513);
        assertThat(fixture.points(member)).isEqualTo(8_000 - 5_000 + 513);
        assertThat(fixture.storedValue(member)).isEqualTo(20_000);

        RefundReceipt lineB = refunded(await(fixture.refunds.refund(refund(id("R"), sale, 2))));

        assertThat(lineB.lineNumbers()).containsExactly(2);
        assertThat(lineB.refundedFen()).isEqualTo(5_537);
        assertThat(lineB.tenders()).extracting(TenderReceipt::amountFen)
                .containsExactly(1_049L, 2_097L, 2_391L);
        assertThat(lineB.tenders()).extracting(TenderReceipt::state)
                .containsOnly(TenderState.DONE);
        assertThat(lineB.pointsRestored()).isEqualTo(1_049);
        assertThat(lineB.pointsClawedBack()).isEqualTo(67);
        assertThat(lineB.fullRefund()).isFalse();
        assertThat(lineB.couponsRestored()).isEmpty();
        assertThat(fixture.points(member)).isEqualTo(8_000 - 5_000 + 513 + 1_049 - 67);
        assertThat(fixture.storedValue(member)).isEqualTo(20_000 + 2_097);
        assertThat(wechatTrade(sale).refundedFen()).isEqualTo(2_391);
        assertThat(fixture.count("select count(*) from coupon where member_id = '" + member
                + "' and state = 'REDEEMED'")).isEqualTo(1);

        RefundReceipt rest = refunded(await(fixture.refunds.refund(refund(id("R"), sale))));

        assertThat(rest.lineNumbers()).containsExactly(1, 3);
        assertThat(rest.fullRefund()).isTrue();
        assertThat(rest.tenders()).extracting(TenderReceipt::amountFen)
                .containsExactly(5_000L - 1_049, 10_000L - 2_097, 11_400L - 2_391);
        assertThat(rest.pointsRestored()).isEqualTo(5_000 - 1_049);
        assertThat(rest.pointsClawedBack()).isEqualTo(446);
        assertThat(rest.couponsRestored()).containsExactly("cut-" + member);
        assertThat(fixture.points(member)).isEqualTo(8_000);
        assertThat(fixture.storedValue(member)).isEqualTo(30_000);
        assertThat(wechatTrade(sale).refundedFen()).isEqualTo(11_400);
        assertThat(fixture.count("select count(*) from coupon where member_id = '" + member
                + "' and state = 'AVAILABLE'")).isEqualTo(1);
        assertThat(fixture.count("select lifetime_earned_points from member where member_id = '"
                + member + "'")).isEqualTo(20_000);
    }

    @Test
    void wholeRefundOfAMemberSaleGivesEverythingBackInOneStep() throws Exception {
        String member = fixture.goldMember();
        String sale = id("W");
        committed(await(fixture.buyWorkedExample(member, sale)));

        RefundReceipt whole = refunded(await(fixture.refunds.refund(refund(id("R"), sale))));

        assertThat(whole.lineNumbers()).containsExactly(1, 2, 3);
        assertThat(whole.refundedFen()).isEqualTo(26_400);
        assertThat(whole.tenders()).extracting(TenderReceipt::kind).containsExactly(
                TenderKind.POINTS, TenderKind.STORED_VALUE, TenderKind.WECHAT_PAY);
        assertThat(whole.tenders()).extracting(TenderReceipt::amountFen)
                .containsExactly(5_000L, 10_000L, 11_400L);
        assertThat(whole.pointsRestored()).isEqualTo(5_000);
        assertThat(whole.pointsClawedBack()).isEqualTo(513);
        assertThat(fixture.points(member)).isEqualTo(8_000);
        assertThat(fixture.storedValue(member)).isEqualTo(30_000);
        assertThat(wechatTrade(sale).refundedFen()).isEqualTo(11_400);
        assertThat(fixture.count("select count(*) from ledger_transaction where kind = 'REFUND'"
                + " and transaction_id = '" + whole.refundUuid() + "'")).isEqualTo(1);
    }

    @Test
    void aRetriedRefundAnswersTheSameAndRefundsOnceAtTheChannel() throws Exception {
        String sale = id("N");
        committed(await(fixture.buyWithCode(sale, Wallet.ALIPAY, TenderKind.ALIPAY)));
        RefundCommand command = refund(id("R"), sale, 2);

        List<SaleRefundOutcome> concurrent = await(io.vertx.core.Future.all(
                fixture.refunds.refund(command), fixture.refunds.refund(command))
                .map(all -> List.<SaleRefundOutcome>of(all.resultAt(0), all.resultAt(1))));
        SaleRefundOutcome later = await(fixture.refunds.refund(command));

        RefundReceipt first = refunded(concurrent.get(0));
        assertThat(refunded(concurrent.get(1))).isEqualTo(first);
        assertThat(refunded(later)).isEqualTo(first);
        assertThat(((SaleRefundOutcome.Refunded) later).replayed()).isTrue();
        assertThat(first.refundedFen()).isEqualTo(1_701);
        assertThat(first.tenders()).singleElement().satisfies(tender -> {
            assertThat(tender.amountFen()).isEqualTo(1_701);
            assertThat(tender.state()).isEqualTo(TenderState.DONE);
        });
        assertThat(fixture.count("select count(*) from sale_refund where refund_id = '"
                + command.key().refundId() + "'")).isEqualTo(1);
        assertThat(fixture.count("select count(*) from payment_refund where refund_uuid = '"
                + first.refundUuid() + "'")).isEqualTo(1);
        TradeSnapshot trade = fixture.simulator.trades().stream()
                .filter(t -> t.outTradeNo().equals(reference(sale, 1))).findFirst()
                .orElseThrow();
        assertThat(trade.refundedFen()).isEqualTo(1_701);
    }

    @Test
    void aRefundIdReusedForOtherLinesOrAnotherSaleIsAConflict() throws Exception {
        String sale = id("N");
        String other = id("N");
        committed(await(fixture.buyWithCode(sale, Wallet.UNIONPAY, TenderKind.UNIONPAY_QR)));
        committed(await(fixture.buyWithCode(other, Wallet.UNIONPAY, TenderKind.UNIONPAY_QR)));
        String refundId = id("R");
        refunded(await(fixture.refunds.refund(refund(refundId, sale, 1))));

        assertRefused(await(fixture.refunds.refund(refund(refundId, sale, 2))),
                Reason.REFUND_CONFLICT);
        assertRefused(await(fixture.refunds.refund(refund(refundId, sale))),
                Reason.REFUND_CONFLICT);
        assertRefused(await(fixture.refunds.refund(refund(refundId, other, 1))),
                Reason.REFUND_CONFLICT);
        assertThat(fixture.count("select count(*) from sale_refund_line l join sales_order o"
                + " using (order_id) where o.sale_id = '" + sale + "'")).isEqualTo(1);
    }

    @Test
    void aRefundBeyondWhatIsLeftIsRefusedAndRefundsNothing() throws Exception {
        String sale = id("N");
        committed(await(fixture.buyWithCode(sale, Wallet.WECHAT_PAY, TenderKind.WECHAT_PAY)));
        refunded(await(fixture.refunds.refund(refund(id("R"), sale, 1))));

        assertRefused(await(fixture.refunds.refund(refund(id("R"), sale, 1))),
                Reason.REFUND_EXCEEDS_SALE);
        assertRefused(await(fixture.refunds.refund(refund(id("R"), sale, 1, 2))),
                Reason.REFUND_EXCEEDS_SALE);
        assertRefused(await(fixture.refunds.refund(refund(id("R"), sale, 7))),
                Reason.REFUND_EXCEEDS_SALE);
        assertRefused(await(fixture.refunds.refund(refund(id("R"), id("missing"), 1))),
                Reason.ORDER_NOT_FOUND);
        refunded(await(fixture.refunds.refund(refund(id("R"), sale))));
        assertRefused(await(fixture.refunds.refund(refund(id("R"), sale))),
                Reason.REFUND_EXCEEDS_SALE);

        TradeSnapshot trade = fixture.simulator.trades().stream()
                .filter(t -> t.outTradeNo().equals(reference(sale, 1))).findFirst()
                .orElseThrow();
        assertThat(trade.refundedFen()).isEqualTo(trade.amountFen());
        assertThat(fixture.count("select count(*) from sale_refund r join sales_order o using"
                + " (order_id) where o.sale_id = '" + sale + "'")).isEqualTo(2);
    }

    @Test
    void aChannelRefundLeftUnknownIsAskedAgainByTheJanitorAndRefundsOnce() throws Exception {
        String sale = id("N");
        committed(await(fixture.buyWithCode(sale, Wallet.WECHAT_PAY, TenderKind.WECHAT_PAY)));
        fixture.simulator.setOutage(GatewaySimulator.Outage.SERVER_ERROR);
        RefundCommand command = refund(id("R"), sale);

        RefundReceipt pending = refunded(await(fixture.refunds.refund(command)));

        assertThat(pending.tenders()).singleElement().satisfies(tender ->
                assertThat(tender.state()).isEqualTo(TenderState.PENDING));
        assertThat(fixture.count("select count(*) from payment_refund where refund_uuid = '"
                + pending.refundUuid() + "' and state = 'requested'")).isEqualTo(1);
        TradeSnapshot before = fixture.simulator.trades().stream()
                .filter(t -> t.outTradeNo().equals(reference(sale, 1))).findFirst()
                .orElseThrow();
        assertThat(before.refundedFen()).isZero();
        // Not yet due: the janitor leaves it alone.
        assertThat(await(fixture.janitor(Duration.ZERO).sweepOnce()).channelRefundsAsked())
                .isZero();

        fixture.simulator.setOutage(GatewaySimulator.Outage.NONE);
        RefundJanitor.Sweep sweep = await(fixture.janitor(Duration.ofMinutes(5)).sweepOnce());

        assertThat(sweep.channelRefundsAsked()).isEqualTo(1);
        SaleRefundOutcome replay = await(fixture.refunds.refund(command));
        assertThat(refunded(replay).tenders()).singleElement().satisfies(tender ->
                assertThat(tender.state()).isEqualTo(TenderState.DONE));
        TradeSnapshot after = fixture.simulator.trades().stream()
                .filter(t -> t.outTradeNo().equals(reference(sale, 1))).findFirst()
                .orElseThrow();
        assertThat(after.refundedFen()).isEqualTo(after.amountFen());
        // Asked again once resolved: nothing more happens at the channel.
        assertThat(await(fixture.janitor(Duration.ofMinutes(10)).sweepOnce())
                .channelRefundsAsked()).isZero();
    }

    @Test
    void aRefundAbandonedBetweenItsHoldAndItsCommitGivesThePointsBack() throws Exception {
        String member = fixture.goldMember();
        String sale = id("W");
        committed(await(fixture.buyWorkedExample(member, sale)));
        long pointsBefore = fixture.points(member);
        // What a refund does before its commit, left there as by a node that died.
        SaleRefundStore.RefundableSale refundable = await(fixture.store.sale(
                new SaleKey(RefundFixture.STORE, "T1", sale))).orElseThrow();
        UUID refundUuid = UUID.randomUUID();
        String holdId = "rf" + refundUuid.toString().replace("-", "");
        RefundCommand command = refund(id("R"), sale, 2);
        java.time.Instant now = RefundFixture.CLOCK.instant();
        assertThat(await(fixture.store.begin(new SaleRefundStore.PendingRefund(refundUuid,
                command.key(), refundable.orderId(), 1, command.fingerprint(),
                refundable.memberId(), holdId, 5_537, now,
                now.plus(SaleRefunds.PENDING_LEASE))))).isTrue();
        String generation = fixture.hotCopy.generation().orElseThrow();
        assertThat(await(fixture.balances.reserveRefund(member, holdId, generation,
                java.util.Map.of(orderLot(member), 67L))))
                .isInstanceOf(RefundBalances.RefundReserve.Reserved.class);
        assertThat(await(fixture.balances.read(member)).orElseThrow().pointsHeld())
                .isEqualTo(67);
        // The refund id is taken while it is pending.
        assertRefused(await(fixture.refunds.refund(command)), Reason.REFUND_PENDING);

        RefundJanitor.Sweep sweep = await(fixture.janitor(Duration.ofMinutes(3)).sweepOnce());

        assertThat(sweep.abandoned()).isEqualTo(1);
        assertThat(await(fixture.balances.read(member)).orElseThrow().pointsHeld()).isZero();
        assertThat(fixture.points(member)).isEqualTo(pointsBefore);
        assertThat(fixture.count("select count(*) from sale_refund where refund_uuid = '"
                + refundUuid + "' and state = 'ABANDONED' and hold_id = ''")).isEqualTo(1);
        // The id is free again, and the refund then goes through.
        RefundReceipt receipt = refunded(await(fixture.refunds.refund(command)));
        assertThat(receipt.pointsClawedBack()).isEqualTo(67);
    }

    private static String orderLot(String member) {
        try (var connection = io.kassa.engine.server.testing.TestServices.jdbc(fixture.schema);
                var statement = connection.createStatement();
                var rows = statement.executeQuery("select lot_id from points_lot where"
                        + " member_id = '" + member + "' and order_id is not null")) {
            rows.next();
            return rows.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
