package io.kassa.engine.server.checkout;

import static io.kassa.engine.server.checkout.PaymentFixture.await;
import static io.kassa.engine.server.checkout.PaymentFixture.tender;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kassa.engine.core.tender.TenderKind;
import io.kassa.peripherals.gateway.GatewaySimulatorOptions;
import io.kassa.peripherals.gateway.TradePlan;
import io.kassa.peripherals.gateway.TradeSnapshot;
import io.kassa.peripherals.scanner.Wallet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drives every path of a checkout with scanned-code tenders through the real gateway simulator
 * (signed HTTP calls, signed notifications to a real callback endpoint) and real PostgreSQL and
 * Redis, and checks after each that the customer is charged exactly when the sale committed.
 */
class PaymentCheckoutTest {

    private static PaymentFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = PaymentFixture.start(new GatewaySimulatorOptions().setNotifications(false));
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static String saleId() {
        return "P-" + UUID.randomUUID().toString().substring(0, 13);
    }

    private static String code(Wallet wallet, TradePlan plan) {
        String code = fixture.scanner.next(wallet);
        fixture.simulator.plan(code, plan);
        return code;
    }

    private static void assertChargedIffCommitted(String saleId) throws Exception {
        assertThat(fixture.charged(saleId)).as("charged").isEqualTo(fixture.committed(saleId));
        for (PaymentIntent intent : fixture.intentsOf(saleId)) {
            assertThat(intent.state().isOpen()).as(intent.outTradeNo() + " open").isFalse();
            assertThat(intent.capturedWithoutSale()).as("captured without sale").isFalse();
        }
    }

    @Test
    void paidAtOnceCommitsTheSaleNamingItsIntent() throws Exception {
        String sale = saleId();
        CheckoutOutcome outcome = await(fixture.buyWithCode(sale, 11_400, TenderKind.WECHAT_PAY,
                code(Wallet.WECHAT_PAY, TradePlan.success())));

        assertThat(outcome).isInstanceOf(CheckoutOutcome.Committed.class);
        List<PaymentIntent> intents = fixture.intentsOf(sale);
        assertThat(intents).singleElement().satisfies(intent -> {
            assertThat(intent.state()).isEqualTo(IntentState.SUCCEEDED);
            assertThat(intent.orderId()).contains(
                    ((CheckoutOutcome.Committed) outcome).sale().orderId());
            assertThat(intent.transactionId()).isNotEmpty();
        });
        assertThat(fixture.count("select count(*) from order_tender where reference = '"
                + intents.get(0).outTradeNo() + "'")).isEqualTo(1);
        assertChargedIffCommitted(sale);
    }

    @Test
    void alipayAndUnionPayPayToo() throws Exception {
        String alipay = saleId();
        String unionPay = saleId();
        assertThat(await(fixture.buyWithCode(alipay, 500, TenderKind.ALIPAY,
                code(Wallet.ALIPAY, TradePlan.success())))).isInstanceOf(
                        CheckoutOutcome.Committed.class);
        assertThat(await(fixture.buyWithCode(unionPay, 700, TenderKind.UNIONPAY_QR,
                code(Wallet.UNIONPAY, TradePlan.success())))).isInstanceOf(
                        CheckoutOutcome.Committed.class);
        assertChargedIffCommitted(alipay);
        assertChargedIffCommitted(unionPay);
    }

    @Test
    void userPayingThenSuccessCommitsAfterQueries() throws Exception {
        String sale = saleId();
        CheckoutOutcome outcome = await(fixture.buyWithCode(sale, 150_000,
                TenderKind.WECHAT_PAY, code(Wallet.WECHAT_PAY, TradePlan.userPaying(400))));

        assertThat(outcome).isInstanceOf(CheckoutOutcome.Committed.class);
        assertThat(fixture.intentsOf(sale).get(0).queryCount()).isPositive();
        assertChargedIffCommitted(sale);
    }

    @Test
    void userPayingUntilTheDeadlineIsReversedAndTheSaleFenced() throws Exception {
        String sale = saleId();
        CheckoutOutcome outcome = await(fixture.buyWithCode(sale, 2_000, TenderKind.WECHAT_PAY,
                code(Wallet.WECHAT_PAY, TradePlan.userPayingForever())));

        assertThat(outcome).isInstanceOfSatisfying(CheckoutOutcome.PaymentFailed.class,
                failed -> assertThat(failed.failure().reason())
                        .isEqualTo(PaymentFailure.Reason.NOT_CONFIRMED));
        assertThat(fixture.intentsOf(sale).get(0).state()).isEqualTo(IntentState.REVERSED);
        assertThat(fixture.count("select count(*) from sales_order where sale_id = '" + sale
                + "' and status = 'ABANDONED'")).isEqualTo(1);
        assertChargedIffCommitted(sale);
    }

    @Test
    void noAnswerToPayThenQueryFindsTheSuccess() throws Exception {
        String sale = saleId();
        CheckoutOutcome outcome = await(fixture.buyWithCode(sale, 3_300, TenderKind.ALIPAY,
                code(Wallet.ALIPAY, TradePlan.success().unanswered())));

        assertThat(outcome).isInstanceOf(CheckoutOutcome.Committed.class);
        assertThat(fixture.intentsOf(sale).get(0).detail()).isNotEmpty();
        assertChargedIffCommitted(sale);
    }

    @Test
    void systemErrorButPaidIsFoundByQuery() throws Exception {
        String sale = saleId();
        CheckoutOutcome outcome = await(fixture.buyWithCode(sale, 990, TenderKind.WECHAT_PAY,
                code(Wallet.WECHAT_PAY, TradePlan.systemErrorButPaid())));
        assertThat(outcome).isInstanceOf(CheckoutOutcome.Committed.class);
        assertChargedIffCommitted(sale);
    }

    @Test
    void reverseThatNeedsSeveralCallsIsRepeatedUntilAnswered() throws Exception {
        String sale = saleId();
        CheckoutOutcome outcome = await(fixture.buyWithCode(sale, 4_100, TenderKind.WECHAT_PAY,
                code(Wallet.WECHAT_PAY, TradePlan.userPayingForever().reverseNeeding(3))));

        assertThat(outcome).isInstanceOf(CheckoutOutcome.PaymentFailed.class);
        TradeSnapshot trade = fixture.trades(sale).get(0);
        assertThat(trade.reverseAttempts()).isGreaterThanOrEqualTo(3);
        assertThat(fixture.intentsOf(sale).get(0).state()).isEqualTo(IntentState.REVERSED);
        assertChargedIffCommitted(sale);
    }

    @Test
    void declinedPaymentAnswersAClearFailure() throws Exception {
        String sale = saleId();
        CheckoutOutcome outcome = await(fixture.buyWithCode(sale, 800, TenderKind.WECHAT_PAY,
                code(Wallet.WECHAT_PAY, TradePlan.failure(null))));

        assertThat(outcome).isInstanceOfSatisfying(CheckoutOutcome.PaymentFailed.class,
                failed -> assertThat(failed.failure().reason())
                        .isEqualTo(PaymentFailure.Reason.DECLINED));
        assertThat(fixture.intentsOf(sale).get(0).state()).isEqualTo(IntentState.FAILED);
        assertChargedIffCommitted(sale);
    }

    @Test
    void aCodeOfAnotherChannelIsRefusedBeforeAnyIntent() throws Exception {
        String sale = saleId();
        CheckoutOutcome outcome = await(fixture.buyWithCode(sale, 800, TenderKind.WECHAT_PAY,
                fixture.scanner.next(Wallet.ALIPAY)));
        assertThat(outcome).isInstanceOfSatisfying(CheckoutOutcome.PaymentFailed.class,
                failed -> assertThat(failed.failure().reason())
                        .isEqualTo(PaymentFailure.Reason.CODE_INVALID));
        assertThat(fixture.intentsOf(sale)).isEmpty();
    }

    @Test
    void splitTenderWithTheSecondDeclinedReversesTheFirstAndReleasesTheHold()
            throws Exception {
        String member = fixture.member(10_000);
        String sale = saleId();
        CheckoutOutcome outcome = await(fixture.buy(sale, 9_000, Optional.of("code-" + member),
                List.of(tender(TenderKind.STORED_VALUE, 3_000),
                        tender(TenderKind.WECHAT_PAY, 4_000),
                        tender(TenderKind.ALIPAY, 2_000)),
                List.of("", code(Wallet.WECHAT_PAY, TradePlan.success()),
                        code(Wallet.ALIPAY, TradePlan.failure(null)))));

        assertThat(outcome).isInstanceOfSatisfying(CheckoutOutcome.PaymentFailed.class,
                failed -> assertThat(failed.failure().reason())
                        .isEqualTo(PaymentFailure.Reason.DECLINED));
        List<PaymentIntent> intents = fixture.intentsOf(sale);
        assertThat(intents).extracting(PaymentIntent::state)
                .containsExactly(IntentState.REVERSED, IntentState.FAILED);
        assertThat(intents.get(0).moneyReturned()).isTrue();
        assertThat(await(fixture.hotCopy.member(member)).storedValueFen()).isEqualTo(10_000);
        assertChargedIffCommitted(sale);
    }

    @Test
    void splitTenderAllPaidCommitsWithStoredValueDebited() throws Exception {
        String member = fixture.member(10_000);
        String sale = saleId();
        CheckoutOutcome outcome = await(fixture.buy(sale, 9_000, Optional.of("code-" + member),
                List.of(tender(TenderKind.STORED_VALUE, 3_000),
                        tender(TenderKind.WECHAT_PAY, 4_000),
                        tender(TenderKind.ALIPAY, 2_000)),
                List.of("", code(Wallet.WECHAT_PAY, TradePlan.success()),
                        code(Wallet.ALIPAY, TradePlan.userPaying(200)))));

        assertThat(outcome).isInstanceOf(CheckoutOutcome.Committed.class);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                await(fixture.hotCopy.member(member)).storedValueFen()).isEqualTo(7_000));
        assertChargedIffCommitted(sale);
    }

    @Test
    void aRetryOfACommittedSaleReplaysItWithoutPayingAgain() throws Exception {
        String sale = saleId();
        String code = code(Wallet.WECHAT_PAY, TradePlan.success());
        await(fixture.buyWithCode(sale, 1_200, TenderKind.WECHAT_PAY, code));
        CheckoutOutcome again = await(fixture.buyWithCode(sale, 1_200, TenderKind.WECHAT_PAY,
                code));

        assertThat(again).isInstanceOfSatisfying(CheckoutOutcome.Committed.class,
                committed -> assertThat(committed.replayed()).isTrue());
        assertThat(fixture.intentsOf(sale)).hasSize(1);
    }

    @Test
    void reconciliationAgainstTheStatementListsEveryMismatch() throws Exception {
        String sale = saleId();
        await(fixture.buyWithCode(sale, 1_300, TenderKind.WECHAT_PAY,
                code(Wallet.WECHAT_PAY, TradePlan.success())));
        java.time.Instant now = java.time.Instant.now();
        List<PaymentIntent> intents = await(fixture.intents.createdBetween(
                now.minus(Duration.ofHours(1)), now.plusSeconds(1)));
        String csv = java.nio.file.Files.readString(
                await(fixture.simulator.writeStatement(PaymentFixture.today())));
        List<PaymentReconciliation.StatementLine> statement = PaymentReconciliation.parse(csv);

        assertThat(PaymentReconciliation.reconcile(intents, statement)).isEmpty();

        String outTradeNo = fixture.intentsOf(sale).get(0).outTradeNo();
        List<PaymentReconciliation.StatementLine> tampered = new java.util.ArrayList<>();
        for (PaymentReconciliation.StatementLine line : statement) {
            tampered.add(line.outTradeNo().equals(outTradeNo)
                    ? new PaymentReconciliation.StatementLine(line.channel(), line.outTradeNo(),
                            line.transactionId(), line.amountFen() + 1, line.status())
                    : line);
        }
        tampered.add(new PaymentReconciliation.StatementLine("alipay", "UNKNOWN0001", "T1",
                500, "SUCCESS"));
        assertThat(PaymentReconciliation.reconcile(intents, tampered))
                .extracting(PaymentReconciliation.Mismatch::kind)
                .containsExactlyInAnyOrder(PaymentReconciliation.MismatchKind.AMOUNT_DIFFERS,
                        PaymentReconciliation.MismatchKind.MISSING_IN_KASSA);
    }

    @Test
    void aTradeRefundedAfterItsSaleIsRefundedOnTheStatementToo() throws Exception {
        String sale = saleId();
        await(fixture.buyWithCode(sale, 2_600, TenderKind.WECHAT_PAY,
                code(Wallet.WECHAT_PAY, TradePlan.success())));
        PaymentIntent intent = fixture.intentsOf(sale).get(0);
        List<PaymentReconciliation.StatementLine> paid = List.of(
                new PaymentReconciliation.StatementLine("wechatpay", intent.outTradeNo(), "T9",
                        intent.amountFen(), "SUCCESS"));
        List<PaymentReconciliation.StatementLine> refunded = List.of(
                new PaymentReconciliation.StatementLine("wechatpay", intent.outTradeNo(), "T9",
                        intent.amountFen(), "REFUNDED"));
        java.util.Map<String, Long> partRefunded = java.util.Map.of(intent.outTradeNo(), 600L);

        assertThat(PaymentReconciliation.reconcile(List.of(intent), paid)).isEmpty();
        assertThat(PaymentReconciliation.reconcile(List.of(intent), partRefunded, refunded))
                .isEmpty();
        assertThat(PaymentReconciliation.reconcile(List.of(intent), refunded))
                .as("the channel refunded what Kassa never refunded")
                .extracting(PaymentReconciliation.Mismatch::kind)
                .containsExactly(PaymentReconciliation.MismatchKind.STATUS_DIFFERS);
        assertThat(PaymentReconciliation.reconcile(List.of(intent), partRefunded, paid))
                .as("Kassa refunded what the channel still shows paid")
                .extracting(PaymentReconciliation.Mismatch::kind)
                .containsExactly(PaymentReconciliation.MismatchKind.STATUS_DIFFERS);
    }

    @Test
    void theReconcileCommandReadsTheDayFromPostgreSqlAndTheStatementFromAFile()
            throws Exception {
        String sale = saleId();
        await(fixture.buyWithCode(sale, 1_700, TenderKind.ALIPAY,
                code(Wallet.ALIPAY, TradePlan.success())));
        java.nio.file.Path file = await(fixture.simulator.writeStatement(PaymentFixture.today()));
        java.util.Map<String, String> environment = java.util.Map.of(
                "KASSA_PG_URL", io.kassa.engine.server.testing.TestServices.postgresUrl(),
                "KASSA_PG_SCHEMA", fixture.schema);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream print = new java.io.PrintStream(out, true,
                java.nio.charset.StandardCharsets.UTF_8);
        String[] agree = {"reconcile-payments", "--statement", file.toString(), "--day",
                PaymentFixture.today().toString()};
        assertThat(io.kassa.engine.server.ReconcilePaymentsCommand.run(agree, environment,
                java.time.Clock.systemUTC(), print, print))
                .as(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isZero();

        String intent = fixture.intentsOf(sale).get(0).outTradeNo();
        java.nio.file.Path tampered = java.nio.file.Files.createTempFile("statement", ".csv");
        java.nio.file.Files.writeString(tampered, java.nio.file.Files.readString(file)
                .replace(intent + ",", "X" + intent.substring(1) + ","));
        out.reset();
        String[] differ = {"reconcile-payments", "--statement", tampered.toString(), "--day",
                PaymentFixture.today().toString()};
        assertThat(io.kassa.engine.server.ReconcilePaymentsCommand.run(differ, environment,
                java.time.Clock.systemUTC(), print, print)).isEqualTo(1);
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("MISSING_AT_CHANNEL alipay " + intent)
                .contains("MISSING_IN_KASSA alipay X" + intent.substring(1));
        out.reset();
        assertThat(io.kassa.engine.server.ReconcilePaymentsCommand.run(new String[] {
                "reconcile-payments", "--statement", "/nonexistent.csv"}, environment,
                java.time.Clock.systemUTC(), print, print))
                .as("an unreadable statement").isEqualTo(2);
    }
}
