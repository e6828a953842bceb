package io.kassa.peripherals.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.peripherals.gateway.SimulatedTrade.Status;
import io.kassa.peripherals.scanner.PaymentCodeScanner;
import io.kassa.peripherals.scanner.Wallet;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's trade store stays consistent (a reversed trade is not paid, a trade closed
 * during the password never succeeds, refunds never exceed the payment and repeat once), the
 * key directory is reused across starts, the statement lists the day's trades, and the knobs
 * are checked at their limits.
 */
class GatewaySimulatorTest {

    @Test
    void tradeStoreKeepsMoneyConsistent() {
        TradeStore store = new TradeStore(Clock.systemUTC());
        SimulatedTrade waiting = ((TradeStore.Created) store.pay("wechatpay", "A1", 100,
                Status.USER_PAYING, 1)).trade();
        assertThat(store.reverse("wechatpay", "A1", 1)).isEqualTo(TradeStore.ReverseEffect.CLOSED);
        assertThat(store.passwordEntered(waiting)).isFalse();
        assertThat(waiting.moneyTaken()).isFalse();

        SimulatedTrade paid = ((TradeStore.Created) store.pay("alipay", "B1", 300,
                Status.SUCCESS, 2)).trade();
        assertThat(store.reverse("alipay", "B1", 1))
                .isEqualTo(TradeStore.ReverseEffect.CALL_AGAIN);
        assertThat(store.reverse("alipay", "B1", 1)).isEqualTo(TradeStore.ReverseEffect.REFUNDED);
        assertThat(paid.moneyTaken()).isFalse();

        store.pay("unionpay", "C1", 300, Status.SUCCESS, 1);
        assertThat(store.refund("unionpay", "C1", "R1", 200))
                .isInstanceOf(TradeStore.Refunded.class);
        assertThat(store.refund("unionpay", "C1", "R1", 200))
                .isInstanceOf(TradeStore.Refunded.class);
        assertThat(store.refund("unionpay", "C1", "R2", 101))
                .isInstanceOf(TradeStore.RefundRefused.class);
        assertThat(store.find("unionpay", "C1").orElseThrow().refundedFen).isEqualTo(200);
        assertThat(store.reverse("unionpay", "C1", 1))
                .isEqualTo(TradeStore.ReverseEffect.NOT_REVERSIBLE);
        assertThat(store.pay("wechatpay", "A1", 100, Status.SUCCESS, 1))
                .isInstanceOf(TradeStore.AlreadyExists.class);
    }

    @Test
    void keysAreGeneratedOnceAndReusedAndTheStatementIsWritten(@TempDir Path directory)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            GatewaySimulatorOptions options = new GatewaySimulatorOptions().setPort(0)
                    .setKeysDirectory(directory);
            GatewaySimulator first = GatewaySimulator.start(vertx, options)
                    .await(30, TimeUnit.SECONDS);
            String serial = Files.readString(first.engineKeysDirectory()
                    .resolve("merchant.properties"));
            first.stop().await(5, TimeUnit.SECONDS);
            GatewaySimulator second = GatewaySimulator.start(vertx, options)
                    .await(30, TimeUnit.SECONDS);
            assertThat(Files.readString(second.engineKeysDirectory()
                    .resolve("merchant.properties")))
                    .contains(serial.lines().filter(line -> line.contains("merchant-serial"))
                            .findFirst().orElseThrow());
            assertThat(Files.list(directory.resolve("engine")).map(Path::getFileName)
                    .map(Path::toString).filter(name -> name.contains("private"))
                    .toList()).hasSize(3);
            second.stop().await(5, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(5, TimeUnit.SECONDS);
        }
        TradeStore store = new TradeStore(Clock.systemUTC());
        String code = new PaymentCodeScanner(2).next(Wallet.WECHAT_PAY);
        assertThat(Wallet.WECHAT_PAY.accepts(code)).isTrue();
        store.pay("wechatpay", "S1", 2391, Status.SUCCESS, 1);
        Path statement = GatewaySimulator.writeStatement(directory,
                LocalDate.now(GatewaySimulator.CHANNEL_ZONE), store.snapshot());
        List<String> lines = Files.readAllLines(statement);
        assertThat(lines.get(0)).isEqualTo(
                "channel,out_trade_no,transaction_id,amount_fen,status,time");
        assertThat(lines.get(1)).startsWith("wechatpay,S1,4200").contains(",2391,SUCCESS,");
    }

    @Test
    void knobsAreCheckedAtTheirLimits() {
        new GatewaySimulatorOptions().setDuplicateNotifications(
                GatewaySimulatorOptions.DUPLICATE_NOTIFICATIONS_MAX).check();
        assertThatThrownBy(() -> new GatewaySimulatorOptions().setDuplicateNotifications(
                GatewaySimulatorOptions.DUPLICATE_NOTIFICATIONS_MAX + 1).check())
                .isInstanceOf(IllegalArgumentException.class);
        new GatewaySimulatorOptions().setLatencyMillis(GatewaySimulatorOptions.DELAY_MILLIS_MAX)
                .check();
        assertThatThrownBy(() -> new GatewaySimulatorOptions().setLatencyMillis(
                GatewaySimulatorOptions.DELAY_MILLIS_MAX + 1).check())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GatewaySimulatorOptions()
                .setCallbackUrl("http://10.0.0.1:8080").check())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TradePlan.success().reverseNeeding(
                TradePlan.REVERSE_ATTEMPTS_MAX + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
