package io.kassa.peripherals.sdk;

import io.kassa.peripherals.sdk.internal.InFlightRequests;
import io.kassa.protocol.Decoded;
import io.kassa.protocol.FrameDecoder;
import io.kassa.protocol.FrameEncoder;
import io.kassa.protocol.FrameLimits;
import io.kassa.protocol.ProtocolException;
import io.kassa.protocol.TerminalAuthentication;
import io.kassa.protocol.v1.AuthChallenge;
import io.kassa.protocol.v1.AuthProof;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.Error;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.Heartbeat;
import io.kassa.protocol.v1.HeartbeatAck;
import io.kassa.protocol.v1.Hello;
import io.kassa.protocol.v1.MemberLookupRequest;
import io.kassa.protocol.v1.MemberLookupResponse;
import io.kassa.protocol.v1.PaymentStatusRequest;
import io.kassa.protocol.v1.PaymentStatusResponse;
import io.kassa.protocol.v1.Push;
import io.kassa.protocol.v1.PushAck;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.ShiftTotalsRequest;
import io.kassa.protocol.v1.ShiftTotalsResponse;
import io.kassa.protocol.v1.TopUpRequest;
import io.kassa.protocol.v1.TopUpResponse;
import io.kassa.protocol.v1.VoidRequest;
import io.kassa.protocol.v1.VoidResponse;
import io.kassa.protocol.v1.Welcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One terminal's connection to the engine: connect and greet, then quote and checkout requests
 * correlated by request id, heartbeats at the interval the engine asks for.
 *
 * <pre>
 * terminal                                  engine
 *    | -- Hello (id 1) ----------------------> |
 *    | <------------------------ Welcome (1) - |
 *    | -- QuoteRequest (2) ------------------> |
 *    | -- CheckoutRequest (3) ---------------> |   answers may come in any order
 *    | <--------------- CheckoutResponse (3) - |
 *    | <------------------ QuoteResponse (2) - |
 *    | -- Heartbeat (4), every interval -----> |
 *    | <------------------- HeartbeatAck (4) - |
 * </pre>
 *
 * <p>Threading: every piece of state is owned by the client's Vert.x context (the caller's
 * context when created on one, else a new event-loop context). Methods may be called from any
 * thread; they hop onto the context, and every returned future completes on it. Nothing blocks.
 *
 * <p>Failures: an {@code Error} answer fails its request with {@link TerminalErrorException};
 * no answer in time, {@link TerminalTimeoutException}; a lost or closed connection fails every
 * request in flight with {@link TerminalConnectionException}; more than {@code inFlightMax}
 * requests at once, {@link TerminalBusyException}; an answer of the wrong type or a payload
 * that does not parse, {@link TerminalProtocolException}.
 *
 * <p>Authentication: when the engine answers Hello with an AuthChallenge, the client answers
 * with the proof computed from {@link TerminalClientOptions#setSecret} (SPEC.md section 7.2);
 * {@link #connect()} completes with the Welcome that follows.
 *
 * <p>Pushes: {@link #onPush} handlers see every push once, in sequence order, on the client's
 * context; a push whose sequence was already seen (a resend after a reconnect) is dropped. After
 * the handlers return, the client acknowledges the push.
 *
 * <p>A client connects once. After it closes, for whatever reason, create a new one: that keeps
 * request ids and the in-flight table of one connection from leaking into the next. {@link
 * ReconnectingTerminalClient} does that, with backoff, resending unanswered checkouts.
 */
public final class TerminalClient {

    private static final Logger LOG = LoggerFactory.getLogger(TerminalClient.class);

    /** Bounds of the timeout sweep's period: a tenth of the shortest timeout, within these. */
    static final long SWEEP_PERIOD_MILLIS_MIN = 10;
    static final long SWEEP_PERIOD_MILLIS_MAX = 1_000;

    /** A hostile or broken Welcome must not make the client spin on heartbeats. */
    static final long HEARTBEAT_INTERVAL_MILLIS_MIN = 10;

    private enum State { NEW, CONNECTING, CONNECTED, CLOSED }

    private final Context context;
    private final TerminalClientOptions options;
    private final NetClient netClient;
    private final FrameDecoder decoder = new FrameDecoder();
    private final InFlightRequests inFlight;
    private final Promise<Void> closed = Promise.promise();
    private final List<Consumer<Push>> pushHandlers = new CopyOnWriteArrayList<>();

    // Written only on the context; volatile because isConnected() and welcome() read them from
    // any thread.
    private volatile State state = State.NEW;
    private volatile Welcome welcome;
    private volatile long lastPushSequenceSeen;
    private volatile boolean draining;

    private NetSocket socket;
    private Promise<Welcome> connectPromise;
    private long lastRequestId;
    private long sweepTimerId = -1;
    private long heartbeatTimerId = -1;
    private long heartbeatRequestIdInFlight;

    private TerminalClient(Vertx vertx, TerminalClientOptions options) {
        this.context = vertx.getOrCreateContext();
        this.options = options;
        this.inFlight = new InFlightRequests(options.getInFlightMax());
        this.lastPushSequenceSeen = options.getLastPushSequenceSeen();
        this.netClient = vertx.createNetClient(netClientOptions(options));
    }

    /** TLS versions the client offers: the engine accepts these two only. */
    static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

    private static NetClientOptions netClientOptions(TerminalClientOptions options) {
        NetClientOptions net = new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE,
                        options.getConnectTimeoutMillis()))
                .setTcpNoDelay(true);
        if (options.getLocalAddress() != null) {
            net.setLocalAddress(options.getLocalAddress());
        }
        if (options.isTls()) {
            net.setSsl(true).setEnabledSecureTransportProtocols(TLS_PROTOCOLS)
                    .setHostnameVerificationAlgorithm(
                            options.isTlsHostnameVerification() ? "HTTPS" : "");
            if (options.getTlsTrustedCaPemPath() != null) {
                net.setTrustOptions(new PemTrustOptions()
                        .addCertPath(options.getTlsTrustedCaPemPath()));
            }
            if (options.getTlsClientCertificatePemPath() != null) {
                net.setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(options.getTlsClientCertificatePemPath())
                        .setKeyPath(options.getTlsClientKeyPemPath()));
            }
        }
        return net;
    }

    /**
     * Creates a client bound to the caller's context (or a new one). Takes a copy of the
     * options.
     *
     * @throws IllegalArgumentException when an option is out of range
     */
    public static TerminalClient create(Vertx vertx, TerminalClientOptions options) {
        Objects.requireNonNull(vertx, "vertx");
        TerminalClientOptions copy = new TerminalClientOptions(
                Objects.requireNonNull(options, "options"));
        copy.check();
        return new TerminalClient(vertx, copy);
    }

    /**
     * Opens the TCP connection and sends Hello; completes with the engine's Welcome, after which
     * heartbeats go out at the Welcome's interval. The connect timeout covers both steps. Fails
     * with {@link TerminalConnectionException} when the engine cannot be reached, {@link
     * TerminalTimeoutException} when no Welcome comes in time, {@link TerminalErrorException}
     * when the engine refuses the Hello; in each case the client is closed.
     */
    public Future<Welcome> connect() {
        return onContext(this::startConnect);
    }

    public Future<QuoteResponse> quote(QuoteRequest request) {
        Envelope.Builder envelope = Envelope.newBuilder()
                .setQuoteRequest(Objects.requireNonNull(request, "request"));
        return onContext(() -> send(envelope, Envelope.BodyCase.QUOTE_RESPONSE, true))
                .map(Envelope::getQuoteResponse);
    }

    public Future<CheckoutResponse> checkout(CheckoutRequest request) {
        Envelope.Builder envelope = Envelope.newBuilder()
                .setCheckoutRequest(Objects.requireNonNull(request, "request"));
        return onContext(() -> send(envelope, Envelope.BodyCase.CHECKOUT_RESPONSE, true))
                .map(Envelope::getCheckoutResponse);
    }

    /** Looks a member up by member code or phone (SPEC.md 6.16); read-only. */
    public Future<MemberLookupResponse> lookupMember(MemberLookupRequest request) {
        Envelope.Builder envelope = Envelope.newBuilder()
                .setMemberLookupRequest(Objects.requireNonNull(request, "request"));
        return onContext(() -> send(envelope, Envelope.BodyCase.MEMBER_LOOKUP_RESPONSE, true))
                .map(Envelope::getMemberLookupResponse);
    }

    /** Where a sale of this terminal stands (SPEC.md 6.17); read-only. */
    public Future<PaymentStatusResponse> paymentStatus(PaymentStatusRequest request) {
        Envelope.Builder envelope = Envelope.newBuilder()
                .setPaymentStatusRequest(Objects.requireNonNull(request, "request"));
        return onContext(() -> send(envelope, Envelope.BodyCase.PAYMENT_STATUS_RESPONSE, true))
                .map(Envelope::getPaymentStatusResponse);
    }

    /** Voids a sale before it is paid (SPEC.md 6.18); idempotent on the sale id. */
    public Future<VoidResponse> voidSale(VoidRequest request) {
        Envelope.Builder envelope = Envelope.newBuilder()
                .setVoidRequest(Objects.requireNonNull(request, "request"));
        return onContext(() -> send(envelope, Envelope.BodyCase.VOID_RESPONSE, true))
                .map(Envelope::getVoidResponse);
    }

    /** Tops up a member's stored value (SPEC.md 6.19); idempotent on the top-up id. */
    public Future<TopUpResponse> topUp(TopUpRequest request) {
        Envelope.Builder envelope = Envelope.newBuilder()
                .setTopUpRequest(Objects.requireNonNull(request, "request"));
        return onContext(() -> send(envelope, Envelope.BodyCase.TOP_UP_RESPONSE, true))
                .map(Envelope::getTopUpResponse);
    }

    /** This terminal's totals over a shift, closing it when asked (SPEC.md 6.20). */
    public Future<ShiftTotalsResponse> shiftTotals(ShiftTotalsRequest request) {
        Envelope.Builder envelope = Envelope.newBuilder()
                .setShiftTotalsRequest(Objects.requireNonNull(request, "request"));
        return onContext(() -> send(envelope, Envelope.BodyCase.SHIFT_TOTALS_RESPONSE, true))
                .map(Envelope::getShiftTotalsResponse);
    }

    /**
     * Refunds a committed sale, whole or some lines (SPEC.md 6.21); idempotent on the refund
     * id: resending it after a lost answer returns nothing twice and answers the first refund.
     */
    public Future<io.kassa.protocol.v1.RefundResponse> refund(
            io.kassa.protocol.v1.RefundRequest request) {
        Envelope.Builder envelope = Envelope.newBuilder()
                .setRefundRequest(Objects.requireNonNull(request, "request"));
        return onContext(() -> send(envelope, Envelope.BodyCase.REFUND_RESPONSE, true))
                .map(Envelope::getRefundResponse);
    }

    /** Sends one Heartbeat now; counts against {@code inFlightMax} like any request. */
    public Future<HeartbeatAck> heartbeat() {
        return onContext(() -> send(heartbeatEnvelope(), Envelope.BodyCase.HEARTBEAT_ACK, true))
                .map(Envelope::getHeartbeatAck);
    }

    /**
     * Sends any envelope as a request: the client assigns its request id (on a copy; the
     * caller's builder is left as it was) and completes with whatever envelope answers it. An
     * Error answer fails with {@link TerminalErrorException}. Nothing is validated beyond the
     * frame size, so that tests can send what a buggy terminal would.
     */
    public Future<Envelope> request(Envelope.Builder envelope) {
        Envelope.Builder copy = Objects.requireNonNull(envelope, "envelope").clone();
        return onContext(() -> send(copy, null, true));
    }

    /**
     * Closes the connection; every request in flight fails with {@link
     * TerminalConnectionException}. Completes once the socket is closed. Idempotent.
     */
    public Future<Void> close() {
        return onContext(() -> shutdown("the client was closed"));
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    /**
     * Adds a handler of the engine's pushes, called on the client's context, in sequence order,
     * once per sequence. Register before {@link #connect()} to see pushes resent at connect.
     */
    public TerminalClient onPush(Consumer<Push> handler) {
        pushHandlers.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** The highest push sequence processed, to carry into the next connection's Hello. */
    public long lastPushSequenceSeen() {
        return lastPushSequenceSeen;
    }

    /** True once the engine said it is draining: finish, then reconnect elsewhere. */
    public boolean isDraining() {
        return draining;
    }

    /** Completes when the client has closed, for whatever reason. */
    public Future<Void> closeFuture() {
        return closed.future();
    }

    /** The engine's Welcome, or null before {@link #connect()} has completed. */
    public Welcome welcome() {
        return welcome;
    }

    // ---- connecting ---------------------------------------------------------------------

    private Future<Welcome> startConnect() {
        if (state != State.NEW) {
            return Future.failedFuture(new IllegalStateException(
                    "connect() may be called once per client; this one is " + state));
        }
        state = State.CONNECTING;
        connectPromise = Promise.promise();
        long startNanos = System.nanoTime();
        long shortestTimeoutMillis = Math.min(options.getConnectTimeoutMillis(),
                options.getRequestTimeoutMillis());
        long sweepPeriodMillis = Math.max(SWEEP_PERIOD_MILLIS_MIN,
                Math.min(SWEEP_PERIOD_MILLIS_MAX, shortestTimeoutMillis / 10));
        sweepTimerId = context.owner().setPeriodic(sweepPeriodMillis, timerId -> sweep());
        netClient.connect(options.getPort(), options.getHost()).onComplete(
                connected -> onSocketConnected(connected, startNanos),
                this::onConnectFailed);
        return connectPromise.future();
    }

    private void onConnectFailed(Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        String reason = "cannot connect to " + options.getHost() + ":" + options.getPort()
                + ": " + cause.getMessage();
        connectPromise.tryFail(new TerminalConnectionException(reason, cause));
        shutdown(reason);
    }

    private void onSocketConnected(NetSocket connected, long startNanos) {
        if (state == State.CLOSED) {
            connected.close();
            return;
        }
        socket = connected;
        connected.handler(this::onBytes);
        connected.closeHandler(ignored -> shutdown("the engine closed the connection"));
        connected.exceptionHandler(cause -> {
            LOG.warn("terminal {}: connection failed", options.getTerminalId(), cause);
            shutdown("the connection failed: " + cause);
        });
        // The Welcome must arrive within what is left of the connect budget.
        long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
        long welcomeTimeoutMillis = Math.max(1, options.getConnectTimeoutMillis() - elapsedMillis);
        Envelope.Builder hello = Envelope.newBuilder().setHello(Hello.newBuilder()
                .setProtocolVersion(FrameLimits.PROTOCOL_VERSION)
                .setTerminalId(options.getTerminalId())
                .setStoreId(options.getStoreId())
                .setSoftwareVersion(options.getSoftwareVersion())
                .setLastPushSequenceSeen(lastPushSequenceSeen));
        // An engine that does not authenticate answers Hello with Welcome at once.
        sendUnchecked(hello, null, false, welcomeTimeoutMillis).onComplete(answer -> {
            switch (answer.getBodyCase()) {
                case WELCOME -> onWelcome(answer.getWelcome());
                case AUTH_CHALLENGE -> onChallenge(answer.getAuthChallenge(), startNanos);
                default -> onHelloFailed(new TerminalProtocolException(
                        ErrorCode.UNEXPECTED_MESSAGE, "Hello was answered with "
                                + answer.getBodyCase()));
            }
        }, this::onHelloFailed);
    }

    private void onChallenge(AuthChallenge challenge, long startNanos) {
        if (state != State.CONNECTING) {
            return;
        }
        byte[] secret = options.getSecret();
        if (secret == null || secret.length != FrameLimits.TERMINAL_SECRET_BYTES) {
            onHelloFailed(new TerminalConnectionException("the engine requires authentication"
                    + " and terminal " + options.getTerminalId() + " has no "
                    + FrameLimits.TERMINAL_SECRET_BYTES + "-byte secret configured"));
            return;
        }
        byte[] proof = TerminalAuthentication.proof(secret, challenge.getNonce().toByteArray(),
                options.getTerminalId(), options.getStoreId());
        long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
        long remainingMillis = Math.max(1, options.getConnectTimeoutMillis() - elapsedMillis);
        sendUnchecked(Envelope.newBuilder().setAuthProof(AuthProof.newBuilder()
                        .setProof(com.google.protobuf.ByteString.copyFrom(proof))),
                Envelope.BodyCase.WELCOME, false, remainingMillis)
                .onComplete(answer -> onWelcome(answer.getWelcome()), this::onHelloFailed);
    }

    private void onHelloFailed(Throwable cause) {
        // Without a Welcome the connection is of no use, whatever the engine said.
        connectPromise.tryFail(cause);
        shutdown("the engine did not welcome the terminal: " + cause.getMessage());
    }

    private void onWelcome(Welcome received) {
        if (state != State.CONNECTING) {
            return;
        }
        if (received.getProtocolVersion() != FrameLimits.PROTOCOL_VERSION) {
            onHelloFailed(new TerminalProtocolException(ErrorCode.UNSUPPORTED_VERSION,
                    "the engine offered protocol version " + received.getProtocolVersion()
                            + ", this SDK speaks " + FrameLimits.PROTOCOL_VERSION));
            return;
        }
        welcome = received;
        state = State.CONNECTED;
        long intervalMillis = Integer.toUnsignedLong(received.getHeartbeatIntervalMillis());
        if (intervalMillis > 0) {
            heartbeatTimerId = context.owner().setPeriodic(
                    Math.max(HEARTBEAT_INTERVAL_MILLIS_MIN, intervalMillis),
                    timerId -> sendPeriodicHeartbeat());
        }
        LOG.debug("terminal {}: welcomed by node {}", options.getTerminalId(),
                received.getNodeId());
        connectPromise.tryComplete(received);
    }

    // ---- sending ------------------------------------------------------------------------

    private Future<Envelope> send(Envelope.Builder envelope, Envelope.BodyCase expected,
            boolean countsAgainstLimit) {
        if (state != State.CONNECTED) {
            return Future.failedFuture(new TerminalConnectionException(
                    "terminal " + options.getTerminalId() + " is not connected (" + state + ")"));
        }
        if (countsAgainstLimit && inFlight.full()) {
            return Future.failedFuture(new TerminalBusyException("terminal "
                    + options.getTerminalId() + " already has " + inFlight.countedSize()
                    + " requests in flight, the maximum"));
        }
        return sendUnchecked(envelope, expected, countsAgainstLimit,
                options.getRequestTimeoutMillis());
    }

    private Future<Envelope> sendUnchecked(Envelope.Builder envelope, Envelope.BodyCase expected,
            boolean countsAgainstLimit, long timeoutMillis) {
        long requestId = ++lastRequestId;
        byte[] frame;
        try {
            frame = FrameEncoder.encode(envelope.setRequestId(requestId).build());
        } catch (IllegalArgumentException tooLarge) {
            return Future.failedFuture(tooLarge);
        }
        InFlightRequests.Entry entry = inFlight.add(requestId, expected, System.nanoTime(),
                timeoutMillis, countsAgainstLimit);
        socket.write(Buffer.buffer(frame)).onFailure(cause -> {
            InFlightRequests.Entry unsent = inFlight.remove(requestId);
            if (unsent != null) {
                unsent.promise().tryFail(new TerminalConnectionException(
                        "request " + requestId + " could not be written", cause));
            }
        });
        return entry.promise().future();
    }

    private Envelope.Builder heartbeatEnvelope() {
        return Envelope.newBuilder().setHeartbeat(
                Heartbeat.newBuilder().setSentAtMillis(System.currentTimeMillis()));
    }

    /**
     * The periodic heartbeat does not count against {@code inFlightMax}, so that a terminal
     * busy with sales still proves it is alive; at most one is in flight. An engine that leaves
     * it unanswered for the request timeout is taken for dead, so that the terminal can go
     * elsewhere instead of waiting on a silent socket.
     */
    private void sendPeriodicHeartbeat() {
        if (state != State.CONNECTED || heartbeatRequestIdInFlight != 0) {
            return;
        }
        Future<Envelope> answer = sendUnchecked(heartbeatEnvelope(),
                Envelope.BodyCase.HEARTBEAT_ACK, false, options.getRequestTimeoutMillis());
        heartbeatRequestIdInFlight = lastRequestId;
        answer.onComplete(ack -> heartbeatRequestIdInFlight = 0, cause -> {
            heartbeatRequestIdInFlight = 0;
            if (cause instanceof TerminalTimeoutException) {
                shutdown("the engine did not answer a heartbeat: " + cause.getMessage());
            } else if (!(cause instanceof TerminalConnectionException)) {
                LOG.warn("terminal {}: heartbeat refused: {}", options.getTerminalId(),
                        cause.getMessage());
            }
        });
    }

    // ---- receiving ----------------------------------------------------------------------

    private void onBytes(Buffer buffer) {
        if (state == State.CLOSED) {
            return;
        }
        byte[] bytes = buffer.getBytes();
        try {
            decoder.feed(bytes, 0, bytes.length, this::onDecoded);
        } catch (ProtocolException unreadable) {
            // Frame boundaries are lost: nothing more on this connection can be trusted.
            LOG.warn("terminal {}: closing, the engine sent an unreadable stream: {} {}",
                    options.getTerminalId(), unreadable.code(), unreadable.getMessage());
            shutdown("the engine sent an unreadable stream: " + unreadable.getMessage());
        }
    }

    private void onDecoded(Decoded decoded) {
        if (state == State.CLOSED) {
            return;
        }
        if (decoded instanceof Decoded.Message message) {
            onEnvelope(message.envelope());
        } else if (decoded instanceof Decoded.Malformed malformed) {
            onMalformed(malformed);
        }
    }

    private void onEnvelope(Envelope envelope) {
        long requestId = envelope.getRequestId();
        if (envelope.getBodyCase() == Envelope.BodyCase.HEARTBEAT) {
            // A heartbeat from the engine is a request in the engine's own id space.
            answerHeartbeat(requestId);
            return;
        }
        if (envelope.getBodyCase() == Envelope.BodyCase.ERROR) {
            onError(requestId, envelope.getError());
            return;
        }
        if (envelope.getBodyCase() == Envelope.BodyCase.PUSH) {
            onPushReceived(envelope.getPush());
            return;
        }
        InFlightRequests.Entry entry = inFlight.remove(requestId);
        if (entry == null) {
            LOG.warn("terminal {}: dropping {} for request {}, which is not in flight "
                    + "(timed out, or never sent)", options.getTerminalId(),
                    envelope.getBodyCase(), Long.toUnsignedString(requestId));
            return;
        }
        if (entry.expected() != null && entry.expected() != envelope.getBodyCase()) {
            entry.promise().fail(new TerminalProtocolException(ErrorCode.UNEXPECTED_MESSAGE,
                    "request " + requestId + " awaited " + entry.expected()
                            + " but was answered with " + envelope.getBodyCase()));
            return;
        }
        entry.promise().complete(envelope);
    }

    private void onError(long requestId, Error error) {
        InFlightRequests.Entry entry = requestId == 0 ? null : inFlight.remove(requestId);
        if (entry == null) {
            LOG.warn("terminal {}: engine reported an error about {}: {} {}{}",
                    options.getTerminalId(), requestId == 0 ? "an unreadable frame"
                            : "request " + Long.toUnsignedString(requestId) + ", not in flight",
                    error.getCode(), error.getMessage(), error.getFatal() ? " (fatal)" : "");
        }
        TerminalErrorException failure = entry == null ? null : new TerminalErrorException(
                error.getCode(), error.getMessage(), error.getFatal(), requestId);
        if (failure != null && state == State.CONNECTING) {
            // An error answering Hello is what connect() must report, not the close after it.
            connectPromise.tryFail(failure);
        }
        if (error.getFatal()) {
            // Closed first, so that whoever handles the failure below sees the client closed.
            shutdown("the engine sent a fatal error: " + error.getCode() + " "
                    + error.getMessage());
        }
        if (entry != null) {
            entry.promise().fail(failure);
        }
    }

    private void onMalformed(Decoded.Malformed malformed) {
        InFlightRequests.Entry entry = malformed.requestId() == 0 ? null
                : inFlight.remove(malformed.requestId());
        ProtocolException error = malformed.error();
        if (entry == null) {
            LOG.warn("terminal {}: dropping an unreadable frame from the engine: {} {}",
                    options.getTerminalId(), error.code(), error.getMessage());
            return;
        }
        entry.promise().fail(new TerminalProtocolException(error.code(), error.getMessage()));
    }

    private void onPushReceived(Push push) {
        if (Long.compareUnsigned(push.getSequence(), lastPushSequenceSeen) <= 0) {
            // Resent after a reconnect, and already processed: pushes are idempotent by sequence.
            acknowledge(push.getSequence());
            return;
        }
        if (push.getKindCase() == Push.KindCase.DRAINING) {
            draining = true;
            LOG.info("terminal {}: the engine is draining: {}", options.getTerminalId(),
                    push.getDraining().getReason());
        } else if (push.getKindCase() == Push.KindCase.GAP) {
            LOG.warn("terminal {}: pushes {}..{} were lost before delivery",
                    options.getTerminalId(), push.getGap().getFirstSequence(), push.getSequence());
        }
        for (Consumer<Push> handler : new ArrayList<>(pushHandlers)) {
            try {
                handler.accept(push);
            } catch (RuntimeException bug) {
                LOG.error("terminal {}: push handler failed on push {}", options.getTerminalId(),
                        push.getSequence(), bug);
            }
        }
        lastPushSequenceSeen = push.getSequence();
        acknowledge(push.getSequence());
    }

    private void acknowledge(long sequence) {
        if (socket != null && state != State.CLOSED) {
            socket.write(Buffer.buffer(FrameEncoder.encode(Envelope.newBuilder()
                    .setPushAck(PushAck.newBuilder().setSequence(sequence)).build())));
        }
    }

    private void answerHeartbeat(long requestId) {
        Envelope ack = Envelope.newBuilder().setRequestId(requestId)
                .setHeartbeatAck(HeartbeatAck.newBuilder()
                        .setServerTimeMillis(System.currentTimeMillis()))
                .build();
        socket.write(Buffer.buffer(FrameEncoder.encode(ack)));
    }

    private void sweep() {
        for (InFlightRequests.Entry expired : inFlight.removeExpired(System.nanoTime())) {
            expired.promise().tryFail(new TerminalTimeoutException("terminal "
                    + options.getTerminalId() + ": no answer to request "
                    + expired.requestId() + " (awaiting "
                    + (expired.expected() == null ? "any answer" : expired.expected())
                    + ") within " + expired.timeoutMillis() + " ms"));
        }
    }

    // ---- closing ------------------------------------------------------------------------

    private Future<Void> shutdown(String reason) {
        if (state == State.CLOSED) {
            return closed.future();
        }
        boolean wasConnected = state == State.CONNECTED;
        state = State.CLOSED;
        context.owner().cancelTimer(sweepTimerId);
        context.owner().cancelTimer(heartbeatTimerId);
        for (InFlightRequests.Entry entry : inFlight.removeAll()) {
            entry.promise().tryFail(new TerminalConnectionException("terminal "
                    + options.getTerminalId() + ": request " + entry.requestId()
                    + " lost its connection: " + reason));
        }
        assert inFlight.size() == 0;
        if (connectPromise != null) {
            connectPromise.tryFail(new TerminalConnectionException(reason));
        }
        if (wasConnected) {
            LOG.info("terminal {}: disconnected: {}", options.getTerminalId(), reason);
        }
        Future<Void> socketClosed = socket == null ? Future.succeededFuture() : socket.close();
        // Closing the NetClient may complete on an acceptor thread: hop back, so that the
        // caller's listeners run on the client's context like every other callback.
        Future.join(socketClosed, netClient.close())
                .onComplete(ignored -> runOnContext(closed::tryComplete));
        return closed.future();
    }

    private void runOnContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }

    private <T> Future<T> onContext(Supplier<Future<T>> action) {
        if (Vertx.currentContext() == context) {
            return invoke(action);
        }
        Promise<T> promise = Promise.promise();
        context.runOnContext(ignored -> invoke(action).onComplete(promise));
        return promise.future();
    }

    private static <T> Future<T> invoke(Supplier<Future<T>> action) {
        try {
            return action.get();
        } catch (RuntimeException bug) {
            // Still a failure the caller sees: handed over, not swallowed.
            return Future.failedFuture(bug);
        }
    }
}
