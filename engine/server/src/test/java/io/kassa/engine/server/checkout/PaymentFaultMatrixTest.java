package io.kassa.engine.server.checkout;

import static io.kassa.engine.server.checkout.PaymentFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.gateways.PayRequest;
import io.kassa.engine.server.gateways.PayResult;
import io.kassa.engine.server.gateways.PaymentChannel;
import io.kassa.engine.server.gateways.QueryResult;
import io.kassa.engine.server.gateways.RefundRequest;
import io.kassa.engine.server.gateways.RefundResult;
import io.kassa.engine.server.gateways.ReverseResult;
import io.kassa.peripherals.gateway.GatewaySimulator;
import io.kassa.peripherals.gateway.GatewaySimulatorOptions;
import io.kassa.peripherals.gateway.TradePlan;
import io.kassa.peripherals.scanner.Wallet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fault matrix: the orchestration's node dies at each step of the state machine (its
 * futures never complete again, as after a kill), or the gateway goes silent; then a janitor
 * of another node, on the same database and the real simulator, takes over once the lease has
 * run out. Every case must end with the customer charged exactly when the sale committed, and
 * no intent left open or captured without a sale.
 */
class PaymentFaultMatrixTest {

    /** Where the orchestration's node dies. */
    enum Crash {
        /** The intent is written; the pay call is never sent. */
        BEFORE_SEND(TradePlan.success()),
        /** The pay call took the money; its answer was never seen. */
        AFTER_PAY_SENT(TradePlan.success()),
        /** The customer is entering the password; the node dies while querying. */
        DURING_QUERY(TradePlan.userPaying(300)),
        /** The deadline passed; the node dies while reversing. */
        DURING_REVERSE(TradePlan.userPayingForever()),
        /** Paid and marked SUCCEEDED; the node dies before the sale is recorded. */
        AFTER_PAID_BEFORE_RECORD(TradePlan.success()),
        /** The gateway goes silent right after the pay call: nothing is answered. */
        GATEWAY_SILENT(TradePlan.success().unanswered());

        final TradePlan plan;

        Crash(TradePlan plan) {
            this.plan = plan;
        }
    }

    private static volatile Crash crash;
    private static volatile CountDownLatch reached;
    private static PaymentFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new PaymentFixture(new GatewaySimulatorOptions().setNotifications(false),
                Duration.ofSeconds(10), CrashingChannel::new, CrashingIntents::new);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @ParameterizedTest
    @EnumSource(Crash.class)
    void chargedIfAndOnlyIfCommittedAfterTheJanitor(Crash at) throws Exception {
        crash = at;
        reached = new CountDownLatch(1);
        String sale = "F-" + at.ordinal() + "-" + UUID.randomUUID().toString().substring(0, 8);
        String code = fixture.scanner.next(Wallet.WECHAT_PAY);
        fixture.simulator.plan(code, at.plan);
        if (at == Crash.GATEWAY_SILENT) {
            fixture.simulator.setOutage(GatewaySimulator.Outage.SILENT);
        }
        Future<CheckoutOutcome> abandoned =
                fixture.buyWithCode(sale, 2_500, TenderKind.WECHAT_PAY, code);
        if (at == Crash.GATEWAY_SILENT) {
            // The orchestration runs to its end: it cannot confirm, and leaves the reverse.
            CheckoutOutcome outcome = await(abandoned);
            assertThat(outcome).isInstanceOf(CheckoutOutcome.PaymentFailed.class);
            fixture.simulator.setOutage(GatewaySimulator.Outage.NONE);
        } else {
            assertThat(reached.await(10, TimeUnit.SECONDS)).as("crash point reached").isTrue();
            assertThat(abandoned.isComplete()).isFalse();
        }
        crash = null;

        PaymentJanitor janitor = fixture.janitor(Duration.ofMinutes(10));
        for (int sweep = 0; sweep < 5 && anyOpen(sale); sweep++) {
            await(janitor.sweepOnce());
        }

        assertThat(fixture.intentsOf(sale)).isNotEmpty().allSatisfy(intent -> {
            assertThat(intent.state().isOpen()).as(intent + " open").isFalse();
            assertThat(intent.capturedWithoutSale()).as("captured without sale").isFalse();
        });
        assertThat(fixture.charged(sale)).as("charged").isEqualTo(fixture.committed(sale));
        assertThat(fixture.committed(sale)).isFalse();
    }

    private static boolean anyOpen(String sale) throws Exception {
        for (PaymentIntent intent : fixture.intentsOf(sale)) {
            if (intent.state().isOpen() || intent.capturedWithoutSale()) {
                return true;
            }
        }
        return false;
    }

    /** A future that never completes: the node is gone. */
    private static <T> Future<T> dead() {
        reached.countDown();
        return Promise.<T>promise().future();
    }

    private static final class CrashingChannel implements PaymentChannel {
        private final PaymentChannel delegate;

        CrashingChannel(PaymentChannel delegate) {
            this.delegate = delegate;
        }

        @Override
        public ChannelId id() {
            return delegate.id();
        }

        @Override
        public Future<PayResult> pay(PayRequest request) {
            Future<PayResult> result = delegate.pay(request);
            return crash == Crash.AFTER_PAY_SENT ? result.compose(answer -> dead()) : result;
        }

        @Override
        public Future<QueryResult> query(String outTradeNo) {
            return crash == Crash.DURING_QUERY ? dead() : delegate.query(outTradeNo);
        }

        @Override
        public Future<ReverseResult> reverse(String outTradeNo) {
            return crash == Crash.DURING_REVERSE ? dead() : delegate.reverse(outTradeNo);
        }

        @Override
        public Future<RefundResult> refund(RefundRequest request) {
            return delegate.refund(request);
        }
    }

    private static final class CrashingIntents implements PaymentIntents {
        private final PaymentIntents delegate;

        CrashingIntents(PaymentIntents delegate) {
            this.delegate = delegate;
        }

        @Override
        public Future<PaymentIntent> create(NewIntent intent) {
            return delegate.create(intent);
        }

        @Override
        public Future<Optional<PaymentIntent>> transition(String outTradeNo,
                Set<IntentState> from, Transition transition) {
            if (crash == Crash.BEFORE_SEND && transition.to() == IntentState.SENT) {
                return dead();
            }
            Future<Optional<PaymentIntent>> done =
                    delegate.transition(outTradeNo, from, transition);
            if (crash == Crash.AFTER_PAID_BEFORE_RECORD
                    && transition.to() == IntentState.SUCCEEDED) {
                return done.compose(applied -> dead());
            }
            return done;
        }

        @Override
        public Future<Optional<PaymentIntent>> find(String outTradeNo) {
            return delegate.find(outTradeNo);
        }

        @Override
        public Future<List<PaymentIntent>> ofSale(SaleKey sale) {
            return delegate.ofSale(sale);
        }

        @Override
        public Future<Optional<PaymentIntent>> claimOverdue(String owner,
                java.time.Instant now, Duration lease) {
            return delegate.claimOverdue(owner, now, lease);
        }

        @Override
        public Future<List<PaymentIntent>> createdBetween(java.time.Instant from,
                java.time.Instant until) {
            return delegate.createdBetween(from, until);
        }
    }
}
