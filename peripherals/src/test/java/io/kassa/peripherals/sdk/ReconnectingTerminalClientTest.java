package io.kassa.peripherals.sdk;

import static io.kassa.peripherals.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kassa.peripherals.testing.ScriptedPeer;
import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.CheckoutStatus;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.Error;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reconnecting SDK client comes back after a lost connection with bounded, jittered backoff,
 * re-authenticates, resumes pushes from the last sequence it saw, and resends an unanswered
 * checkout with the same sale id and a new request id; run against a scripted peer that drops
 * connections on cue.
 */
@ExtendWith(VertxExtension.class)
class ReconnectingTerminalClientTest {

    private Vertx vertx;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
    }

    private static TerminalClientOptions options(ScriptedPeer peer) {
        return new TerminalClientOptions().setPort(peer.port()).setStoreId("store-001")
                .setTerminalId("T-store-001-1").setSecret(new byte[32])
                .setRequestTimeoutMillis(2_000);
    }

    @Test
    void backoffIsFullJitterBoundedByTheCap() {
        assertThat(ReconnectingTerminalClient.backoffMillis(500, 30_000, 0, 0.0)).isZero();
        assertThat(ReconnectingTerminalClient.backoffMillis(500, 30_000, 0, 0.999))
                .isLessThan(500);
        assertThat(ReconnectingTerminalClient.backoffMillis(500, 30_000, 3, 0.999))
                .isLessThan(4_000).isGreaterThan(3_900);
        assertThat(ReconnectingTerminalClient.backoffMillis(500, 30_000, 10, 0.999))
                .isLessThan(30_000).isGreaterThan(29_900);
        assertThat(ReconnectingTerminalClient.backoffMillis(500, 30_000, Integer.MAX_VALUE, 1.0))
                .isEqualTo(30_000);
    }

    @Test
    void lostCheckoutIsResentAfterTheReconnectWithTheSameSaleId() {
        AtomicInteger checkouts = new AtomicInteger();
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, TerminalClientAuthenticationTest
                .authenticatingAny((connection, envelope) -> {
                    if (envelope.hasCheckoutRequest()) {
                        if (checkouts.incrementAndGet() == 1) {
                            // The first attempt is lost with its connection.
                            connection.close();
                        } else {
                            connection.answer(envelope, Envelope.newBuilder()
                                    .setCheckoutResponse(CheckoutResponse.newBuilder()
                                            .setSaleId(envelope.getCheckoutRequest().getSaleId())
                                            .setStatus(CheckoutStatus.COMMITTED)
                                            .setReplayed(true)));
                        }
                    }
                })));
        ReconnectingTerminalClient client =
                ReconnectingTerminalClient.create(vertx, options(peer), 10, 50);
        await(client.start());

        CheckoutResponse response = await(client.checkout(sale("sale-42")));

        assertThat(response.getSaleId()).isEqualTo("sale-42");
        assertThat(client.connections()).isEqualTo(2);
        List<Envelope> sent = peer.received(Envelope.BodyCase.CHECKOUT_REQUEST);
        assertThat(sent).hasSize(2);
        assertThat(sent).extracting(e -> e.getCheckoutRequest().getSaleId())
                .containsOnly("sale-42");
        assertThat(peer.received(Envelope.BodyCase.AUTH_PROOF)).hasSize(2);
        await(client.close());
    }

    @Test
    void unavailableWhileDrainingIsResentAfterTheReconnect() {
        AtomicInteger checkouts = new AtomicInteger();
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, TerminalClientAuthenticationTest
                .authenticatingAny((connection, envelope) -> {
                    if (envelope.hasCheckoutRequest()) {
                        if (checkouts.incrementAndGet() == 1) {
                            connection.answer(envelope, Envelope.newBuilder().setError(
                                    Error.newBuilder().setCode(ErrorCode.UNAVAILABLE)
                                            .setMessage("draining")));
                        } else {
                            connection.answer(envelope, Envelope.newBuilder()
                                    .setCheckoutResponse(CheckoutResponse.newBuilder()
                                            .setSaleId("sale-7")
                                            .setStatus(CheckoutStatus.COMMITTED)));
                        }
                    }
                })));
        ReconnectingTerminalClient client =
                ReconnectingTerminalClient.create(vertx, options(peer), 10, 50);
        await(client.start());

        assertThat(await(client.checkout(sale("sale-7"))).getSaleId()).isEqualTo("sale-7");
        assertThat(client.connections()).isEqualTo(2);
        await(client.close());
    }

    @Test
    void pushesResumeFromTheLastSequenceSeenAcrossReconnects() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx,
                TerminalClientAuthenticationTest.authenticatingAny((c, e) -> { })));
        ReconnectingTerminalClient client =
                ReconnectingTerminalClient.create(vertx, options(peer), 10, 50);
        List<Long> handled = new CopyOnWriteArrayList<>();
        client.onPush(push -> handled.add(push.getSequence()));
        await(client.start());

        peer.connections().get(0).send(TerminalClientAuthenticationTest.push(1));
        peer.connections().get(0).send(TerminalClientAuthenticationTest.push(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 2);
        peer.connections().get(0).close();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.connections() == 2);

        List<Envelope> hellos = peer.received(Envelope.BodyCase.HELLO);
        assertThat(hellos.get(1).getHello().getLastPushSequenceSeen()).isEqualTo(2);
        // A resend of 2 is dropped, 3 is new.
        peer.connections().get(1).send(TerminalClientAuthenticationTest.push(2));
        peer.connections().get(1).send(TerminalClientAuthenticationTest.push(3));
        await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 3);
        assertThat(handled).containsExactly(1L, 2L, 3L);
        await(client.close());
    }

    @Test
    void startBeforeTheEngineIsUpConnectsOnceItIs() throws Exception {
        ScriptedPeer probe = await(ScriptedPeer.start(vertx, (c, e) -> { }));
        int port = probe.port();
        await(probe.close());
        ReconnectingTerminalClient client = ReconnectingTerminalClient.create(vertx,
                options(probe).setPort(port).setConnectTimeoutMillis(500), 10, 50);
        Future<Void> started = client.start();
        Thread.sleep(200);
        assertThat(started.isComplete()).isFalse();

        // The same port again, now answering.
        ScriptedPeer.Script script =
                TerminalClientAuthenticationTest.authenticatingAny((c, e) -> { });
        ScriptedPeer late = await(ScriptedPeer.startOn(vertx, port, script));

        await(started);
        assertThat(client.isConnected()).isTrue();
        await(client.close());
        await(late.close());
    }

    private static CheckoutRequest sale(String saleId) {
        return CheckoutRequest.newBuilder().setSaleId(saleId).setCurrency("CNY")
                .addLines(BasketLine.newBuilder().setSku("milk").setCategory("dairy")
                        .setUnitPriceFen(250).setQuantity(1))
                .addTenders(Tender.newBuilder().setType(TenderType.CASH).setAmountFen(250)
                        .setReceivedFen(250))
                .build();
    }
}
