package io.kassa.engine.server.terminal;

import com.google.protobuf.ByteString;
import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.quote.Quote;
import io.kassa.engine.server.checkout.CheckoutCommand;
import io.kassa.engine.server.checkout.CheckoutOutcome;
import io.kassa.engine.server.checkout.HotCopyLostException;
import io.kassa.engine.server.checkout.QuoteCommand;
import io.kassa.protocol.Decoded;
import io.kassa.protocol.FrameDecoder;
import io.kassa.protocol.FrameEncoder;
import io.kassa.protocol.FrameLimits;
import io.kassa.protocol.MessageValidator;
import io.kassa.protocol.ProtocolException;
import io.kassa.protocol.v1.AuthChallenge;
import io.kassa.protocol.v1.Draining;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.Error;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.Hello;
import io.kassa.protocol.v1.HeartbeatAck;
import io.kassa.protocol.v1.Push;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.Welcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One terminal's connection: decodes its frames, runs the handshake (Hello, AuthChallenge,
 * AuthProof, Welcome), enforces the session's limits, dispatches requests to the checkout
 * service, writes one answer per request, and delivers the terminal's pushes. Everything here
 * runs on the connection's event loop, so its state needs no locking.
 *
 * <pre>
 *   AWAITING_HELLO --Hello--> AWAITING_PROOF --AuthProof--> AUTHENTICATING --ok--> READY
 *        |                          |                             |                 |
 *        +------ fatal error, handshake time over, failed proof --+--- idle, close -+--> CLOSED
 * </pre>
 *
 * <p>Per-connection state is kept small on purpose (see load-tests/scale/README.md): what only
 * the handshake needs (the nonce) is dropped after it, the token bucket exists from Welcome on,
 * and the decoder allocates a payload buffer only while a frame is arriving. The connection is
 * itself the channel's handler (one object fewer per connection than a separate adapter); the
 * channel's events are dispatched on the endpoint's Vert.x context, so that the services it
 * calls see the context they expect.
 */
final class TerminalConnection extends ChannelInboundHandlerAdapter implements PushOutbox.Sink {

    private static final Logger log = LoggerFactory.getLogger(TerminalConnection.class);

    /** Said to every failed authentication alike, so that nothing can be learned from it. */
    static final String AUTHENTICATION_FAILED_MESSAGE = "authentication failed";

    enum State { AWAITING_HELLO, AWAITING_PROOF, AUTHENTICATING, READY, CLOSED }

    private final Channel channel;
    private final TerminalServices services;
    private final ContextInternal context;
    private final TerminalServerVerticle server;
    private final Object socketMetric;
    private final FrameDecoder decoder = new FrameDecoder(FrameLimits.FRAME_BYTES_MAX);

    private State state = State.AWAITING_HELLO;
    private String terminalId = "";
    private String storeId = "";
    private byte[] nonce;
    private long lastPushSequenceSeen;
    private TokenBucket requestTokens;
    private final long connectedAtMillis;
    private long lastFrameAtMillis;
    private long partialFrameSinceMillis = -1;
    private int inFlight;
    private boolean draining;
    private boolean readingPaused;
    /** Inside a read: answers are written now and flushed together when the read ends. */
    private boolean reading;
    private boolean flushPending;

    TerminalConnection(Channel channel, TerminalServices services, ContextInternal context,
            TerminalServerVerticle server, Object socketMetric) {
        this.channel = channel;
        this.services = services;
        this.context = context;
        this.server = server;
        this.socketMetric = socketMetric;
        this.connectedAtMillis = services.clock().millis();
        this.lastFrameAtMillis = connectedAtMillis;
    }

    State state() {
        return state;
    }

    @Override
    public void channelRead(ChannelHandlerContext handler, Object message) {
        ByteBuf data = (ByteBuf) message;
        byte[] bytes;
        try {
            bytes = ByteBufUtil.getBytes(data);
        } finally {
            data.release();
        }
        reading = true;
        context.dispatch(bytes, this::onData);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext handler) {
        reading = false;
        if (flushPending) {
            flushPending = false;
            handler.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext handler) {
        if (handler.channel().isWritable()) {
            context.dispatch(ignored -> onDrained());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext handler) {
        context.dispatch(ignored -> {
            onClosed();
            server.closed(this, socketMetric);
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext handler, Throwable cause) {
        log.debug("terminal socket error", cause);
        handler.close();
    }

    void onData(byte[] bytes) {
        if (state == State.CLOSED) {
            return;
        }
        try {
            decoder.feed(bytes, 0, bytes.length, this::onDecoded);
        } catch (ProtocolException fatal) {
            failFatally(0, fatal.code(), fatal.getMessage());
            return;
        }
        if (decoder.hasPartialFrame()) {
            if (partialFrameSinceMillis < 0) {
                partialFrameSinceMillis = services.clock().millis();
            }
        } else {
            partialFrameSinceMillis = -1;
        }
    }

    void onClosed() {
        if (state == State.READY) {
            services.outbox().detach(terminalId, this);
            io.kassa.engine.server.metrics.TerminalEvents.disconnected(context.owner(), storeId);
        }
        state = State.CLOSED;
    }

    /**
     * The socket's write queue has drained: read again. Reading stops when the queue is full,
     * so that a terminal that does not read what it asked for cannot make the engine buffer
     * without bound.
     */
    void onDrained() {
        if (readingPaused) {
            readingPaused = false;
            if (partialFrameSinceMillis >= 0) {
                // The stall was ours, not the terminal's.
                partialFrameSinceMillis = services.clock().millis();
            }
            channel.config().setAutoRead(true);
        }
    }

    /**
     * The engine is shutting down: tell the terminal with a Draining push, answer what is in
     * flight, refuse new requests with UNAVAILABLE (the terminal retries on another node), then
     * close.
     */
    void onShutdown() {
        if (draining) {
            return;
        }
        draining = true;
        if (state == State.READY) {
            services.outbox().push(terminalId, push -> push.setDraining(Draining.newBuilder()
                    .setReason("engine node " + services.options().nodeId() + " is shutting down")
                    .setReconnectAfterMillis(services.options().reconnectAfterDrainMillis())));
        }
        closeIfDrained();
    }

    private void closeIfDrained() {
        if (draining && inFlight == 0 && state != State.CLOSED) {
            onClosed();
            closeAfterWrites();
        }
    }

    /** Called by the per-loop sweep: closes a connection gone silent, stuck or unauthenticated. */
    void sweep(long nowMillis) {
        if (state == State.CLOSED) {
            return;
        }
        if (state != State.READY
                && nowMillis - connectedAtMillis > services.limits().handshakeMillis()) {
            failFatally(0, ErrorCode.HELLO_REQUIRED, "the handshake did not complete within "
                    + services.limits().handshakeMillis() + " ms");
        } else if (!readingPaused && partialFrameSinceMillis >= 0 && nowMillis
                - partialFrameSinceMillis > services.options().frameCompletionMillis()) {
            failFatally(0, ErrorCode.FRAME_TRUNCATED, "frame begun "
                    + (nowMillis - partialFrameSinceMillis) + " ms ago is still incomplete ("
                    + decoder.bufferedBytes() + " bytes received)");
        } else if (nowMillis - lastFrameAtMillis > services.options().idleMillisMax()) {
            log.info("closing idle connection of terminal '{}' ({} ms without a frame)",
                    terminalId, nowMillis - lastFrameAtMillis);
            close();
        }
    }

    /** Closes at once, whatever is still to be written. */
    void close() {
        onClosed();
        channel.close();
    }

    private void onDecoded(Decoded decoded) {
        if (state == State.CLOSED) {
            return;
        }
        lastFrameAtMillis = services.clock().millis();
        long requestId = decoded instanceof Decoded.Message message
                ? message.envelope().getRequestId() : ((Decoded.Malformed) decoded).requestId();
        if (state == State.READY && !requestTokens.tryTake(services.limits().requestsPerSecond(),
                services.limits().requestBurst(), System.nanoTime())) {
            sendError(requestId, ErrorCode.RATE_LIMITED, "more than "
                    + services.limits().requestsPerSecond() + " requests per second (burst "
                    + services.limits().requestBurst() + "); slow down and resend", false);
            return;
        }
        if (decoded instanceof Decoded.Malformed malformed) {
            sendError(malformed.requestId(), malformed.error().code(),
                    malformed.error().getMessage(), false);
            return;
        }
        Envelope envelope = ((Decoded.Message) decoded).envelope();
        try {
            dispatch(envelope);
        } catch (ProtocolException refused) {
            if (refused.fatal()) {
                failFatally(requestId, refused.code(), refused.getMessage());
            } else {
                sendError(requestId, refused.code(), refused.getMessage(), false);
            }
        }
    }

    private void dispatch(Envelope envelope) throws ProtocolException {
        if (envelope.getBodyCase() == Envelope.BodyCase.PUSH_ACK) {
            // Not a request: never answered, whatever its request id.
            if (state == State.READY) {
                services.outbox().acknowledge(terminalId, envelope.getPushAck().getSequence());
            }
            return;
        }
        if (draining) {
            throw ProtocolException.recoverable(ErrorCode.UNAVAILABLE,
                    "this engine node is shutting down; reconnect and retry");
        }
        if (envelope.getRequestId() == 0) {
            // 0 is reserved for errors about frames the engine cannot attribute to a request.
            throw ProtocolException.recoverable(ErrorCode.INVALID_FIELD,
                    "request_id: must not be 0");
        }
        switch (envelope.getBodyCase()) {
            case HELLO -> onHello(envelope);
            case AUTH_PROOF -> onAuthProof(envelope);
            case HEARTBEAT -> {
                requireReady();
                send(Envelope.newBuilder().setRequestId(envelope.getRequestId())
                        .setHeartbeatAck(HeartbeatAck.newBuilder()
                                .setServerTimeMillis(services.clock().millis()))
                        .build());
            }
            case QUOTE_REQUEST -> {
                requireReady();
                requireCapacity();
                MessageValidator.validate(envelope);
                onQuote(envelope.getRequestId(), envelope.getQuoteRequest());
            }
            case CHECKOUT_REQUEST -> {
                requireReady();
                requireCapacity();
                MessageValidator.validate(envelope);
                onCheckout(envelope.getRequestId(),
                        WireMapping.checkout(storeId, terminalId, envelope.getCheckoutRequest()));
            }
            case MEMBER_LOOKUP_REQUEST, PAYMENT_STATUS_REQUEST, VOID_REQUEST, TOP_UP_REQUEST,
                    SHIFT_TOTALS_REQUEST -> {
                requireReady();
                requireCapacity();
                MessageValidator.validate(envelope);
                onDeskRequest(envelope);
            }
            case REFUND_REQUEST -> {
                requireReady();
                requireCapacity();
                MessageValidator.validate(envelope);
                onRefund(envelope.getRequestId(), envelope.getRefundRequest());
            }
            default -> throw ProtocolException.recoverable(ErrorCode.UNEXPECTED_MESSAGE,
                    envelope.getBodyCase() + " is not a message a terminal sends");
        }
    }

    private void onHello(Envelope envelope) throws ProtocolException {
        Hello hello = envelope.getHello();
        if (state != State.AWAITING_HELLO) {
            throw ProtocolException.recoverable(ErrorCode.ALREADY_GREETED,
                    "this connection already said Hello as terminal '" + terminalId + "'");
        }
        if (hello.getProtocolVersion() != FrameLimits.PROTOCOL_VERSION) {
            throw ProtocolException.fatal(ErrorCode.UNSUPPORTED_VERSION, "protocol version "
                    + hello.getProtocolVersion() + " is not spoken here; this engine speaks "
                    + FrameLimits.PROTOCOL_VERSION);
        }
        MessageValidator.validate(envelope);
        long nowMillis = services.clock().millis();
        String address = remoteAddress();
        if (services.authenticator().limited(hello.getTerminalId(), address, nowMillis)) {
            throw ProtocolException.fatal(ErrorCode.TOO_MANY_ATTEMPTS, "too many failed"
                    + " authentications; wait " + FrameLimits.AUTH_FAILURE_WINDOW_MILLIS / 1000
                    + " s before trying again");
        }
        if (services.clientCertificateRequired()
                && !certificateNames(hello.getTerminalId())) {
            services.authenticator().recordFailure(hello.getTerminalId(), address, nowMillis);
            throw ProtocolException.fatal(ErrorCode.AUTHENTICATION_FAILED,
                    AUTHENTICATION_FAILED_MESSAGE);
        }
        terminalId = hello.getTerminalId();
        storeId = hello.getStoreId();
        lastPushSequenceSeen = hello.getLastPushSequenceSeen();
        nonce = services.authenticator().newNonce();
        state = State.AWAITING_PROOF;
        send(Envelope.newBuilder().setRequestId(envelope.getRequestId())
                .setAuthChallenge(AuthChallenge.newBuilder()
                        .setNonce(ByteString.copyFrom(nonce))
                        .setServerTimeMillis(nowMillis))
                .build());
    }

    private boolean certificateNames(String claimedTerminalId) {
        try {
            SslHandler tls = channel.pipeline().get(SslHandler.class);
            return tls != null && ClientCertificates.names(
                    List.of(tls.engine().getSession().getPeerCertificates()), claimedTerminalId);
        } catch (SSLPeerUnverifiedException none) {
            // The TLS layer requires a certificate, so this is a bug or a plaintext socket.
            return false;
        }
    }

    private void onAuthProof(Envelope envelope) throws ProtocolException {
        if (state != State.AWAITING_PROOF) {
            throw ProtocolException.recoverable(ErrorCode.HELLO_REQUIRED, state == State.READY
                    ? "this connection is already authenticated"
                    : "send Hello and answer its AuthChallenge");
        }
        MessageValidator.validate(envelope);
        long requestId = envelope.getRequestId();
        byte[] challenge = nonce;
        nonce = null;
        state = State.AUTHENTICATING;
        Future<Boolean> verdict;
        try {
            verdict = services.authenticator().verify(terminalId, storeId, challenge,
                    envelope.getAuthProof().getProof().toByteArray());
        } catch (RuntimeException bug) {
            verdict = Future.failedFuture(bug);
        }
        verdict.onComplete(accepted -> onVerdict(requestId, accepted), failure -> {
            log.error("authenticating terminal '{}' failed", terminalId, failure);
            failFatally(requestId, ErrorCode.UNAVAILABLE,
                    "the engine cannot authenticate now; reconnect shortly");
        });
    }

    private void onVerdict(long requestId, boolean accepted) {
        if (state != State.AUTHENTICATING) {
            return;
        }
        if (!accepted) {
            services.authenticator().recordFailure(terminalId, remoteAddress(),
                    services.clock().millis());
            failFatally(requestId, ErrorCode.AUTHENTICATION_FAILED, AUTHENTICATION_FAILED_MESSAGE);
            return;
        }
        state = State.READY;
        io.kassa.engine.server.metrics.TerminalEvents.connected(context.owner(), storeId);
        requestTokens = new TokenBucket(services.limits().requestBurst(), System.nanoTime());
        send(Envelope.newBuilder().setRequestId(requestId)
                .setWelcome(Welcome.newBuilder()
                        .setProtocolVersion(FrameLimits.PROTOCOL_VERSION)
                        .setNodeId(services.options().nodeId())
                        .setHeartbeatIntervalMillis(services.options().heartbeatIntervalMillis())
                        .setFrameBytesMax(FrameLimits.FRAME_BYTES_MAX)
                        .setServerTimeMillis(services.clock().millis())
                        .setInFlightRequestsMax(services.limits().inFlightRequestsMax()))
                .build());
        List<Push> missed = services.outbox().attach(terminalId, lastPushSequenceSeen, this);
        for (Push push : missed) {
            sendPush(push);
        }
    }

    /** From the outbox, possibly on another thread: hop onto this connection's loop. */
    @Override
    public void deliver(Push push) {
        if (Vertx.currentContext() == context) {
            sendPush(push);
        } else {
            context.runOnContext(ignored -> sendPush(push));
        }
    }

    private void sendPush(Push push) {
        if (state == State.READY) {
            send(Envelope.newBuilder().setPush(push).build());
        }
    }

    private void requireReady() throws ProtocolException {
        if (state != State.READY) {
            throw ProtocolException.recoverable(ErrorCode.HELLO_REQUIRED,
                    "send Hello and authenticate before any request");
        }
    }

    private void requireCapacity() throws ProtocolException {
        if (inFlight >= services.limits().inFlightRequestsMax()) {
            // Refused, never queued: a queue here would hide overload until it was too late.
            throw ProtocolException.recoverable(ErrorCode.BUSY, inFlight
                    + " requests in flight, the maximum; resend once one is answered");
        }
    }

    private void onQuote(long requestId, QuoteRequest request) throws ProtocolException {
        QuoteCommand command = WireMapping.quote(storeId, request);
        track(requestId, "quote", () -> services.checkout().quote(command), quote -> {
            if (quote instanceof Decision.Rejected<Quote> rejected) {
                sendError(requestId, WireMapping.errorCode(rejected.rejection().code()),
                        rejected.rejection().explanation(), false);
            } else {
                send(Envelope.newBuilder().setRequestId(requestId)
                        .setQuoteResponse(WireMapping.quoteResponse(
                                ((Decision.Accepted<Quote>) quote).value()))
                        .build());
            }
        });
    }

    /** A request of SPEC.md 6.16-6.20, answered by the desk with a response or an Error. */
    private void onDeskRequest(Envelope request) throws ProtocolException {
        long requestId = request.getRequestId();
        Future<Envelope.Builder> answer;
        try {
            answer = services.desk().answer(storeId, terminalId, request);
        } catch (RuntimeException bug) {
            answer = Future.failedFuture(bug);
        }
        Future<Envelope.Builder> answered = answer;
        track(requestId, request.getBodyCase().name(), () -> answered,
                body -> send(body.setRequestId(requestId).build()));
    }

    /** A refund (SPEC.md 6.21), answered with a RefundResponse or a 43x Error. */
    private void onRefund(long requestId, io.kassa.protocol.v1.RefundRequest request)
            throws ProtocolException {
        var refunds = services.checkout().refunds().orElseThrow(() ->
                ProtocolException.recoverable(ErrorCode.UNAVAILABLE,
                        "refunds are not enabled on this engine node"));
        var command = RefundWire.command(storeId, terminalId, request);
        track(requestId, "refund " + request.getRefundId(), () -> refunds.refund(command),
                outcome -> send(RefundWire.answer(outcome).setRequestId(requestId).build()));
    }

    private void onCheckout(long requestId, CheckoutCommand command) {
        track(requestId, "checkout " + command.key().saleId(),
                () -> services.checkout().checkout(command),
                outcome -> answerCheckout(requestId, outcome));
    }

    /**
     * Counts a request in flight until its future completes, then answers it on this
     * connection's loop. A failed future is an operating failure: UNAVAILABLE when the engine
     * is rebuilding member balances (retry shortly), INTERNAL otherwise (retry with the same
     * sale id: the checkout is idempotent).
     */
    private <T> void track(long requestId, String what, Supplier<Future<T>> work,
            Consumer<T> answer) {
        inFlight++;
        assert inFlight <= services.limits().inFlightRequestsMax() : inFlight;
        Future<T> result;
        try {
            result = work.get();
        } catch (RuntimeException bug) {
            result = Future.failedFuture(bug);
        }
        result.onComplete(done -> {
            inFlight--;
            assert inFlight >= 0 : inFlight;
            if (state == State.CLOSED) {
                return;
            }
            if (done.succeeded()) {
                answer.accept(done.result());
            } else if (done.cause() instanceof HotCopyLostException lost) {
                sendError(requestId, ErrorCode.UNAVAILABLE, lost.getMessage(), false);
            } else {
                log.error("{} failed", what, done.cause());
                sendError(requestId, ErrorCode.INTERNAL, "the request could not be completed;"
                        + " retry (a checkout with the same sale id)", false);
            }
            closeIfDrained();
        });
    }

    private void answerCheckout(long requestId, CheckoutOutcome outcome) {
        if (outcome instanceof CheckoutOutcome.Committed committed) {
            send(Envelope.newBuilder().setRequestId(requestId)
                    .setCheckoutResponse(WireMapping.checkoutResponse(
                            committed.sale(), committed.replayed()))
                    .build());
        } else if (outcome instanceof CheckoutOutcome.Rejected rejected) {
            sendError(requestId, WireMapping.errorCode(rejected.rejection().code()),
                    rejected.rejection().explanation(), false);
        } else if (outcome instanceof CheckoutOutcome.PaymentPending pending) {
            send(Envelope.newBuilder().setRequestId(requestId)
                    .setCheckoutResponse(WireMapping.paymentPending(pending.key().saleId(),
                            "CNY"))
                    .build());
        } else if (outcome instanceof CheckoutOutcome.PaymentFailed failed) {
            sendError(requestId, WireMapping.errorCode(failed.failure()),
                    failed.failure().explanation(), false);
        } else if (outcome instanceof CheckoutOutcome.Abandoned abandoned) {
            sendError(requestId, ErrorCode.SALE_ABANDONED, "sale id '"
                    + abandoned.key().saleId() + "' was abandoned (its hold expired);"
                    + " start a new sale", false);
        } else {
            CheckoutOutcome.Conflict conflict = (CheckoutOutcome.Conflict) outcome;
            sendError(requestId, ErrorCode.SALE_CONFLICT, "sale id '"
                    + conflict.existing().key().saleId() + "' was committed as order "
                    + conflict.existing().orderId() + " with a different basket or tenders",
                    false);
        }
    }

    private String remoteAddress() {
        return channel.remoteAddress() instanceof InetSocketAddress address
                && address.getAddress() != null ? address.getAddress().getHostAddress() : "unknown";
    }

    private void failFatally(long requestId, ErrorCode code, String message) {
        log.warn("closing connection of terminal '{}': {} {}", terminalId, code, message);
        sendError(requestId, code, message, true);
        onClosed();
        closeAfterWrites();
    }

    /**
     * Closes once what was written has gone out; at once when the terminal is not reading
     * (the writes would never go out, and the connection must not linger).
     */
    private void closeAfterWrites() {
        if (channel.isWritable()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    private void sendError(long requestId, ErrorCode code, String message, boolean fatal) {
        send(Envelope.newBuilder().setRequestId(requestId)
                .setError(Error.newBuilder().setCode(code).setMessage(message).setFatal(fatal))
                .build());
    }

    private void send(Envelope envelope) {
        var frame = Unpooled.wrappedBuffer(FrameEncoder.encode(envelope));
        if (reading && channel.eventLoop().inEventLoop()) {
            channel.write(frame, channel.voidPromise());
            flushPending = true;
        } else {
            channel.writeAndFlush(frame, channel.voidPromise());
        }
        if (!readingPaused && !channel.isWritable()) {
            // Above the channel's high-water mark: stop reading until it drains.
            readingPaused = true;
            channel.config().setAutoRead(false);
        }
    }
}
