package io.kassa.engine.server.terminal;

import io.kassa.engine.core.basket.PricedBasket;
import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.server.checkout.CheckoutCommand;
import io.kassa.engine.server.checkout.CheckoutOutcome;
import io.kassa.engine.server.checkout.CheckoutService;
import io.kassa.protocol.Decoded;
import io.kassa.protocol.FrameDecoder;
import io.kassa.protocol.FrameEncoder;
import io.kassa.protocol.FrameLimits;
import io.kassa.protocol.MessageValidator;
import io.kassa.protocol.ProtocolException;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.Error;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.Hello;
import io.kassa.protocol.v1.HeartbeatAck;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.Welcome;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One terminal's connection: decodes its frames, enforces the session (Hello first, once),
 * dispatches requests to the checkout service and writes one answer per request. Everything
 * here runs on the connection's event loop, so its state needs no locking.
 *
 * <pre>
 *   AWAITING_HELLO --Hello ok--> READY --fatal error / idle / peer close--> CLOSED
 *         |                                   ^
 *         +--------fatal error----------------+
 * </pre>
 */
final class TerminalConnection {

    private static final Logger log = LoggerFactory.getLogger(TerminalConnection.class);

    enum State { AWAITING_HELLO, READY, CLOSED }

    private final NetSocket socket;
    private final CheckoutService checkout;
    private final TerminalServerOptions options;
    private final Clock clock;
    private final FrameDecoder decoder = new FrameDecoder(FrameLimits.FRAME_BYTES_MAX);

    private State state = State.AWAITING_HELLO;
    private String terminalId = "";
    private String storeId = "";
    private long lastFrameAtMillis;
    private long partialFrameSinceMillis = -1;
    private int inFlight;
    private boolean draining;

    TerminalConnection(NetSocket socket, CheckoutService checkout, TerminalServerOptions options,
            Clock clock) {
        this.socket = socket;
        this.checkout = checkout;
        this.options = options;
        this.clock = clock;
        this.lastFrameAtMillis = clock.millis();
    }

    State state() {
        return state;
    }

    void onData(Buffer buffer) {
        if (state == State.CLOSED) {
            return;
        }
        byte[] bytes = buffer.getBytes();
        try {
            decoder.feed(bytes, 0, bytes.length, this::onDecoded);
        } catch (ProtocolException fatal) {
            failFatally(0, fatal.code(), fatal.getMessage());
            return;
        }
        if (decoder.hasPartialFrame()) {
            if (partialFrameSinceMillis < 0) {
                partialFrameSinceMillis = clock.millis();
            }
        } else {
            partialFrameSinceMillis = -1;
        }
    }

    void onClosed() {
        state = State.CLOSED;
    }

    /**
     * The engine is shutting down: answer what is in flight, refuse new requests with
     * UNAVAILABLE (the terminal retries on another node), then close.
     */
    void onShutdown() {
        draining = true;
        closeIfDrained();
    }

    private void closeIfDrained() {
        if (draining && inFlight == 0 && state != State.CLOSED) {
            state = State.CLOSED;
            socket.end();
        }
    }

    /** Called by the per-loop sweep: closes a connection gone silent or stuck mid-frame. */
    void sweep(long nowMillis) {
        if (state == State.CLOSED) {
            return;
        }
        if (partialFrameSinceMillis >= 0
                && nowMillis - partialFrameSinceMillis > options.frameCompletionMillis()) {
            failFatally(0, ErrorCode.FRAME_TRUNCATED, "frame begun "
                    + (nowMillis - partialFrameSinceMillis) + " ms ago is still incomplete ("
                    + decoder.bufferedBytes() + " bytes received)");
        } else if (nowMillis - lastFrameAtMillis > options.idleMillisMax()) {
            log.info("closing idle connection of terminal '{}' ({} ms without a frame)",
                    terminalId, nowMillis - lastFrameAtMillis);
            state = State.CLOSED;
            socket.close();
        }
    }

    private void onDecoded(Decoded decoded) {
        if (state == State.CLOSED) {
            return;
        }
        lastFrameAtMillis = clock.millis();
        if (decoded instanceof Decoded.Malformed malformed) {
            sendError(malformed.requestId(), malformed.error().code(),
                    malformed.error().getMessage(), false);
            return;
        }
        Envelope envelope = ((Decoded.Message) decoded).envelope();
        long requestId = envelope.getRequestId();
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
            case HEARTBEAT -> {
                requireGreeted();
                send(Envelope.newBuilder().setRequestId(envelope.getRequestId())
                        .setHeartbeatAck(HeartbeatAck.newBuilder()
                                .setServerTimeMillis(clock.millis()))
                        .build());
            }
            case QUOTE_REQUEST -> {
                requireGreeted();
                MessageValidator.validate(envelope);
                onQuote(envelope.getRequestId(), envelope.getQuoteRequest());
            }
            case CHECKOUT_REQUEST -> {
                requireGreeted();
                MessageValidator.validate(envelope);
                onCheckout(envelope.getRequestId(),
                        WireMapping.checkout(storeId, terminalId, envelope.getCheckoutRequest()));
            }
            default -> throw ProtocolException.recoverable(ErrorCode.UNEXPECTED_MESSAGE,
                    envelope.getBodyCase() + " is not a message a terminal sends");
        }
    }

    private void onHello(Envelope envelope) throws ProtocolException {
        Hello hello = envelope.getHello();
        if (state == State.READY) {
            throw ProtocolException.recoverable(ErrorCode.ALREADY_GREETED,
                    "this connection already said Hello as terminal '" + terminalId + "'");
        }
        if (hello.getProtocolVersion() != FrameLimits.PROTOCOL_VERSION) {
            throw ProtocolException.fatal(ErrorCode.UNSUPPORTED_VERSION, "protocol version "
                    + hello.getProtocolVersion() + " is not spoken here; this engine speaks "
                    + FrameLimits.PROTOCOL_VERSION);
        }
        MessageValidator.validate(envelope);
        terminalId = hello.getTerminalId();
        storeId = hello.getStoreId();
        state = State.READY;
        send(Envelope.newBuilder().setRequestId(envelope.getRequestId())
                .setWelcome(Welcome.newBuilder()
                        .setProtocolVersion(FrameLimits.PROTOCOL_VERSION)
                        .setNodeId(options.nodeId())
                        .setHeartbeatIntervalMillis(options.heartbeatIntervalMillis())
                        .setFrameBytesMax(FrameLimits.FRAME_BYTES_MAX)
                        .setServerTimeMillis(clock.millis()))
                .build());
    }

    private void requireGreeted() throws ProtocolException {
        if (state != State.READY) {
            throw ProtocolException.recoverable(ErrorCode.HELLO_REQUIRED,
                    "send Hello before any request");
        }
    }

    private void onQuote(long requestId, QuoteRequest request) throws ProtocolException {
        var currency = WireMapping.currency(request.getCurrency());
        Decision<PricedBasket> quote =
                checkout.quote(currency, WireMapping.lines(request.getLinesList(), currency));
        if (quote instanceof Decision.Rejected<PricedBasket> rejected) {
            sendError(requestId, WireMapping.errorCode(rejected.rejection().code()),
                    rejected.rejection().explanation(), false);
            return;
        }
        PricedBasket basket = ((Decision.Accepted<PricedBasket>) quote).value();
        send(Envelope.newBuilder().setRequestId(requestId)
                .setQuoteResponse(WireMapping.quoteResponse(basket)).build());
    }

    private void onCheckout(long requestId, CheckoutCommand command) {
        inFlight++;
        Future<CheckoutOutcome> outcome;
        try {
            outcome = checkout.checkout(command);
        } catch (RuntimeException bug) {
            outcome = Future.failedFuture(bug);
        }
        outcome.onComplete(result -> {
            inFlight--;
            if (result.failed()) {
                log.error("checkout {} failed", command.key(), result.cause());
                sendError(requestId, ErrorCode.INTERNAL, "the checkout could not be completed;"
                        + " retry with the same sale id", false);
            } else {
                answerCheckout(requestId, result.result());
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
        } else {
            CheckoutOutcome.Conflict conflict = (CheckoutOutcome.Conflict) outcome;
            sendError(requestId, ErrorCode.SALE_CONFLICT, "sale id '"
                    + conflict.existing().key().saleId() + "' was committed as order "
                    + conflict.existing().orderId() + " with a different basket or tenders",
                    false);
        }
    }

    private void failFatally(long requestId, ErrorCode code, String message) {
        log.warn("closing connection of terminal '{}': {} {}", terminalId, code, message);
        sendError(requestId, code, message, true);
        state = State.CLOSED;
        socket.end();
    }

    private void sendError(long requestId, ErrorCode code, String message, boolean fatal) {
        send(Envelope.newBuilder().setRequestId(requestId)
                .setError(Error.newBuilder().setCode(code).setMessage(message).setFatal(fatal))
                .build());
    }

    private void send(Envelope envelope) {
        socket.write(Buffer.buffer(FrameEncoder.encode(envelope)));
    }
}
