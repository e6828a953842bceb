package io.kassa.peripherals.sdk;

import static io.kassa.peripherals.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.peripherals.testing.ScriptedPeer;
import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.CheckoutStatus;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.MemberLookupRequest;
import io.kassa.protocol.v1.MemberLookupResponse;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reconnecting SDK client given several engine nodes: it reaches a live node when the first
 * is dead, and when the node it is connected to stops, it moves to another and resends the
 * pending checkout there under the same sale id; run against scripted peers.
 */
@ExtendWith(VertxExtension.class)
class ReconnectingTerminalClientEnginesTest {

    private Vertx vertx;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
    }

    private static TerminalClientOptions options() {
        return new TerminalClientOptions().setStoreId("store-001").setTerminalId("T-store-001-1")
                .setSecret(new byte[32]).setRequestTimeoutMillis(2_000)
                .setConnectTimeoutMillis(1_000);
    }

    private static SocketAddress address(int port) {
        return SocketAddress.inetSocketAddress(port, "127.0.0.1");
    }

    /** A port nothing listens on: a peer started and stopped. */
    private int deadPort() {
        ScriptedPeer probe = await(ScriptedPeer.start(vertx, (c, e) -> { }));
        int port = probe.port();
        await(probe.close());
        return port;
    }

    @Test
    void aDeadFirstNodeIsSkippedForTheNextOne() {
        int dead = deadPort();
        ScriptedPeer alive = await(ScriptedPeer.start(vertx, TerminalClientAuthenticationTest
                .authenticatingAny((connection, envelope) -> {
                    if (envelope.hasMemberLookupRequest()) {
                        connection.answer(envelope, Envelope.newBuilder().setMemberLookupResponse(
                                MemberLookupResponse.newBuilder().setMemberId("M1")));
                    }
                })));
        ReconnectingTerminalClient client = ReconnectingTerminalClient.create(vertx, options(),
                List.of(address(dead), address(alive.port())), 10, 50);

        await(client.start());

        assertThat(client.currentEngine().port()).isEqualTo(alive.port());
        assertThat(client.connections()).isEqualTo(1);
        assertThat(await(client.lookupMember(MemberLookupRequest.newBuilder()
                .setMemberCode("member-0001").build())).getMemberId()).isEqualTo("M1");
        await(client.close());
        await(alive.close());
    }

    @Test
    void whenItsNodeStopsThePendingCheckoutIsResentToTheOtherUnderTheSameSaleId() {
        // Node A takes the checkout and dies before answering; node B answers it.
        ScriptedPeer[] nodeA = new ScriptedPeer[1];
        nodeA[0] = await(ScriptedPeer.start(vertx, TerminalClientAuthenticationTest
                .authenticatingAny((connection, envelope) -> {
                    if (envelope.hasCheckoutRequest()) {
                        nodeA[0].close();
                        connection.close();
                    }
                })));
        ScriptedPeer nodeB = await(ScriptedPeer.start(vertx, TerminalClientAuthenticationTest
                .authenticatingAny((connection, envelope) -> {
                    if (envelope.hasCheckoutRequest()) {
                        connection.answer(envelope, Envelope.newBuilder()
                                .setCheckoutResponse(CheckoutResponse.newBuilder()
                                        .setSaleId(envelope.getCheckoutRequest().getSaleId())
                                        .setOrderId("O-B")
                                        .setStatus(CheckoutStatus.COMMITTED)));
                    }
                })));
        ReconnectingTerminalClient client = ReconnectingTerminalClient.create(vertx, options(),
                List.of(address(nodeA[0].port()), address(nodeB.port())), 10, 50);
        await(client.start());
        assertThat(client.currentEngine().port()).isEqualTo(nodeA[0].port());

        CheckoutResponse response = await(client.checkout(sale("sale-77")));

        assertThat(response.getOrderId()).isEqualTo("O-B");
        assertThat(client.currentEngine().port()).isEqualTo(nodeB.port());
        assertThat(nodeA[0].received(Envelope.BodyCase.CHECKOUT_REQUEST))
                .extracting(e -> e.getCheckoutRequest().getSaleId()).containsExactly("sale-77");
        assertThat(nodeB.received(Envelope.BodyCase.CHECKOUT_REQUEST))
                .extracting(e -> e.getCheckoutRequest().getSaleId()).containsExactly("sale-77");
        await(client.close());
        await(nodeB.close());
    }

    @Test
    void readOnlyRequestsFailFastWhileNoNodeAnswers() {
        ReconnectingTerminalClient client = ReconnectingTerminalClient.create(vertx, options(),
                List.of(address(deadPort()), address(deadPort())), 10, 50);
        Future<Void> started = client.start();

        Throwable failure = io.kassa.peripherals.testing.Futures.awaitFailure(
                client.lookupMember(MemberLookupRequest.newBuilder().setMemberCode("m").build()));

        assertThat(failure).isInstanceOf(TerminalConnectionException.class);
        assertThat(started.isComplete()).isFalse();
        await(client.close());
    }

    @Test
    void anEmptyListOfNodesIsRefused() {
        assertThatThrownBy(() -> ReconnectingTerminalClient.create(vertx, options(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
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
