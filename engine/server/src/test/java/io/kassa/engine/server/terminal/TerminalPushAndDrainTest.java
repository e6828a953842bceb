package io.kassa.engine.server.terminal;

import static io.kassa.engine.server.terminal.TerminalAuthenticationTest.assertError;
import static io.kassa.engine.server.terminal.TerminalBackPressureTest.checkout;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.testing.RawTerminal;
import io.kassa.engine.server.testing.TestEngine;
import io.kassa.engine.server.testing.TestServices;
import io.kassa.protocol.FrameLimits;
import io.kassa.protocol.v1.Draining;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.Hello;
import io.kassa.protocol.v1.Push;
import io.kassa.protocol.v1.PushAck;
import io.kassa.protocol.v1.QuoteRequest;
import java.io.IOException;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Pushes reach a connected terminal with dense sequences, are resent after a reconnect from the
 * sequence the terminal says it saw (with a gap marker past the bound), and a shutting-down
 * engine tells its terminals to go elsewhere before it drains; an unauthenticated connection is
 * closed at the handshake limit. Checked over real TCP with a raw socket.
 */
class TerminalPushAndDrainTest {

    private static Push push(TestEngine engine, String terminalId) {
        return engine.engine().terminalPushes().push(terminalId, push -> push.setDraining(
                Draining.newBuilder().setReason("test push")));
    }

    @Test
    void missedPushesAreResentAfterTheSequenceTheTerminalSaw() throws IOException {
        try (TestEngine engine = TestEngine.start("push_resume")) {
            byte[] secret = engine.secret("S001", "T-push");
            try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T-push")) {
                push(engine, "T-push");
                push(engine, "T-push");
                assertThat(terminal.receive().getPush().getSequence()).isEqualTo(1);
                assertThat(terminal.receive().getPush().getSequence()).isEqualTo(2);
                terminal.send(Envelope.newBuilder()
                        .setPushAck(PushAck.newBuilder().setSequence(1)).build());
                // The ack is not answered: the next frame is the heartbeat's ack.
                assertThat(terminal.exchange(TerminalBackPressureTest.heartbeat(3))
                        .hasHeartbeatAck()).isTrue();
            }
            push(engine, "T-push");

            try (RawTerminal terminal = RawTerminal.connect(engine.port())) {
                Hello resume = RawTerminal.hello("S001", "T-push").toBuilder()
                        .setLastPushSequenceSeen(1).build();
                terminal.authenticate(resume, secret);

                assertThat(terminal.receive().getPush().getSequence()).isEqualTo(2);
                assertThat(terminal.receive().getPush().getSequence()).isEqualTo(3);
                assertThat(engine.engine().terminalPushes().push("T-push",
                        push -> push.setDraining(Draining.getDefaultInstance())).getSequence())
                        .isEqualTo(4);
                assertThat(terminal.receive().getPush().getSequence()).isEqualTo(4);
            }
        }
    }

    @Test
    void pushesBeyondTheBoundAreResentBehindAGapMarker() throws IOException {
        try (TestEngine engine = TestEngine.start("push_gap")) {
            byte[] secret = engine.secret("S001", "T-away");
            int made = FrameLimits.PUSHES_RETAINED_MAX + 1;
            for (int index = 0; index < made; index++) {
                push(engine, "T-away");
            }
            try (RawTerminal terminal = RawTerminal.connect(engine.port())) {
                terminal.authenticate(RawTerminal.hello("S001", "T-away"), secret);
                List<Push> received = new ArrayList<>();
                for (int index = 0; index < FrameLimits.PUSHES_RETAINED_MAX; index++) {
                    received.add(terminal.receive().getPush());
                }

                assertThat(received.get(0).getGap().getFirstSequence()).isEqualTo(1);
                assertThat(received.get(0).getSequence()).isEqualTo(2);
                assertThat(received.get(received.size() - 1).getSequence()).isEqualTo(made);
                for (int index = 1; index < received.size(); index++) {
                    assertThat(received.get(index).getSequence())
                            .isEqualTo(received.get(index - 1).getSequence() + 1);
                }
            }
        }
    }

    @Test
    void shutdownPushesDrainingAnswersInFlightRefusesNewAndCloses() throws Exception {
        TestEngine engine = TestEngine.start("draining");
        try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T-drain");
                Connection lock = TestServices.jdbc(engine.schema())) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("lock table sales_order in exclusive mode");
            }
            terminal.send(checkout(5, "drain-1"));
            // The checkout is in flight before the engine begins to stop.
            Thread.sleep(200);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(engine::close);

            Envelope draining = terminal.receive();
            assertThat(draining.getPush().hasDraining()).as(draining.toString()).isTrue();
            assertThat(draining.getRequestId()).isZero();
            assertThat(draining.getPush().getDraining().getReconnectAfterMillis()).isPositive();

            Envelope refused = terminal.exchange(Envelope.newBuilder().setRequestId(6)
                    .setQuoteRequest(QuoteRequest.newBuilder().setCurrency("CNY")
                            .addLines(RawTerminal.line("milk", "dairy", 250, 1)))
                    .build());
            assertError(refused, 6, ErrorCode.UNAVAILABLE, false);

            lock.commit();
            Envelope answer = terminal.receive();
            assertThat(answer.getRequestId()).isEqualTo(5);
            assertThat(answer.hasCheckoutResponse()).as(answer.toString()).isTrue();
            assertThat(terminal.closedByPeer()).isTrue();
            closing.get();
        }
    }

    @Test
    void connectionThatNeverAuthenticatesIsClosedAtTheHandshakeLimit() throws IOException {
        int handshakeMillis = 300;
        try (TestEngine engine = TestEngine.start("handshake", TerminalPolicy.defaults()
                .withLimits(new TerminalPolicy.Limits(FrameLimits.IN_FLIGHT_REQUESTS_MAX,
                        FrameLimits.REQUESTS_PER_SECOND_MAX, FrameLimits.REQUEST_BURST_MAX,
                        handshakeMillis, FrameLimits.PUSHES_RETAINED_MAX)));
                RawTerminal silent = RawTerminal.connect(engine.port());
                RawTerminal greeted = RawTerminal.greeted(engine, "S001", "T-in-time")) {
            long startNanos = System.nanoTime();

            assertError(silent.receive(), 0, ErrorCode.HELLO_REQUIRED, true);

            assertThat((System.nanoTime() - startNanos) / 1_000_000)
                    .isLessThan(handshakeMillis * 10L);
            assertThat(silent.closedByPeer()).isTrue();
            assertThat(greeted.exchange(TerminalBackPressureTest.heartbeat(3)).hasHeartbeatAck())
                    .as("an authenticated connection is not affected").isTrue();
        }
    }
}
