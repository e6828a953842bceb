package io.kassa.engine.server.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.testing.RawTerminal;
import io.kassa.engine.server.testing.TestEngine;
import io.kassa.protocol.FrameLimits;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.Heartbeat;
import io.kassa.protocol.v1.Hello;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The handshake authenticates only a provisioned, enabled terminal of its own store holding its
 * secret, answers every other case alike, and rate-limits failures per terminal id and per
 * address; checked over real TCP against a real engine, each failing case from its own 127.0.0.x
 * source address so that the per-address limit of one case does not leak into the next.
 */
class TerminalAuthenticationTest {

    private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger(10);
    private static TestEngine engine;

    @BeforeAll
    static void startEngine() {
        engine = TestEngine.start("authentication");
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    private static String freshAddress() {
        return "127.0.0." + NEXT_ADDRESS.getAndIncrement();
    }

    @Test
    void provisionedTerminalWithItsSecretIsWelcomedWithTheLimits() throws IOException {
        try (RawTerminal terminal = RawTerminal.connect(engine.port())) {
            Envelope welcome = terminal.authenticate(RawTerminal.hello("S1", "T-ok"),
                    engine.secret("S1", "T-ok"));

            assertThat(welcome.getRequestId()).isEqualTo(2);
            assertThat(welcome.getWelcome().getInFlightRequestsMax())
                    .isEqualTo(FrameLimits.IN_FLIGHT_REQUESTS_MAX);
            assertThat(terminal.exchange(heartbeat(3)).hasHeartbeatAck()).isTrue();
        }
    }

    @Test
    void challengeCarriesAFreshNonceEveryTime() throws IOException {
        byte[] first;
        byte[] second;
        try (RawTerminal terminal = RawTerminal.connect(engine.port())) {
            first = terminal.exchange(hello(1, RawTerminal.hello("S1", "T-nonce")))
                    .getAuthChallenge().getNonce().toByteArray();
        }
        try (RawTerminal terminal = RawTerminal.connect(engine.port())) {
            second = terminal.exchange(hello(1, RawTerminal.hello("S1", "T-nonce")))
                    .getAuthChallenge().getNonce().toByteArray();
        }
        assertThat(first).hasSize(FrameLimits.AUTH_NONCE_BYTES);
        assertThat(second).hasSize(FrameLimits.AUTH_NONCE_BYTES).isNotEqualTo(first);
    }

    @Test
    void wrongSecretIsFatalAuthenticationFailed() throws IOException {
        byte[] wrong = engine.secret("S1", "T-wrong");
        wrong[0] ^= 1;
        assertRefused(RawTerminal.hello("S1", "T-wrong"), wrong);
    }

    @Test
    void unknownTerminalGetsTheSameAnswerAsAWrongSecret() throws IOException {
        assertRefused(RawTerminal.hello("S1", "T-never-provisioned"), new byte[32]);
    }

    @Test
    void disabledTerminalGetsTheSameAnswer() throws Exception {
        byte[] secret = engine.secret("S1", "T-disabled");
        await(engine.engine().terminalRegistry().setDisabled("T-disabled", true));

        assertRefused(RawTerminal.hello("S1", "T-disabled"), secret);
    }

    @Test
    void terminalClaimingAnotherStoreGetsTheSameAnswer() throws IOException {
        byte[] secret = engine.secret("S1", "T-moved");

        assertRefused(RawTerminal.hello("S2", "T-moved"), secret);
    }

    @Test
    void rotatedSecretReplacesTheOldOneAtOnce() throws Exception {
        byte[] old = engine.secret("S1", "T-rotated");
        byte[] fresh = await(engine.engine().terminalRegistry().rotate("T-rotated")).secret();

        assertRefused(RawTerminal.hello("S1", "T-rotated"), old);
        try (RawTerminal terminal = RawTerminal.connect(engine.port())) {
            assertThat(terminal.authenticate(RawTerminal.hello("S1", "T-rotated"), fresh)
                    .hasWelcome()).isTrue();
        }
    }

    @Test
    void requestBetweenChallengeAndProofIsHelloRequired() throws IOException {
        try (RawTerminal terminal = RawTerminal.connect(engine.port())) {
            terminal.exchange(hello(1, RawTerminal.hello("S1", "T-early")));

            assertError(terminal.exchange(heartbeat(2)), 2, ErrorCode.HELLO_REQUIRED, false);
        }
    }

    @Test
    void proofWithoutChallengeIsHelloRequired() throws IOException {
        try (RawTerminal terminal = RawTerminal.connect(engine.port())) {
            Envelope challenge = Envelope.newBuilder().setAuthChallenge(
                    io.kassa.protocol.v1.AuthChallenge.newBuilder()
                            .setNonce(com.google.protobuf.ByteString.copyFrom(new byte[32])))
                    .build();
            Envelope proof = RawTerminal.proof(1, challenge, RawTerminal.hello("S1", "T-x"),
                    new byte[32]);

            assertError(terminal.exchange(proof), 1, ErrorCode.HELLO_REQUIRED, false);
        }
    }

    @Test
    void proofOfThirtyOneBytesIsInvalidField() throws IOException {
        try (RawTerminal terminal = RawTerminal.connect(engine.port())) {
            terminal.exchange(hello(1, RawTerminal.hello("S1", "T-short")));
            Envelope proof = Envelope.newBuilder().setRequestId(2).setAuthProof(
                    io.kassa.protocol.v1.AuthProof.newBuilder().setProof(
                            com.google.protobuf.ByteString.copyFrom(new byte[31]))).build();

            assertError(terminal.exchange(proof), 2, ErrorCode.INVALID_FIELD, false);
        }
    }

    @Test
    void failuresOfOneTerminalAreLimitedAtTheMaximumPlusOne() throws IOException {
        Hello hello = RawTerminal.hello("S1", "T-guessed");
        byte[] secret = engine.secret("S1", "T-guessed");
        byte[] wrong = secret.clone();
        wrong[5] ^= 1;
        for (int attempt = 1; attempt <= FrameLimits.AUTH_FAILURES_PER_TERMINAL_MAX; attempt++) {
            // Each from another address: this is the per-terminal limit, not the per-address one.
            assertRefused(hello, wrong);
        }

        try (RawTerminal terminal = RawTerminal.connect(engine.port(), freshAddress())) {
            // Even the right secret is refused now: a guesser cannot tell when it hit.
            assertError(terminal.exchange(hello(1, hello)), 1, ErrorCode.TOO_MANY_ATTEMPTS, true);
            assertThat(terminal.closedByPeer()).isTrue();
        }
    }

    @Test
    void failuresFromOneAddressAreLimitedAtTheMaximumPlusOne() throws IOException {
        String address = freshAddress();
        for (int attempt = 1; attempt <= FrameLimits.AUTH_FAILURES_PER_ADDRESS_MAX; attempt++) {
            try (RawTerminal terminal = RawTerminal.connect(engine.port(), address)) {
                Hello hello = RawTerminal.hello("S1", "T-scan-" + attempt);
                Envelope challenge = terminal.exchange(hello(1, hello));
                assertThat(challenge.hasAuthChallenge()).as("attempt %d", attempt).isTrue();
                assertError(terminal.exchange(RawTerminal.proof(2, challenge, hello,
                        new byte[32])), 2, ErrorCode.AUTHENTICATION_FAILED, true);
            }
        }

        try (RawTerminal terminal = RawTerminal.connect(engine.port(), address)) {
            assertError(terminal.exchange(hello(1, RawTerminal.hello("S1", "T-scan-next"))), 1,
                    ErrorCode.TOO_MANY_ATTEMPTS, true);
        }
        // Another address is not affected.
        try (RawTerminal terminal = RawTerminal.connect(engine.port(), freshAddress())) {
            assertThat(terminal.authenticate(RawTerminal.hello("S1", "T-ok-2"),
                    engine.secret("S1", "T-ok-2")).hasWelcome()).isTrue();
        }
    }

    private static void assertRefused(Hello hello, byte[] secret) throws IOException {
        try (RawTerminal terminal = RawTerminal.connect(engine.port(), freshAddress())) {
            Envelope challenge = terminal.exchange(hello(1, hello));
            assertThat(challenge.hasAuthChallenge()).as(challenge.toString()).isTrue();

            Envelope answer = terminal.exchange(RawTerminal.proof(2, challenge, hello, secret));

            assertError(answer, 2, ErrorCode.AUTHENTICATION_FAILED, true);
            // The same words for every cause, so that nothing can be learned from them.
            assertThat(answer.getError().getMessage())
                    .isEqualTo(TerminalConnection.AUTHENTICATION_FAILED_MESSAGE);
            assertThat(terminal.closedByPeer()).isTrue();
        }
    }

    private static Envelope hello(long requestId, Hello hello) {
        return Envelope.newBuilder().setRequestId(requestId).setHello(hello).build();
    }

    private static Envelope heartbeat(long requestId) {
        return Envelope.newBuilder().setRequestId(requestId)
                .setHeartbeat(Heartbeat.newBuilder().setSentAtMillis(1)).build();
    }

    static void assertError(Envelope answer, long requestId, ErrorCode code, boolean fatal) {
        assertThat(answer.hasError()).as(answer.toString()).isTrue();
        assertThat(answer.getRequestId()).isEqualTo(requestId);
        assertThat(answer.getError().getCode()).isEqualTo(code);
        assertThat(answer.getError().getFatal()).isEqualTo(fatal);
    }

    static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }
}
