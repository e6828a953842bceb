package io.kassa.peripherals.sdk;

import static io.kassa.peripherals.testing.Futures.await;
import static io.kassa.peripherals.testing.Futures.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kassa.peripherals.testing.ScriptedPeer;
import io.kassa.protocol.FrameEncoder;
import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.CheckoutStatus;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.Error;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.Heartbeat;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import io.kassa.protocol.v1.Welcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pins the terminal SDK's contract (correlation, errors, timeouts, limits, heartbeats, closing)
 * by running a real client over loopback TCP against a scripted peer that plays the engine.
 */
@ExtendWith(VertxExtension.class)
class TerminalClientTest {

    private static final int IN_FLIGHT_MAX = 4;

    private Vertx vertx;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
    }

    @Test
    void connectSendsHelloAndCompletesWithWelcome() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, ScriptedPeer.greetingOnly()));
        TerminalClient client = TerminalClient.create(vertx, options(peer));
        assertThat(client.welcome()).isNull();
        assertThat(client.isConnected()).isFalse();

        Welcome welcome = await(client.connect());

        assertThat(welcome.getNodeId()).isEqualTo("scripted-peer");
        assertThat(client.welcome()).isEqualTo(welcome);
        assertThat(client.isConnected()).isTrue();
        Envelope hello = peer.received().get(0);
        assertThat(hello.getRequestId()).isEqualTo(1);
        assertThat(hello.getHello().getProtocolVersion()).isEqualTo(1);
        assertThat(hello.getHello().getTerminalId()).isEqualTo("T-store-001-1");
        assertThat(hello.getHello().getStoreId()).isEqualTo("store-001");
        assertThat(hello.getHello().getSoftwareVersion()).isEqualTo("kassa-sdk");
    }

    @Test
    void requestIdsStartAtOneAndIncrease() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, ScriptedPeer.greeting(
                ScriptedPeer.WELCOME_INTERVAL_MILLIS_DEFAULT,
                TerminalClientTest::answerPlausibly)));
        TerminalClient client = connected(peer, options(peer));

        await(client.quote(quoteRequest()));
        await(client.heartbeat());
        await(client.checkout(checkoutRequest("sale-1")));

        assertThat(peer.received()).extracting(Envelope::getRequestId)
                .containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void answersInReverseOrderAreCorrelatedByRequestId() {
        List<Envelope> held = new CopyOnWriteArrayList<>();
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, ScriptedPeer.greeting(
                ScriptedPeer.WELCOME_INTERVAL_MILLIS_DEFAULT, (connection, envelope) -> {
                    held.add(envelope);
                    if (held.size() == 2) {
                        // The checkout (sent second) is answered first.
                        answerPlausibly(connection, held.get(1));
                        answerPlausibly(connection, held.get(0));
                    }
                })));
        TerminalClient client = connected(peer, options(peer));

        Future<QuoteResponse> quote = client.quote(quoteRequest());
        Future<CheckoutResponse> checkout = client.checkout(checkoutRequest("sale-42"));

        assertThat(await(quote).getPayableFen()).isEqualTo(500);
        assertThat(await(checkout).getSaleId()).isEqualTo("sale-42");
    }

    @Test
    void errorAnswerFailsWithTerminalErrorExceptionCarryingTheCode() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, ScriptedPeer.greeting(
                ScriptedPeer.WELCOME_INTERVAL_MILLIS_DEFAULT, (connection, envelope) -> {
                    if (envelope.hasCheckoutRequest()) {
                        connection.answer(envelope, error(ErrorCode.TENDER_MISMATCH, false));
                    } else {
                        answerPlausibly(connection, envelope);
                    }
                })));
        TerminalClient client = connected(peer, options(peer));

        Throwable failure = awaitFailure(client.checkout(checkoutRequest("sale-1")));

        assertThat(failure).isInstanceOf(TerminalErrorException.class);
        TerminalErrorException error = (TerminalErrorException) failure;
        assertThat(error.code()).isEqualTo(ErrorCode.TENDER_MISMATCH);
        assertThat(error.fatal()).isFalse();
        assertThat(error.requestId()).isEqualTo(2);
        // A recoverable error leaves the connection usable.
        assertThat(client.isConnected()).isTrue();
        assertThat(await(client.quote(quoteRequest())).getPayableFen()).isEqualTo(500);
    }

    @Test
    void rawRequestReturnsTheAnsweringEnvelope() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, ScriptedPeer.greeting(
                ScriptedPeer.WELCOME_INTERVAL_MILLIS_DEFAULT,
                TerminalClientTest::answerPlausibly)));
        TerminalClient client = connected(peer, options(peer));
        Envelope.Builder request = Envelope.newBuilder().setQuoteRequest(quoteRequest());

        Envelope answer = await(client.request(request));

        assertThat(answer.getRequestId()).isEqualTo(2);
        assertThat(answer.getQuoteResponse().getPayableFen()).isEqualTo(500);
        assertThat(request.getRequestId()).as("the caller's builder is untouched").isZero();
    }

    @Test
    void peerClosingFailsEveryInFlightRequestWithConnectionException() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, ScriptedPeer.greeting(
                ScriptedPeer.WELCOME_INTERVAL_MILLIS_DEFAULT, (connection, envelope) -> {
                    if (envelope.hasCheckoutRequest()) {
                        connection.close();
                    }
                })));
        TerminalClient client = connected(peer, options(peer));
        Future<QuoteResponse> first = client.quote(quoteRequest());
        Future<QuoteResponse> second = client.quote(quoteRequest());

        Future<CheckoutResponse> third = client.checkout(checkoutRequest("sale-1"));

        assertThat(awaitFailure(first)).isInstanceOf(TerminalConnectionException.class);
        assertThat(awaitFailure(second)).isInstanceOf(TerminalConnectionException.class);
        assertThat(awaitFailure(third)).isInstanceOf(TerminalConnectionException.class);
        assertThat(client.isConnected()).isFalse();
        assertThat(awaitFailure(client.quote(quoteRequest())))
                .isInstanceOf(TerminalConnectionException.class);
    }

    @Test
    void closeFailsEveryInFlightRequestWithConnectionException() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, ScriptedPeer.greetingOnly()));
        TerminalClient client = connected(peer, options(peer));
        Future<QuoteResponse> pending = client.quote(quoteRequest());

        await(client.close());

        assertThat(awaitFailure(pending)).isInstanceOf(TerminalConnectionException.class);
        assertThat(client.isConnected()).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> peer.connectionsOpen() == 0);
        await(client.close());
    }

    @Test
    void unansweredRequestFailsWithTimeoutAndTheLateAnswerIsDropped() {
        List<Envelope> unanswered = new CopyOnWriteArrayList<>();
        List<ScriptedPeer.Connection> connections = new CopyOnWriteArrayList<>();
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, ScriptedPeer.greeting(
                ScriptedPeer.WELCOME_INTERVAL_MILLIS_DEFAULT, (connection, envelope) -> {
                    if (unanswered.isEmpty()) {
                        unanswered.add(envelope);
                        connections.add(connection);
                    } else {
                        answerPlausibly(connection, envelope);
                    }
                })));
        TerminalClient client = connected(peer, options(peer).setRequestTimeoutMillis(200));
        long startNanos = System.nanoTime();

        Throwable failure = awaitFailure(client.quote(quoteRequest()));

        long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
        assertThat(failure).isInstanceOf(TerminalTimeoutException.class);
        assertThat(elapsedMillis).isBetween(190L, 1_500L);
        connections.get(0).answer(unanswered.get(0), Envelope.newBuilder()
                .setQuoteResponse(QuoteResponse.newBuilder().setPayableFen(1)));
        assertThat(await(client.quote(quoteRequest())).getPayableFen()).isEqualTo(500);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void inFlightLimitAcceptsTheNthRequestAndRefusesTheNextOne() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, ScriptedPeer.greetingOnly()));
        TerminalClient client = connected(peer, options(peer).setInFlightMax(IN_FLIGHT_MAX));
        List<Future<QuoteResponse>> accepted = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT_MAX; i++) {
            accepted.add(client.quote(quoteRequest()));
        }

        Throwable refused = awaitFailure(client.quote(quoteRequest()));

        assertThat(refused).isInstanceOf(TerminalBusyException.class)
                .isInstanceOf(IllegalStateException.class);
        assertThat(accepted).noneMatch(Future::isComplete);
        await().atMost(Duration.ofSeconds(30)).until(
                () -> peer.received(Envelope.BodyCase.QUOTE_REQUEST).size() == IN_FLIGHT_MAX);
        // One answer frees one slot.
        ScriptedPeer.Connection connection = peer.connections().get(0);
        answerPlausibly(connection, peer.received(Envelope.BodyCase.QUOTE_REQUEST).get(0));
        await(accepted.get(0));
        Future<QuoteResponse> afterAnswer = client.quote(quoteRequest());
        assertThat(awaitFailure(client.quote(quoteRequest())))
                .isInstanceOf(TerminalBusyException.class);
        assertThat(afterAnswer.isComplete()).isFalse();
    }

    @Test
    void heartbeatsAreSentAtTheWelcomeInterval() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx,
                ScriptedPeer.greeting(100, (connection, envelope) -> {
                })));
        TerminalClient client = connected(peer, options(peer));
        long startNanos = System.nanoTime();

        await().atMost(Duration.ofSeconds(30)).until(
                () -> peer.received(Envelope.BodyCase.HEARTBEAT).size() >= 5);

        // Five beats at 100 ms cannot come sooner than 400 ms; the upper bound only guards
        // against a much longer interval, with room for a loaded machine.
        long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
        assertThat(elapsedMillis).as("five beats at 100 ms").isBetween(400L, 10_000L);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void peerHeartbeatIsAcknowledgedWithItsRequestId() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, ScriptedPeer.greetingOnly()));
        connected(peer, options(peer));

        peer.connections().get(0).send(Envelope.newBuilder().setRequestId(77)
                .setHeartbeat(Heartbeat.newBuilder().setSentAtMillis(1)).build());

        await().atMost(Duration.ofSeconds(30)).until(
                () -> !peer.received(Envelope.BodyCase.HEARTBEAT_ACK).isEmpty());
        assertThat(peer.received(Envelope.BodyCase.HEARTBEAT_ACK).get(0).getRequestId())
                .isEqualTo(77);
    }

    @Test
    void fatalErrorFailsItsRequestAndClosesTheConnection() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, ScriptedPeer.greeting(
                ScriptedPeer.WELCOME_INTERVAL_MILLIS_DEFAULT, (connection, envelope) -> {
                    if (envelope.hasCheckoutRequest()) {
                        connection.answer(envelope, error(ErrorCode.INTERNAL, true));
                    }
                })));
        TerminalClient client = connected(peer, options(peer));
        Future<QuoteResponse> bystander = client.quote(quoteRequest());

        Throwable failure = awaitFailure(client.checkout(checkoutRequest("sale-1")));

        assertThat(failure).isInstanceOf(TerminalErrorException.class);
        assertThat(((TerminalErrorException) failure).fatal()).isTrue();
        assertThat(((TerminalErrorException) failure).code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(awaitFailure(bystander)).isInstanceOf(TerminalConnectionException.class);
        assertThat(client.isConnected()).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> peer.connectionsOpen() == 0);
    }

    @Test
    void errorAboutNoRequestIsLoggedAndTheConnectionStays() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, ScriptedPeer.greeting(
                ScriptedPeer.WELCOME_INTERVAL_MILLIS_DEFAULT, (connection, envelope) -> {
                    connection.send(Envelope.newBuilder().setRequestId(0)
                            .setError(Error.newBuilder().setCode(ErrorCode.MALFORMED_PAYLOAD)
                                    .setMessage("unparseable frame"))
                            .build());
                    // An answer for a request never sent is dropped, too.
                    connection.send(Envelope.newBuilder().setRequestId(999)
                            .setQuoteResponse(QuoteResponse.getDefaultInstance()).build());
                    answerPlausibly(connection, envelope);
                })));
        TerminalClient client = connected(peer, options(peer));

        assertThat(await(client.quote(quoteRequest())).getPayableFen()).isEqualTo(500);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void answerOfTheWrongTypeFailsWithProtocolException() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, ScriptedPeer.greeting(
                ScriptedPeer.WELCOME_INTERVAL_MILLIS_DEFAULT, (connection, envelope) ->
                        connection.answer(envelope, Envelope.newBuilder().setCheckoutResponse(
                                CheckoutResponse.getDefaultInstance())))));
        TerminalClient client = connected(peer, options(peer));

        Throwable failure = awaitFailure(client.quote(quoteRequest()));

        assertThat(failure).isInstanceOf(TerminalProtocolException.class);
        assertThat(((TerminalProtocolException) failure).code())
                .isEqualTo(ErrorCode.UNEXPECTED_MESSAGE);
    }

    @Test
    void connectToAClosedPortFailsWithConnectionException() {
        NetServer probe = await(vertx.createNetServer().connectHandler(socket -> {
        }).listen(0, "127.0.0.1"));
        int closedPort = probe.actualPort();
        await(probe.close());
        TerminalClient client = TerminalClient.create(vertx, new TerminalClientOptions()
                .setPort(closedPort).setTerminalId("T-store-001-1").setStoreId("store-001"));

        Throwable failure = awaitFailure(client.connect());

        assertThat(failure).isInstanceOf(TerminalConnectionException.class);
        assertThat(client.isConnected()).isFalse();
        assertThat(client.welcome()).isNull();
    }

    @Test
    void connectWithoutWelcomeFailsWithTimeoutAndCloses() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, (connection, envelope) -> {
        }));
        TerminalClient client = TerminalClient.create(vertx,
                options(peer).setConnectTimeoutMillis(200));

        assertThat(awaitFailure(client.connect())).isInstanceOf(TerminalTimeoutException.class);
        assertThat(client.isConnected()).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> peer.connectionsOpen() == 0);
    }

    @Test
    void fatalErrorAnsweringHelloFailsConnectWithTheCode() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, (connection, envelope) ->
                connection.answer(envelope, error(ErrorCode.UNSUPPORTED_VERSION, true))));
        TerminalClient client = TerminalClient.create(vertx, options(peer));

        Throwable failure = awaitFailure(client.connect());

        assertThat(failure).isInstanceOf(TerminalErrorException.class);
        assertThat(((TerminalErrorException) failure).code())
                .isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void oversizedFrameFromPeerClosesAndFailsInFlightRequests() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, ScriptedPeer.greeting(
                ScriptedPeer.WELCOME_INTERVAL_MILLIS_DEFAULT, (connection, envelope) ->
                        // A length prefix of 4 GiB - 1: far beyond frame_bytes_max.
                        connection.sendBytes(new byte[] {(byte) 0xFF, (byte) 0xFF,
                                (byte) 0xFF, (byte) 0xFF, 1, 2, 3}))));
        TerminalClient client = connected(peer, options(peer));

        Throwable failure = awaitFailure(client.quote(quoteRequest()));

        assertThat(failure).isInstanceOf(TerminalConnectionException.class);
        assertThat(client.isConnected()).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> peer.connectionsOpen() == 0);
    }

    @Test
    void requestTooLargeForOneFrameFailsWithoutBeingSent() {
        ScriptedPeer peer = await(ScriptedPeer.start(vertx, ScriptedPeer.greetingOnly()));
        TerminalClient client = connected(peer, options(peer));
        QuoteRequest.Builder huge = QuoteRequest.newBuilder().setCurrency("CNY");
        for (int i = 0; i < 2_000; i++) {
            huge.addLines(line("sku-" + i, 100, 1).toBuilder().setName("x".repeat(100)));
        }
        assertThat(FrameEncoder.frameBytes(Envelope.newBuilder().setQuoteRequest(huge).build()))
                .isGreaterThan(64 * 1024);

        assertThat(awaitFailure(client.quote(huge.build())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(client.isConnected()).isTrue();
    }

    // ---- helpers ------------------------------------------------------------------------

    private static TerminalClientOptions options(ScriptedPeer peer) {
        return new TerminalClientOptions().setPort(peer.port())
                .setTerminalId("T-store-001-1").setStoreId("store-001");
    }

    private TerminalClient connected(ScriptedPeer peer, TerminalClientOptions options) {
        TerminalClient client = TerminalClient.create(vertx, options);
        await(client.connect());
        return client;
    }

    private static BasketLine line(String sku, long unitPriceFen, int quantity) {
        return BasketLine.newBuilder().setSku(sku).setCategory("dairy")
                .setUnitPriceFen(unitPriceFen).setQuantity(quantity).build();
    }

    private static QuoteRequest quoteRequest() {
        return QuoteRequest.newBuilder().setCurrency("CNY").addLines(line("milk-1l", 250, 2))
                .build();
    }

    private static CheckoutRequest checkoutRequest(String saleId) {
        return CheckoutRequest.newBuilder().setSaleId(saleId).setCurrency("CNY")
                .addLines(line("milk-1l", 250, 2))
                .addTenders(Tender.newBuilder().setType(TenderType.CASH).setAmountFen(500)
                        .setReceivedFen(1_000))
                .build();
    }

    private static Envelope.Builder error(ErrorCode code, boolean fatal) {
        return Envelope.newBuilder().setError(Error.newBuilder().setCode(code)
                .setMessage("scripted " + code).setFatal(fatal));
    }

    /** Answers a quote with payable 500 and a checkout with a commit echoing its sale id. */
    private static void answerPlausibly(ScriptedPeer.Connection connection, Envelope request) {
        if (request.hasQuoteRequest()) {
            connection.answer(request, Envelope.newBuilder().setQuoteResponse(
                    QuoteResponse.newBuilder().setCurrency("CNY").setSubtotalFen(500)
                            .setPayableFen(500)));
        } else if (request.hasCheckoutRequest()) {
            connection.answer(request, Envelope.newBuilder().setCheckoutResponse(
                    CheckoutResponse.newBuilder()
                            .setSaleId(request.getCheckoutRequest().getSaleId())
                            .setStatus(CheckoutStatus.COMMITTED).setPayableFen(500)));
        }
    }
}
