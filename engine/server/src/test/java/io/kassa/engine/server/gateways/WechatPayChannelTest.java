package io.kassa.engine.server.gateways;

import static io.kassa.engine.server.gateways.SimulatedChannels.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.core.channel.CodeRouting;
import io.kassa.engine.core.channel.PaymentCodeRouter;
import io.kassa.peripherals.gateway.GatewaySimulator.Outage;
import io.kassa.peripherals.gateway.GatewaySimulatorOptions;
import io.kassa.peripherals.gateway.TradePlan;
import io.kassa.peripherals.scanner.PaymentCodeScanner;
import io.kassa.peripherals.scanner.Wallet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every path of the WeChat Pay v3 adapter, over real HTTP against the gateway simulator with
 * real RSA signatures both ways: success, USERPAYING resolved by query or by reverse, a pay
 * that is never answered but did succeed, a reverse that needs two calls, a business failure,
 * and the circuit breaker opening and half-opening.
 */
class WechatPayChannelTest {

    private static SimulatedChannels simulated;
    private static PaymentChannel wechat;
    private static final PaymentCodeScanner scanner = new PaymentCodeScanner(7);
    private static final AtomicInteger orders = new AtomicInteger();

    @BeforeAll
    static void start() {
        simulated = SimulatedChannels.start(new GatewaySimulatorOptions(),
                SimulatedChannels.FAST);
        wechat = simulated.channels.channel(ChannelId.WECHAT_PAY).orElseThrow();
    }

    @AfterAll
    static void stop() {
        simulated.close();
    }

    private static String code(TradePlan plan) {
        String code = scanner.next(Wallet.WECHAT_PAY);
        // The scanner's codes are the ones the engine's router sends to WeChat Pay.
        assertThat(PaymentCodeRouter.defaults().route(code))
                .isEqualTo(new CodeRouting.Routed(ChannelId.WECHAT_PAY, code));
        simulated.simulator.plan(code, plan);
        return code;
    }

    private static PayRequest request(String code, long amountFen) {
        return new PayRequest("WX" + System.nanoTime() + orders.incrementAndGet(), code,
                amountFen, "store-1", "Kassa test sale");
    }

    @Test
    void successIsPaidWithTheChannelsTransactionId() {
        PayRequest request = request(code(TradePlan.success()), 12_345);
        PayResult result = await(wechat.pay(request));
        assertThat(result).isInstanceOf(PayResult.Paid.class);
        assertThat(((PayResult.Paid) result).amountFen()).isEqualTo(12_345);
        assertThat(await(wechat.query(request.outTradeNo())))
                .isInstanceOfSatisfying(QueryResult.Found.class, found -> {
                    assertThat(found.state()).isEqualTo(TradeState.PAID);
                    assertThat(found.transactionId())
                            .isEqualTo(((PayResult.Paid) result).transactionId());
                });
    }

    @Test
    void userPayingThenSuccessIsFoundByQuery() {
        PayRequest request = request(code(TradePlan.userPaying(150)), 150_000);
        assertThat(await(wechat.pay(request))).isEqualTo(
                new PayResult.Unknown(UnknownReason.USER_PAYING, "需要用户输入支付密码"));
        assertThat(state(request)).isEqualTo(TradeState.WAITING_FOR_USER);
        await(simulated.simulator.awaitTrade("wechatpay", request.outTradeNo(),
                trade -> trade.paid(), 5_000));
        assertThat(state(request)).isEqualTo(TradeState.PAID);
    }

    @Test
    void userPayingUntilTheDeadlineIsReversedAndNeverPaysAfterwards() throws Exception {
        PayRequest request = request(code(TradePlan.userPaying(300)), 5_000);
        assertThat(await(wechat.pay(request))).isInstanceOf(PayResult.Unknown.class);
        assertThat(await(wechat.reverse(request.outTradeNo())))
                .isEqualTo(new ReverseResult.Reversed(false));
        Thread.sleep(400); // past the moment the customer would have entered the password
        assertThat(state(request)).isEqualTo(TradeState.REVERSED);
        assertThat(simulated.simulator.trade("wechatpay", request.outTradeNo()).orElseThrow()
                .paid()).isFalse();
    }

    @Test
    void payNeverAnsweredIsUnknownAndQueryFindsTheSuccess() {
        PayRequest request = request(code(TradePlan.success().unanswered()), 800);
        PayResult result = await(wechat.pay(request));
        assertThat(result).isInstanceOfSatisfying(PayResult.Unknown.class,
                unknown -> assertThat(unknown.reason()).isEqualTo(UnknownReason.NO_ANSWER));
        assertThat(state(request)).isEqualTo(TradeState.PAID);
    }

    @Test
    void systemErrorThatDidChargeIsUnknownNotFailed() {
        PayRequest request = request(code(TradePlan.systemErrorButPaid()), 900);
        assertThat(await(wechat.pay(request))).isInstanceOfSatisfying(PayResult.Unknown.class,
                unknown -> assertThat(unknown.reason()).isEqualTo(UnknownReason.SYSTEM_ERROR));
        assertThat(state(request)).isEqualTo(TradeState.PAID);
    }

    @Test
    void reverseNeedingTwoCallsIsRepeatedAndReturnsTheMoney() {
        PayRequest request = request(code(TradePlan.success().reverseNeeding(2)), 1_000);
        assertThat(await(wechat.pay(request))).isInstanceOf(PayResult.Paid.class);
        assertThat(await(wechat.reverse(request.outTradeNo())))
                .isInstanceOf(ReverseResult.Reversed.class);
        assertThat(simulated.simulator.trade("wechatpay", request.outTradeNo()).orElseThrow())
                .satisfies(trade -> {
                    assertThat(trade.reverseAttempts()).isEqualTo(2);
                    assertThat(trade.status()).isEqualTo("REVERSED");
                });
        // Repeats are processed once: a third call changes nothing.
        assertThat(await(wechat.reverse(request.outTradeNo())))
                .isInstanceOf(ReverseResult.Reversed.class);
        assertThat(state(request)).isEqualTo(TradeState.REVERSED);
    }

    @Test
    void reverseOfAnOrderNeverSeenClosesItSoALatePayIsRefused() {
        PayRequest request = request(code(TradePlan.success()), 1_000);
        assertThat(await(wechat.reverse(request.outTradeNo())))
                .isInstanceOf(ReverseResult.Reversed.class);
        assertThat(await(wechat.pay(request))).isInstanceOf(PayResult.Failed.class);
    }

    @Test
    void businessFailureIsDefinite() {
        PayRequest request = request(code(TradePlan.failure("NOTENOUGH")), 1_000);
        assertThat(await(wechat.pay(request)))
                .isInstanceOfSatisfying(PayResult.Failed.class,
                        failed -> assertThat(failed.code()).isEqualTo("NOTENOUGH"));
        assertThat(await(wechat.pay(request(scanner.smudged(Wallet.WECHAT_PAY), 100))))
                .isInstanceOfSatisfying(PayResult.Failed.class,
                        failed -> assertThat(failed.code()).isEqualTo("AUTH_CODE_INVALID"));
    }

    @Test
    void refundIsIdempotentOnTheRefundNumber() {
        PayRequest request = request(code(TradePlan.success()), 3_000);
        assertThat(await(wechat.pay(request))).isInstanceOf(PayResult.Paid.class);
        RefundRequest refund = new RefundRequest(request.outTradeNo(),
                "RF" + request.outTradeNo().substring(2), 1_000, 3_000, "line returned");
        assertThat(await(wechat.refund(refund))).isInstanceOf(RefundResult.Refunded.class);
        assertThat(await(wechat.refund(refund))).isInstanceOf(RefundResult.Refunded.class);
        assertThat(simulated.simulator.trade("wechatpay", request.outTradeNo()).orElseThrow()
                .refundedFen()).isEqualTo(1_000);
        assertThat(await(wechat.refund(new RefundRequest(request.outTradeNo(), "RF-too-much-1",
                2_001, 3_000, "too much")))).isInstanceOf(RefundResult.Refused.class);
    }

    @Test
    void breakerOpensAfterConsecutiveFailuresAndHalfOpensForOneTrial() throws Exception {
        try (SimulatedChannels own = SimulatedChannels.start(new GatewaySimulatorOptions(),
                SimulatedChannels.FAST)) {
            PaymentChannel channel = own.channels.channel(ChannelId.WECHAT_PAY).orElseThrow();
            own.simulator.setOutage(Outage.SERVER_ERROR);
            for (int failure = 0; failure < 3; failure++) {
                assertThat(await(channel.pay(request(scanner.next(Wallet.WECHAT_PAY), 100))))
                        .isInstanceOf(PayResult.Unknown.class);
            }
            assertThat(await(channel.pay(request(scanner.next(Wallet.WECHAT_PAY), 100))))
                    .isInstanceOf(PayResult.NotSent.class);
            assertThat(own.channels.breakerState(ChannelId.WECHAT_PAY))
                    .contains(io.kassa.engine.server.gateways.internal.CircuitBreaker.State.OPEN);
            own.simulator.setOutage(Outage.NONE);
            Thread.sleep(350);
            assertThat(own.channels.breakerState(ChannelId.WECHAT_PAY)).contains(
                    io.kassa.engine.server.gateways.internal.CircuitBreaker.State.HALF_OPEN);
            String trial = scanner.next(Wallet.WECHAT_PAY);
            own.simulator.plan(trial, TradePlan.success());
            assertThat(await(channel.pay(request(trial, 100)))).isInstanceOf(PayResult.Paid.class);
            assertThat(own.channels.breakerState(ChannelId.WECHAT_PAY)).contains(
                    io.kassa.engine.server.gateways.internal.CircuitBreaker.State.CLOSED);
        }
    }

    @Test
    void silentChannelTimesOutAndCountsAgainstTheBreaker() {
        try (SimulatedChannels own = SimulatedChannels.start(new GatewaySimulatorOptions(),
                SimulatedChannels.FAST)) {
            PaymentChannel channel = own.channels.channel(ChannelId.WECHAT_PAY).orElseThrow();
            own.simulator.setOutage(Outage.SILENT);
            long started = System.nanoTime();
            assertThat(await(channel.query("WX-silent-1"))).isInstanceOfSatisfying(
                    QueryResult.Unknown.class, unknown -> assertThat(unknown.reason())
                            .isIn(UnknownReason.NO_ANSWER, UnknownReason.CIRCUIT_OPEN));
            // Four attempts at most, each bounded by its timeout, plus backoff.
            assertThat(System.nanoTime() - started).isLessThan(3_000_000_000L);
            assertThat(own.channels.breakerState(ChannelId.WECHAT_PAY)).contains(
                    io.kassa.engine.server.gateways.internal.CircuitBreaker.State.OPEN);
        }
    }

    private static TradeState state(PayRequest request) {
        return ((QueryResult.Found) await(wechat.query(request.outTradeNo()))).state();
    }
}
