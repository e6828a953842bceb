package io.kassa.engine.server.checkout;

import static io.kassa.engine.server.checkout.PaymentFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kassa.engine.core.tender.TenderKind;
import io.kassa.peripherals.gateway.GatewaySimulatorOptions;
import io.kassa.peripherals.gateway.NotificationDelivery;
import io.kassa.peripherals.gateway.TradePlan;
import io.kassa.peripherals.scanner.Wallet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signed notifications from the real simulator, duplicated and late, reach the real callback
 * endpoint and the payment side: recorded once, amounts checked against the intent, a success
 * after a reverse refunded; and a payment slower than the answer bound is answered "pending"
 * with its outcome pushed.
 */
class PaymentNotificationsTest {

    private static PaymentFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new PaymentFixture(new GatewaySimulatorOptions().setNotifications(true)
                .setDuplicateNotifications(2).setNotificationDelayMillis(50),
                Duration.ofMillis(300), c -> c, i -> i);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static String code(TradePlan plan) {
        String code = fixture.scanner.next(Wallet.WECHAT_PAY);
        fixture.simulator.plan(code, plan);
        return code;
    }

    @Test
    void duplicatedNotificationsAreRecordedOnceAndAcknowledged() throws Exception {
        String sale = "N-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(await(fixture.buyWithCode(sale, 1_500, TenderKind.WECHAT_PAY,
                code(TradePlan.success())))).isInstanceOf(CheckoutOutcome.Committed.class);
        String outTradeNo = fixture.intentsOf(sale).get(0).outTradeNo();

        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.count(
                "select count(*) from payment_notification where out_trade_no = '"
                        + outTradeNo + "'") == 1 && deliveries(outTradeNo) >= 3);
        assertThat(fixture.simulator.deliveries()).filteredOn(delivery ->
                fixture.simulator.notificationFor("wechatpay", outTradeNo).notificationId()
                        .equals(delivery.notificationId()))
                .extracting(NotificationDelivery::status)
                .allSatisfy(status -> assertThat(status).isIn(200, 204));
        assertThat(fixture.intentsOf(sale).get(0).state()).isEqualTo(IntentState.SUCCEEDED);
    }

    private static long deliveries(String outTradeNo) {
        String id = fixture.simulator.notificationFor("wechatpay", outTradeNo).notificationId();
        return fixture.simulator.deliveries().stream()
                .filter(delivery -> delivery.notificationId().equals(id)).count();
    }

    @Test
    void aSuccessReportedAfterTheReverseIsRefunded() throws Exception {
        // The pay call succeeded at the channel, but the engine's record says it was closed
        // unpaid (as when a reverse raced the customer's password): the late success must
        // return the money.
        String sale = "L-" + UUID.randomUUID().toString().substring(0, 8);
        fixture.simulator.setOutage(io.kassa.peripherals.gateway.GatewaySimulator.Outage.NONE);
        assertThat(await(fixture.buyWithCode(sale, 2_200, TenderKind.WECHAT_PAY,
                code(TradePlan.userPayingForever())))).isInstanceOf(
                        CheckoutOutcome.PaymentPending.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> !fixture.intentsOf(sale).get(0)
                .state().isOpen());
        PaymentIntent reversed = fixture.intentsOf(sale).get(0);
        assertThat(reversed.state()).isEqualTo(IntentState.REVERSED);
        // The outcome is pushed after the intent is closed: wait for it, do not race it.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fixture.pushed)
                .anySatisfy(outcome -> assertThat(outcome)
                        .isInstanceOf(CheckoutOutcome.PaymentFailed.class)));

        // A forged-by-nobody but late "paid" for a trade the engine closed: the simulator's
        // trade is paid behind the engine's back, then notifies — its first notification, so
        // none may be sent before the engine's view is changed (it would be a duplicate).
        String paidCode = code(TradePlan.success().withoutNotifications());
        String late = "L2-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(await(fixture.buyWithCode(late, 900, TenderKind.WECHAT_PAY, paidCode)))
                .isInstanceOf(CheckoutOutcome.Committed.class);
        String outTradeNo = fixture.intentsOf(late).get(0).outTradeNo();
        // Make the engine's view "closed unpaid" while the channel holds the money.
        fixture.execute("alter table payment_intent disable trigger user");
        fixture.execute("alter table order_tender disable trigger user");
        fixture.execute("delete from order_tender where reference = '" + outTradeNo + "'");
        fixture.execute("update payment_intent set order_id = null, state = 'reversed',"
                + " money_returned = false, transaction_id = '' where out_trade_no = '"
                + outTradeNo + "'");
        fixture.execute("alter table order_tender enable trigger user");
        fixture.execute("alter table payment_intent enable trigger user");
        fixture.execute("update sales_order set status = 'ABANDONED' where sale_id = '" + late
                + "'");

        NotificationDelivery delivery = await(fixture.simulator.deliver(
                fixture.simulator.notificationFor("wechatpay", outTradeNo)));
        assertThat(delivery.status()).isIn(200, 204);
        await().atMost(Duration.ofSeconds(30)).until(() -> !fixture.simulator
                .trade("wechatpay", outTradeNo).orElseThrow().paid());
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.intentsOf(late).get(0)
                .moneyReturned());
    }

    @Test
    void aSlowPaymentIsAnsweredPendingAndItsOutcomePushed() throws Exception {
        String sale = "Q-" + UUID.randomUUID().toString().substring(0, 8);
        CheckoutOutcome first = await(fixture.buyWithCode(sale, 120_000, TenderKind.WECHAT_PAY,
                code(TradePlan.userPaying(600))));
        assertThat(first).isInstanceOf(CheckoutOutcome.PaymentPending.class);

        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.pushed.stream().anyMatch(
                outcome -> outcome instanceof CheckoutOutcome.Committed committed
                        && committed.sale().key().saleId().equals(sale)));
        assertThat(fixture.committed(sale)).isTrue();
        assertThat(fixture.charged(sale)).isTrue();
    }

    @Test
    void aNotificationWithAnotherAmountIsRefused() throws Exception {
        String sale = "A-" + UUID.randomUUID().toString().substring(0, 8);
        await(fixture.buyWithCode(sale, 700, TenderKind.WECHAT_PAY, code(TradePlan.success())));
        String outTradeNo = fixture.intentsOf(sale).get(0).outTradeNo();
        fixture.execute("delete from payment_notification where out_trade_no = '" + outTradeNo
                + "'");
        fixture.execute("alter table payment_intent disable trigger user");
        fixture.execute("update payment_intent set amount_fen = 701 where out_trade_no = '"
                + outTradeNo + "'");
        fixture.execute("alter table payment_intent enable trigger user");

        NotificationDelivery delivery = await(fixture.simulator.deliver(
                fixture.simulator.notificationFor("wechatpay", outTradeNo)));
        assertThat(delivery.status()).isGreaterThanOrEqualTo(400);
        assertThat(List.of(delivery.body())).anySatisfy(body ->
                assertThat(body).contains("amount"));
    }
}
