package io.kassa.peripherals.possim;

import static io.kassa.peripherals.testing.Futures.await;
import static io.kassa.peripherals.testing.Futures.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.peripherals.sdk.TerminalConnectionException;
import io.kassa.peripherals.testing.ScriptedPeer;
import io.kassa.protocol.MessageValidator;
import io.kassa.protocol.ProtocolException;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.CheckoutStatus;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.Error;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the POS simulator for about two seconds against a scripted peer that prices and commits
 * plausibly (or answers errors), and checks the achieved rate, the shape of what was sent, and
 * the counters.
 */
@ExtendWith(VertxExtension.class)
class PosSimulatorTest {

    private static final double RATE_PER_SECOND = 50;
    private static final long DURATION_SECONDS = 2;

    private Vertx vertx;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
    }

    @Test
    void completesCheckoutsAtRoughlyTheConfiguredRate() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, plausibleEngine(0)));
        PosSimulator simulator = PosSimulator.create(vertx, options(peer));

        await(simulator.start());
        await(simulator.completion());

        PosSimulatorStats stats = simulator.stats();
        long expected = (long) (RATE_PER_SECOND * DURATION_SECONDS);
        assertThat(stats.completed()).isBetween(expected * 8 / 10, expected * 11 / 10);
        assertThat(stats.failed()).isZero();
        assertThat(stats.skipped()).isZero();
        assertThat(stats.inFlight()).isZero();
        assertThat(stats.quoteLatency().count()).isEqualTo(stats.completed());
        assertThat(stats.checkoutLatency().count()).isEqualTo(stats.completed());
        assertThat(stats.checkoutLatency().microsP50()).isPositive();
        assertThat(peer.connectionsAccepted()).isEqualTo(6);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> peer.connectionsOpen() == 0);
        assertCheckoutsAreWellFormed(peer, simulator.runId());
    }

    @Test
    void countsFailuresByErrorCode() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, plausibleEngine(3)));
        PosSimulator simulator = PosSimulator.create(vertx, options(peer));

        await(simulator.start());
        await(simulator.completion());

        PosSimulatorStats stats = simulator.stats();
        assertThat(stats.failed()).isPositive();
        assertThat(stats.failuresByKind()).containsOnlyKeys(ErrorCode.TENDER_MISMATCH.name());
        assertThat(stats.failures(ErrorCode.TENDER_MISMATCH.name())).isEqualTo(stats.failed());
        // Every third checkout is refused.
        assertThat(stats.failed()).isBetween(stats.started() / 3 - 1, stats.started() / 3 + 1);
        assertThat(stats.completed() + stats.failed()).isEqualTo(stats.started());
    }

    @Test
    void stopEndsAnOpenEndedRunAndClosesEveryClient() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, plausibleEngine(0)));
        PosSimulator simulator = PosSimulator.create(vertx,
                options(peer).setDurationSeconds(0));
        await(simulator.start());

        await(simulator.stop());

        assertThat(simulator.completion().succeeded()).isTrue();
        assertThat(simulator.stats().terminalsConnected()).isZero();
        // Stop closes every client: the peer sees each connection end.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> peer.connectionsOpen() == 0);
        await(simulator.stop());
    }

    @Test
    void terminalsReconnectAfterTheEngineDropsTheirConnections() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, plausibleEngine(0)));
        PosSimulator simulator = PosSimulator.create(vertx, options(peer)
                .setDurationSeconds(0).setReconnectDelayMillis(100));
        await(simulator.start());
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> simulator.stats().completed() >= 10);

        peer.connections().forEach(ScriptedPeer.Connection::close);

        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> peer.connectionsAccepted() == 12
                        && simulator.stats().terminalsConnected() == 6);
        long completedAfterReconnect = simulator.stats().completed();
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> simulator.stats().completed() >= completedAfterReconnect + 10);
        await(simulator.stop());
        assertThat(simulator.stats().reconnects()).isEqualTo(6);
    }

    @Test
    void startFailsWhenNoTerminalCanConnect() {
        NetServer probe = await(vertx.createNetServer().connectHandler(socket -> {
        }).listen(0, "127.0.0.1"));
        int closedPort = probe.actualPort();
        await(probe.close());
        PosSimulator simulator = PosSimulator.create(vertx, new PosSimulatorOptions()
                .setPort(closedPort).setTerminals(2).setStores(1).setStatusIntervalMillis(0));

        assertThat(awaitFailure(simulator.start()))
                .isInstanceOf(TerminalConnectionException.class);
        await(simulator.stop());
    }

    @Test
    void terminalsAreSpreadOverStoresAndOptionsAreChecked() {
        assertThat(PosSimulator.roundUpToNote(1)).isEqualTo(10_00);
        assertThat(PosSimulator.roundUpToNote(10_00)).isEqualTo(10_00);
        assertThat(PosSimulator.roundUpToNote(10_01)).isEqualTo(20_00);
        assertThatThrownBy(() -> PosSimulator.create(vertx,
                new PosSimulatorOptions().setTerminals(2).setStores(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stores");
        assertThatThrownBy(() -> PosSimulator.create(vertx,
                new PosSimulatorOptions().setRatePerSecond(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate");
    }

    private static PosSimulatorOptions options(ScriptedPeer peer) {
        return new PosSimulatorOptions().setPort(peer.port()).setTerminals(6).setStores(3)
                .setRatePerSecond(RATE_PER_SECOND).setDurationSeconds(DURATION_SECONDS)
                .setSeed(42).setRunId("test1").setStatusIntervalMillis(500);
    }

    private static void assertCheckoutsAreWellFormed(ScriptedPeer peer, String runId) {
        List<Envelope> checkouts = peer.received(Envelope.BodyCase.CHECKOUT_REQUEST);
        assertThat(checkouts).isNotEmpty();
        assertThat(checkouts).extracting(e -> e.getCheckoutRequest().getSaleId())
                .doesNotHaveDuplicates()
                .allMatch(id -> id.matches(runId + "-T-store-00[1-3]-[12]-\\d+"));
        assertThat(peer.received(Envelope.BodyCase.HELLO))
                .extracting(e -> e.getHello().getTerminalId())
                .containsExactlyInAnyOrder("T-store-001-1", "T-store-002-1", "T-store-003-1",
                        "T-store-001-2", "T-store-002-2", "T-store-003-2");
        int exact = 0;
        int cards = 0;
        for (Envelope envelope : checkouts) {
            CheckoutRequest checkout = envelope.getCheckoutRequest();
            // Without members, one tender settles the whole payable: a card or cash.
            assertThat(checkout.getMemberCode()).isEmpty();
            assertThat(checkout.getTendersList()).hasSize(1);
            Tender cash = checkout.getTenders(0);
            assertThat(cash.getAmountFen()).isEqualTo(Catalogue.grossFen(checkout.getLinesList()));
            if (cash.getType() == TenderType.BANK_CARD) {
                assertThat(cash.getApprovalCode()).isNotBlank();
                cards++;
                continue;
            }
            assertThat(cash.getType()).isEqualTo(TenderType.CASH);
            assertThat(cash.getReceivedFen()).isGreaterThanOrEqualTo(cash.getAmountFen());
            boolean roundedUp = cash.getReceivedFen() % 10_00 == 0
                    && cash.getReceivedFen() - cash.getAmountFen() < 10_00;
            assertThat(roundedUp || cash.getReceivedFen() == cash.getAmountFen()).isTrue();
            if (cash.getReceivedFen() == cash.getAmountFen()) {
                exact++;
            }
        }
        assertThat(exact).as("some customers pay the exact amount").isPositive();
        assertThat(cards).as("some customers pay by card").isPositive();
    }

    /**
     * Refuses what the protocol's validator refuses, as the engine would; prices a quote at
     * its gross, and commits a checkout whose cash covers it; every
     * {@code errorEvery}-th checkout (0: none) is refused with TENDER_MISMATCH.
     */
    private static ScriptedPeer.Script plausibleEngine(int errorEvery) {
        AtomicInteger checkouts = new AtomicInteger();
        return ScriptedPeer.greeting(ScriptedPeer.WELCOME_INTERVAL_MILLIS_DEFAULT,
                (connection, envelope) -> {
                    try {
                        MessageValidator.validate(envelope);
                    } catch (ProtocolException invalid) {
                        connection.answer(envelope, Envelope.newBuilder().setError(
                                Error.newBuilder().setCode(invalid.code())
                                        .setMessage(invalid.getMessage())));
                        return;
                    }
                    if (envelope.hasQuoteRequest()) {
                        long grossFen = Catalogue.grossFen(
                                envelope.getQuoteRequest().getLinesList());
                        connection.answer(envelope, Envelope.newBuilder().setQuoteResponse(
                                QuoteResponse.newBuilder().setCurrency("CNY")
                                        .setSubtotalFen(grossFen).setPayableFen(grossFen)));
                    } else if (envelope.hasCheckoutRequest()) {
                        int number = checkouts.incrementAndGet();
                        if (errorEvery > 0 && number % errorEvery == 0) {
                            connection.answer(envelope, Envelope.newBuilder().setError(
                                    Error.newBuilder().setCode(ErrorCode.TENDER_MISMATCH)
                                            .setMessage("scripted refusal")));
                            return;
                        }
                        CheckoutRequest checkout = envelope.getCheckoutRequest();
                        long payableFen = Catalogue.grossFen(checkout.getLinesList());
                        long changeFen = 0;
                        for (Tender tender : checkout.getTendersList()) {
                            if (tender.getType() == TenderType.CASH) {
                                changeFen += tender.getReceivedFen() - tender.getAmountFen();
                            }
                        }
                        connection.answer(envelope, Envelope.newBuilder().setCheckoutResponse(
                                CheckoutResponse.newBuilder()
                                        .setSaleId(checkout.getSaleId())
                                        .setOrderId("order-" + number)
                                        .setStatus(CheckoutStatus.COMMITTED)
                                        .setCurrency("CNY")
                                        .setPayableFen(payableFen)
                                        .setChangeFen(changeFen)
                                        .setCommittedAtMillis(System.currentTimeMillis())));
                    }
                });
    }
}
