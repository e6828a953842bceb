package io.kassa.engine.server.gateways;

import static io.kassa.engine.server.gateways.SimulatedChannels.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.core.channel.CodeRouting;
import io.kassa.engine.core.channel.PaymentCodeRouter;
import io.kassa.peripherals.gateway.GatewaySimulatorOptions;
import io.kassa.peripherals.gateway.TradePlan;
import io.kassa.peripherals.scanner.PaymentCodeScanner;
import io.kassa.peripherals.scanner.Wallet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Alipay (RSA2, gateway codes 10000/10003/20000/40004, cancel with retry_flag) and UnionPay
 * QR style adapters over real HTTP against the gateway simulator: success, waiting for the
 * user then query, cancel repeated while retry_flag is Y, definite failures, and a pay never
 * answered that query resolves.
 */
class AlipayAndUnionPayChannelTest {

    private static SimulatedChannels simulated;
    private static PaymentChannel alipay;
    private static PaymentChannel unionPay;
    private static final PaymentCodeScanner scanner = new PaymentCodeScanner(11);
    private static final AtomicInteger orders = new AtomicInteger();

    @BeforeAll
    static void start() {
        simulated = SimulatedChannels.start(new GatewaySimulatorOptions(),
                SimulatedChannels.FAST);
        alipay = simulated.channels.channel(ChannelId.ALIPAY).orElseThrow();
        unionPay = simulated.channels.channel(ChannelId.UNIONPAY).orElseThrow();
    }

    @AfterAll
    static void stop() {
        simulated.close();
    }

    private static PayRequest request(Wallet wallet, TradePlan plan, long amountFen) {
        String code = scanner.next(wallet);
        assertThat(((CodeRouting.Routed) PaymentCodeRouter.defaults().route(code)).channel()
                .name()).isEqualTo(wallet.channelName());
        simulated.simulator.plan(code, plan);
        return new PayRequest("KS" + System.nanoTime() + orders.incrementAndGet(), code,
                amountFen, "store-2", "Kassa test sale");
    }

    @Test
    void alipaySuccessCarriesTheExactAmount() {
        PayRequest request = request(Wallet.ALIPAY, TradePlan.success(), 26_400);
        assertThat(await(alipay.pay(request))).isInstanceOfSatisfying(PayResult.Paid.class,
                paid -> assertThat(paid.amountFen()).isEqualTo(26_400));
        assertThat(await(alipay.query(request.outTradeNo()))).isInstanceOfSatisfying(
                QueryResult.Found.class, found -> {
                    assertThat(found.state()).isEqualTo(TradeState.PAID);
                    assertThat(found.channelState()).isEqualTo("TRADE_SUCCESS");
                    assertThat(found.amountFen()).isEqualTo(26_400);
                });
    }

    @Test
    void alipayWaitingForTheUserIsUnknownUntilQueryFindsSuccess() {
        PayRequest request = request(Wallet.ALIPAY, TradePlan.userPaying(100), 199);
        assertThat(await(alipay.pay(request))).isInstanceOfSatisfying(PayResult.Unknown.class,
                unknown -> assertThat(unknown.reason()).isEqualTo(UnknownReason.USER_PAYING));
        await(simulated.simulator.awaitTrade("alipay", request.outTradeNo(),
                trade -> trade.paid(), 5_000));
        assertThat(((QueryResult.Found) await(alipay.query(request.outTradeNo()))).state())
                .isEqualTo(TradeState.PAID);
    }

    @Test
    void alipayCancelIsRepeatedWhileRetryFlagIsY() {
        PayRequest request = request(Wallet.ALIPAY,
                TradePlan.userPayingForever().reverseNeeding(3), 5_000);
        assertThat(await(alipay.pay(request))).isInstanceOf(PayResult.Unknown.class);
        assertThat(await(alipay.reverse(request.outTradeNo())))
                .isEqualTo(new ReverseResult.Reversed(false));
        assertThat(simulated.simulator.trade("alipay", request.outTradeNo()).orElseThrow()
                .reverseAttempts()).isEqualTo(3);
        assertThat(((QueryResult.Found) await(alipay.query(request.outTradeNo()))).state())
                .isEqualTo(TradeState.CLOSED);
    }

    @Test
    void alipayCancelOfAPaidTradeRefundsIt() {
        PayRequest request = request(Wallet.ALIPAY, TradePlan.success(), 5_000);
        assertThat(await(alipay.pay(request))).isInstanceOf(PayResult.Paid.class);
        assertThat(await(alipay.reverse(request.outTradeNo())))
                .isEqualTo(new ReverseResult.Reversed(true));
        assertThat(simulated.simulator.trade("alipay", request.outTradeNo()).orElseThrow()
                .paid()).isFalse();
    }

    @Test
    void alipayBusinessFailureReadsTheSubCode() {
        PayRequest request = request(Wallet.ALIPAY,
                TradePlan.failure("ACQ.BUYER_BALANCE_NOT_ENOUGH"), 5_000);
        assertThat(await(alipay.pay(request))).isEqualTo(
                new PayResult.Failed("ACQ.BUYER_BALANCE_NOT_ENOUGH", "支付失败"));
        assertThat(await(alipay.query(request.outTradeNo())))
                .isInstanceOfSatisfying(QueryResult.Found.class,
                        found -> assertThat(found.state()).isEqualTo(TradeState.CLOSED));
        assertThat(await(alipay.query("KS-never-paid"))).isEqualTo(new QueryResult.NotFound());
    }

    @Test
    void alipayServiceUnavailableIsUnknown() {
        PayRequest request = request(Wallet.ALIPAY, TradePlan.systemErrorButPaid(), 700);
        assertThat(await(alipay.pay(request))).isInstanceOfSatisfying(PayResult.Unknown.class,
                unknown -> assertThat(unknown.reason()).isEqualTo(UnknownReason.SYSTEM_ERROR));
        assertThat(((QueryResult.Found) await(alipay.query(request.outTradeNo()))).state())
                .isEqualTo(TradeState.PAID);
    }

    @Test
    void unionPayPathsMirrorTheOthers() {
        PayRequest paid = request(Wallet.UNIONPAY, TradePlan.success(), 4_200);
        assertThat(await(unionPay.pay(paid))).isInstanceOf(PayResult.Paid.class);
        PayRequest declined = request(Wallet.UNIONPAY, TradePlan.failure("51"), 4_200);
        assertThat(await(unionPay.pay(declined))).isInstanceOfSatisfying(PayResult.Failed.class,
                failed -> assertThat(failed.code()).isEqualTo("51"));
        PayRequest waiting = request(Wallet.UNIONPAY,
                TradePlan.userPayingForever().reverseNeeding(2), 4_200);
        assertThat(await(unionPay.pay(waiting))).isInstanceOfSatisfying(PayResult.Unknown.class,
                unknown -> assertThat(unknown.reason()).isEqualTo(UnknownReason.USER_PAYING));
        assertThat(await(unionPay.reverse(waiting.outTradeNo())))
                .isEqualTo(new ReverseResult.Reversed(false));
        assertThat(((QueryResult.Found) await(unionPay.query(waiting.outTradeNo()))).state())
                .isEqualTo(TradeState.CLOSED);
        PayRequest lost = request(Wallet.UNIONPAY, TradePlan.success().unanswered(), 4_200);
        assertThat(await(unionPay.pay(lost))).isInstanceOf(PayResult.Unknown.class);
        assertThat(((QueryResult.Found) await(unionPay.query(lost.outTradeNo()))).state())
                .isEqualTo(TradeState.PAID);
        assertThat(await(unionPay.refund(new RefundRequest(paid.outTradeNo(), "URF"
                + paid.outTradeNo(), 4_200, 4_200, "returned"))))
                .isInstanceOf(RefundResult.Refunded.class);
    }
}
