package io.kassa.peripherals.sdk;

import static io.kassa.peripherals.testing.Futures.await;
import static io.kassa.peripherals.testing.Futures.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.kassa.peripherals.testing.ScriptedPeer;
import io.kassa.protocol.TerminalAuthentication;
import io.kassa.protocol.v1.AuthChallenge;
import io.kassa.protocol.v1.Draining;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.Error;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.Push;
import io.kassa.protocol.v1.PushGap;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SDK answers the engine's challenge with the proof SPEC.md defines, reports a refusal with
 * its code, delivers pushes once each in order and acknowledges them, and checks its TLS
 * options; run against a scripted peer that plays an authenticating engine.
 */
@ExtendWith(VertxExtension.class)
class TerminalClientAuthenticationTest {

    private static final byte[] SECRET = new byte[32];
    private static final byte[] NONCE = new byte[32];

    static {
        for (int index = 0; index < 32; index++) {
            SECRET[index] = (byte) index;
            NONCE[index] = (byte) (0xa0 + index);
        }
    }

    private Vertx vertx;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Challenges every Hello and welcomes a right proof; anything else is a fatal error. */
    static ScriptedPeer.Script authenticating(ScriptedPeer.Script rest) {
        return (connection, envelope) -> {
            switch (envelope.getBodyCase()) {
                case HELLO -> connection.answer(envelope, Envelope.newBuilder()
                        .setAuthChallenge(AuthChallenge.newBuilder()
                                .setNonce(ByteString.copyFrom(NONCE))));
                case AUTH_PROOF -> {
                    boolean right = TerminalAuthentication.verify(SECRET, NONCE,
                            "T-store-001-1", "store-001",
                            envelope.getAuthProof().getProof().toByteArray());
                    connection.answer(envelope, right
                            ? Envelope.newBuilder().setWelcome(ScriptedPeer.welcome(15_000))
                            : Envelope.newBuilder().setError(Error.newBuilder()
                                    .setCode(ErrorCode.AUTHENTICATION_FAILED)
                                    .setMessage("authentication failed").setFatal(true)));
                }
                default -> rest.onEnvelope(connection, envelope);
            }
        };
    }

    /** Challenges every Hello and welcomes any proof; for tests of what comes after. */
    static ScriptedPeer.Script authenticatingAny(ScriptedPeer.Script rest) {
        return (connection, envelope) -> {
            switch (envelope.getBodyCase()) {
                case HELLO -> connection.answer(envelope, Envelope.newBuilder()
                        .setAuthChallenge(AuthChallenge.newBuilder()
                                .setNonce(ByteString.copyFrom(NONCE))));
                case AUTH_PROOF -> connection.answer(envelope,
                        Envelope.newBuilder().setWelcome(ScriptedPeer.welcome(15_000)));
                default -> rest.onEnvelope(connection, envelope);
            }
        };
    }

    private static TerminalClientOptions options(ScriptedPeer peer) {
        return new TerminalClientOptions().setPort(peer.port()).setStoreId("store-001")
                .setTerminalId("T-store-001-1").setSecret(SECRET);
    }

    @Test
    void challengeIsAnsweredWithTheSpecifiedProofAndWelcomed() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, authenticating((c, e) -> { })));
        TerminalClient client = TerminalClient.create(vertx, options(peer));

        assertThat(await(client.connect()).getNodeId()).isEqualTo("scripted-peer");

        Envelope proof = peer.received(Envelope.BodyCase.AUTH_PROOF).get(0);
        assertThat(proof.getRequestId()).isEqualTo(2);
        assertThat(proof.getAuthProof().getProof().toByteArray()).isEqualTo(
                TerminalAuthentication.proof(SECRET, NONCE, "T-store-001-1", "store-001"));
    }

    @Test
    void wrongSecretFailsConnectWithAuthenticationFailed() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, authenticating((c, e) -> { })));
        byte[] wrong = SECRET.clone();
        wrong[0] ^= 1;
        TerminalClient client = TerminalClient.create(vertx, options(peer).setSecret(wrong));

        Throwable failure = awaitFailure(client.connect());

        assertThat(failure).isInstanceOfSatisfying(TerminalErrorException.class, error ->
                assertThat(error.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void challengeWithoutASecretFailsConnectWithoutSendingAProof() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, authenticating((c, e) -> { })));
        TerminalClient client = TerminalClient.create(vertx, options(peer).setSecret(null));

        assertThat(awaitFailure(client.connect())).isInstanceOf(TerminalConnectionException.class)
                .hasMessageContaining("secret");
        assertThat(peer.received(Envelope.BodyCase.AUTH_PROOF)).isEmpty();
    }

    @Test
    void helloCarriesTheLastPushSequenceSeen() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, authenticating((c, e) -> { })));
        TerminalClient client = TerminalClient.create(vertx,
                options(peer).setLastPushSequenceSeen(41));

        await(client.connect());

        assertThat(peer.received(Envelope.BodyCase.HELLO).get(0).getHello()
                .getLastPushSequenceSeen()).isEqualTo(41);
        assertThat(client.lastPushSequenceSeen()).isEqualTo(41);
    }

    @Test
    void pushesAreHandledOnceInOrderAndAcknowledged() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, authenticating((c, e) -> { })));
        TerminalClient client = TerminalClient.create(vertx, options(peer));
        List<Long> handled = new CopyOnWriteArrayList<>();
        client.onPush(push -> handled.add(push.getSequence()));
        await(client.connect());
        ScriptedPeer.Connection connection = peer.connections().get(0);

        connection.send(push(1));
        connection.send(push(2));
        connection.send(push(2));
        connection.send(Envelope.newBuilder().setPush(Push.newBuilder().setSequence(9)
                .setGap(PushGap.newBuilder().setFirstSequence(3))).build());

        await().atMost(Duration.ofSeconds(30)).until(() ->
                peer.received(Envelope.BodyCase.PUSH_ACK).size() == 4);
        assertThat(handled).containsExactly(1L, 2L, 9L);
        assertThat(peer.received(Envelope.BodyCase.PUSH_ACK)).extracting(
                ack -> ack.getPushAck().getSequence()).containsExactly(1L, 2L, 2L, 9L);
        assertThat(peer.received(Envelope.BodyCase.PUSH_ACK))
                .allMatch(ack -> ack.getRequestId() == 0);
        assertThat(client.lastPushSequenceSeen()).isEqualTo(9);
    }

    @Test
    void drainingPushMarksTheClientDraining() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, authenticating((c, e) -> { })));
        TerminalClient client = TerminalClient.create(vertx, options(peer));
        await(client.connect());

        peer.connections().get(0).send(push(1));

        await().atMost(Duration.ofSeconds(30)).until(client::isDraining);
    }

    @Test
    void tlsFilesWithoutTlsOrHalfAClientCertificateAreRefused() {
        assertThatThrownBy(() -> TerminalClient.create(vertx, new TerminalClientOptions()
                .setTlsTrustedCaPemPath("/ca.pem")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TerminalClient.create(vertx, new TerminalClientOptions()
                .setTls(true).setTlsClientCertificate("/cert.pem", null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Envelope push(long sequence) {
        return Envelope.newBuilder().setPush(Push.newBuilder().setSequence(sequence)
                .setDraining(Draining.newBuilder().setReason("test")
                        .setReconnectAfterMillis(50)))
                .build();
    }
}
