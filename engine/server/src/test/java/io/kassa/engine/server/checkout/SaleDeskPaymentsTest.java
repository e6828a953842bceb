package io.kassa.engine.server.checkout;

import static io.kassa.engine.server.checkout.PaymentFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.gateways.PayRequest;
import io.kassa.engine.server.gateways.PayResult;
import io.kassa.engine.server.gateways.PaymentChannel;
import io.kassa.engine.server.gateways.QueryResult;
import io.kassa.engine.server.gateways.RefundRequest;
import io.kassa.engine.server.gateways.RefundResult;
import io.kassa.engine.server.gateways.ReverseResult;
import io.kassa.engine.server.postgres.PgSaleVoids;
import io.kassa.peripherals.gateway.GatewaySimulatorOptions;
import io.kassa.peripherals.gateway.TradePlan;
import io.kassa.peripherals.scanner.Wallet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Payment status and void of a sale whose scanned-code payment is in flight, against the real
 * gateway simulator, PostgreSQL and Redis: the void fences the sale, gives the customer's money
 * back through the orchestration's reverse, releases the member's hold, and the checkout still
 * waiting ends failed; nothing is committed and nothing stays charged.
 */
class SaleDeskPaymentsTest {

    /** The channel answers a pay call this late: the window in which the sale is pending. */
    private static final long PAY_ANSWER_DELAY_SECONDS = 3;

    private static PaymentFixture fixture;
    private static SaleDesk desk;

    @BeforeAll
    static void start() throws Exception {
        fixture = new PaymentFixture(new GatewaySimulatorOptions(), Duration.ofSeconds(10),
                SlowPayAnswers::new, intents -> intents);
        desk = new SaleDesk(fixture.ledger, new PgSaleVoids(fixture.pool, PaymentFixture.CLOCK),
                fixture.directory, fixture.balances);
        desk.enablePayments(fixture.orchestrator);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void voidWhileTheCustomerPaysGivesTheMoneyBackAndReleasesTheHold() throws Exception {
        String memberId = fixture.member(10_000);
        String saleId = "V-" + UUID.randomUUID().toString().substring(0, 8);
        SaleKey key = new SaleKey("S001", "T1", saleId);
        String code = fixture.scanner.next(Wallet.WECHAT_PAY);
        fixture.simulator.plan(code, TradePlan.success());

        Future<CheckoutOutcome> checkout = fixture.buy(saleId, 5_000,
                Optional.of("code-" + memberId),
                List.of(PaymentFixture.tender(TenderKind.STORED_VALUE, 2_000),
                        PaymentFixture.tender(TenderKind.WECHAT_PAY, 3_000)),
                List.of("", code));
        await().atMost(Duration.ofSeconds(30)).until(() -> !fixture.intentsOf(saleId).isEmpty()
                && fixture.intentsOf(saleId).get(0).state() == IntentState.SENT);

        SaleStatus pending = await(desk.status(key));
        assertThat(pending.state()).isEqualTo(SaleStatus.State.PAYMENT_PENDING);
        assertThat(pending.payments()).singleElement()
                .satisfies(intent -> assertThat(intent.amountFen()).isEqualTo(3_000));
        assertThat(await(fixture.balances.read(memberId)).orElseThrow().storedValueHeldFen())
                .isEqualTo(2_000);

        VoidOutcome voided = await(desk.voidSale(key, Optional.of("code-" + memberId),
                "customer left"));

        assertThat(voided).isInstanceOfSatisfying(VoidOutcome.Voided.class, done -> {
            assertThat(done.replayed()).isFalse();
            assertThat(done.payments()).singleElement().satisfies(intent ->
                    assertThat(intent.state()).isIn(IntentState.REVERSING,
                            IntentState.REVERSED, IntentState.REFUNDED));
        });
        // The hold is released at once: the member can spend the stored value again.
        MemberBalances.HotMember member = await(fixture.balances.read(memberId)).orElseThrow();
        assertThat(member.storedValueHeldFen()).isZero();
        assertThat(member.storedValueFen()).isEqualTo(10_000);
        // The checkout that was waiting for the customer ends failed, never committed.
        assertThat(await(checkout)).isInstanceOfAny(CheckoutOutcome.PaymentFailed.class,
                CheckoutOutcome.Abandoned.class);
        assertThat(fixture.committed(saleId)).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> !fixture.charged(saleId)
                && fixture.intentsOf(saleId).get(0).state().isFinal());
        // The channel had the trade (the customer paid at once); it holds no money of it now.
        assertThat(fixture.trades(saleId)).hasSize(1);

        SaleStatus after = await(desk.status(key));
        assertThat(after.state()).isEqualTo(SaleStatus.State.VOIDED);
        VoidOutcome again = await(desk.voidSale(key, Optional.empty(), ""));
        assertThat(((VoidOutcome.Voided) again).replayed()).isTrue();
        // Nothing of the sale reached the books: it is a fence, and the member's balance in
        // PostgreSQL is untouched.
        assertThat(fixture.count("select count(*) from sales_order o where sale_id = '" + saleId
                + "' and status = 'ABANDONED' and not exists (select 1 from order_tender t"
                + " where t.order_id = o.order_id) and not exists (select 1 from"
                + " ledger_transaction x where x.order_id = o.order_id)")).isEqualTo(1);
        assertThat(fixture.count("select balance_fen from stored_value_balance where member_id"
                + " = '" + memberId + "'")).isEqualTo(10_000);
    }

    @Test
    void aDeclinedPaymentIsFailedNotPendingAndItsVoidChargesNothing() throws Exception {
        String saleId = "D-" + UUID.randomUUID().toString().substring(0, 8);
        SaleKey key = new SaleKey("S001", "T1", saleId);
        String code = fixture.scanner.next(Wallet.WECHAT_PAY);
        fixture.simulator.plan(code, TradePlan.failure("NOTENOUGH"));

        assertThat(await(fixture.buyWithCode(saleId, 1_800, TenderKind.WECHAT_PAY, code)))
                .isInstanceOf(CheckoutOutcome.PaymentFailed.class);

        assertThat(await(desk.status(key)).state()).isEqualTo(SaleStatus.State.FAILED);
        VoidOutcome voided = await(desk.voidSale(key, Optional.empty(), ""));
        assertThat(((VoidOutcome.Voided) voided).payments()).singleElement()
                .satisfies(intent -> assertThat(intent.state()).isEqualTo(IntentState.FAILED));
        assertThat(await(desk.status(key)).state()).isEqualTo(SaleStatus.State.VOIDED);
        assertThat(fixture.charged(saleId)).isFalse();
    }

    /** The real channel, whose answers to pay calls arrive a few seconds late. */
    private static final class SlowPayAnswers implements PaymentChannel {
        private final PaymentChannel delegate;

        SlowPayAnswers(PaymentChannel delegate) {
            this.delegate = delegate;
        }

        @Override
        public io.kassa.engine.core.channel.ChannelId id() {
            return delegate.id();
        }

        @Override
        public Future<PayResult> pay(PayRequest request) {
            return delegate.pay(request).compose(answer -> Vertx.currentContext().owner()
                    .timer(PAY_ANSWER_DELAY_SECONDS, TimeUnit.SECONDS).map(answer));
        }

        @Override
        public Future<QueryResult> query(String outTradeNo) {
            return delegate.query(outTradeNo);
        }

        @Override
        public Future<ReverseResult> reverse(String outTradeNo) {
            return delegate.reverse(outTradeNo);
        }

        @Override
        public Future<RefundResult> refund(RefundRequest request) {
            return delegate.refund(request);
        }
    }
}
