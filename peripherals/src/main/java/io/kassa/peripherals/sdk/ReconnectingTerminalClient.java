package io.kassa.peripherals.sdk;

import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.MemberLookupRequest;
import io.kassa.protocol.v1.MemberLookupResponse;
import io.kassa.protocol.v1.PaymentStatusRequest;
import io.kassa.protocol.v1.PaymentStatusResponse;
import io.kassa.protocol.v1.Push;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.ShiftTotalsRequest;
import io.kassa.protocol.v1.ShiftTotalsResponse;
import io.kassa.protocol.v1.TopUpRequest;
import io.kassa.protocol.v1.TopUpResponse;
import io.kassa.protocol.v1.VoidRequest;
import io.kassa.protocol.v1.VoidResponse;
import io.kassa.protocol.v1.RefundRequest;
import io.kassa.protocol.v1.RefundResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A terminal that stays connected: a {@link TerminalClient} per connection, replaced after every
 * loss with exponential backoff and full jitter, re-authenticated, resuming pushes from the last
 * sequence seen. Checkouts whose answer was lost (connection lost, timeout, {@code UNAVAILABLE}
 * while the engine drains) are resent after the reconnect with the same sale id and a new request
 * id, until {@link #CHECKOUT_DEADLINE_MILLIS} after they were first asked; checkouts are
 * idempotent on the sale id (SPEC.md section 8), so a resend never records a sale twice.
 * Given several engine nodes, each attempt after a failure or loss goes to the next node in the
 * list, so that terminals leave a node that died or drains for one that serves them.
 *
 * <pre>
 *   connect --ok--> CONNECTED --lost / draining--> wait backoff --> connect --ok--> ...
 *                                                   delay = random(0, min(cap, base * 2^n))
 * </pre>
 *
 * <p>The single-connection contract of {@link TerminalClient} stays as it was; this class is
 * the option for terminals that want the SDK to handle reconnects. Quotes are not resent: they
 * are read-only and cheap to ask again, so they fail fast while disconnected. Threading as in
 * {@link TerminalClient}: state lives on one context; methods may be called from any thread.
 */
public final class ReconnectingTerminalClient {

    private static final Logger LOG = LoggerFactory.getLogger(ReconnectingTerminalClient.class);

    /** First reconnect delay bound; doubled per failed attempt up to the cap. */
    public static final long BACKOFF_BASE_MILLIS = 500;
    /** Largest reconnect delay: a chain's terminals must not wait minutes after an outage. */
    public static final long BACKOFF_CAP_MILLIS = 30_000;
    /** How long a checkout is resent before it fails with {@link TerminalTimeoutException}. */
    public static final long CHECKOUT_DEADLINE_MILLIS = 60_000;
    /** How long a refund answered {@code REFUND_PENDING} waits before it is asked again. */
    public static final long REFUND_PENDING_RETRY_MILLIS = 500;

    private final Vertx vertx;
    private final Context context;
    private final TerminalClientOptions options;
    private final long backoffBaseMillis;
    private final long backoffCapMillis;
    private final List<Consumer<Push>> pushHandlers = new CopyOnWriteArrayList<>();
    // Sale id -> its pending checkout, in the order asked; bounded by inFlightMax.
    private final Map<String, PendingCheckout> pending = new LinkedHashMap<>();
    // Refund id -> its pending refund, in the order asked; bounded by inFlightMax.
    private final Map<String, PendingRefund> pendingRefunds = new LinkedHashMap<>();
    private final Promise<Void> firstConnect = Promise.promise();
    // The engine nodes, tried in order: the next one after every failed attempt or loss.
    private final List<SocketAddress> engines;
    private int engineIndex;

    private TerminalClient client;
    private long lastPushSequenceSeen;
    private long drainReconnectAfterMillis;
    private int failedAttempts;
    private long reconnectTimerId = -1;
    private volatile boolean connected;
    private volatile int connections;
    private boolean closed;

    private static final class PendingCheckout {
        final CheckoutRequest request;
        final Promise<CheckoutResponse> promise = Promise.promise();
        final long deadlineNanos;
        boolean sent;

        PendingCheckout(CheckoutRequest request, long deadlineNanos) {
            this.request = request;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private static final class PendingRefund {
        final RefundRequest request;
        final Promise<RefundResponse> promise = Promise.promise();
        final long deadlineNanos;
        boolean sent;

        PendingRefund(RefundRequest request, long deadlineNanos) {
            this.request = request;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private ReconnectingTerminalClient(Vertx vertx, TerminalClientOptions options,
            List<SocketAddress> engines, long backoffBaseMillis, long backoffCapMillis) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.options = options;
        this.engines = List.copyOf(engines);
        this.backoffBaseMillis = backoffBaseMillis;
        this.backoffCapMillis = backoffCapMillis;
        this.lastPushSequenceSeen = options.getLastPushSequenceSeen();
    }

    /** Connects to the engine at the options' host and port. */
    public static ReconnectingTerminalClient create(Vertx vertx, TerminalClientOptions options) {
        return create(vertx, options, BACKOFF_BASE_MILLIS, BACKOFF_CAP_MILLIS);
    }

    /** With other backoff bounds, e.g. short ones in tests. */
    public static ReconnectingTerminalClient create(Vertx vertx, TerminalClientOptions options,
            long backoffBaseMillis, long backoffCapMillis) {
        Objects.requireNonNull(options, "options");
        return create(vertx, options, List.of(SocketAddress.inetSocketAddress(
                options.getPort(), options.getHost())), backoffBaseMillis, backoffCapMillis);
    }

    /**
     * Connects to any of several engine nodes (a cluster): the first, then after every failed
     * attempt or lost connection the next one in the list (wrapping around), with the same
     * backoff and jitter between attempts. A node that dies or drains thus hands its terminals
     * to the others, which answer resent checkouts by their sale ids. The options' host and
     * port are not used.
     */
    public static ReconnectingTerminalClient create(Vertx vertx, TerminalClientOptions options,
            List<SocketAddress> engines) {
        return create(vertx, options, engines, BACKOFF_BASE_MILLIS, BACKOFF_CAP_MILLIS);
    }

    /** Several engine nodes, with other backoff bounds. */
    public static ReconnectingTerminalClient create(Vertx vertx, TerminalClientOptions options,
            List<SocketAddress> engines, long backoffBaseMillis, long backoffCapMillis) {
        Objects.requireNonNull(vertx, "vertx");
        TerminalClientOptions copy = new TerminalClientOptions(
                Objects.requireNonNull(options, "options"));
        copy.check();
        if (Objects.requireNonNull(engines, "engines").isEmpty()) {
            throw new IllegalArgumentException("at least one engine address is needed");
        }
        if (backoffBaseMillis < 1 || backoffCapMillis < backoffBaseMillis) {
            throw new IllegalArgumentException("backoff bounds must satisfy 1 <= base <= cap");
        }
        return new ReconnectingTerminalClient(vertx, copy, engines, backoffBaseMillis,
                backoffCapMillis);
    }

    /** The full-jitter delay before attempt {@code attempt} (0-based). */
    static long backoffMillis(long baseMillis, long capMillis, int attempt, double random) {
        long bound = attempt >= 62 ? capMillis
                : Math.min(capMillis, baseMillis << Math.min(attempt, 30));
        return (long) (random * bound);
    }

    /**
     * Starts connecting; completes at the first Welcome. Keeps reconnecting after a failed first
     * attempt too, so a terminal started before its engine joins once the engine is up.
     */
    public Future<Void> start() {
        onContext(() -> {
            if (client == null && !closed) {
                connectNow();
            }
        });
        return firstConnect.future();
    }

    public ReconnectingTerminalClient onPush(Consumer<Push> handler) {
        pushHandlers.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    public boolean isConnected() {
        return connected;
    }

    /** Connections opened so far (the first included). */
    public int connections() {
        return connections;
    }

    public long lastPushSequenceSeen() {
        return lastPushSequenceSeen;
    }

    /** The engine node connected to, or to be tried next while disconnected. */
    public SocketAddress currentEngine() {
        return engines.get(engineIndex);
    }

    /** Fails fast with {@link TerminalConnectionException} while disconnected. */
    public Future<QuoteResponse> quote(QuoteRequest request) {
        return onContextFuture(() -> client != null && client.isConnected()
                ? client.quote(request)
                : Future.failedFuture(new TerminalConnectionException(
                        "terminal " + options.getTerminalId() + " is reconnecting")));
    }

    /** Fails fast with {@link TerminalConnectionException} while disconnected. */
    public Future<MemberLookupResponse> lookupMember(MemberLookupRequest request) {
        Objects.requireNonNull(request, "request");
        return whileConnected(connected -> connected.lookupMember(request));
    }

    /** Fails fast with {@link TerminalConnectionException} while disconnected. */
    public Future<PaymentStatusResponse> paymentStatus(PaymentStatusRequest request) {
        Objects.requireNonNull(request, "request");
        return whileConnected(connected -> connected.paymentStatus(request));
    }

    /**
     * Fails fast with {@link TerminalConnectionException} while disconnected. A void is
     * idempotent on its sale id: after a lost answer, void again.
     */
    public Future<VoidResponse> voidSale(VoidRequest request) {
        Objects.requireNonNull(request, "request");
        return whileConnected(connected -> connected.voidSale(request));
    }

    /**
     * Fails fast with {@link TerminalConnectionException} while disconnected. A top-up is
     * idempotent on its top-up id: after a lost answer, send the same request again.
     */
    public Future<TopUpResponse> topUp(TopUpRequest request) {
        Objects.requireNonNull(request, "request");
        return whileConnected(connected -> connected.topUp(request));
    }

    /**
     * Fails fast with {@link TerminalConnectionException} while disconnected; a shift close is
     * idempotent on its shift id.
     */
    public Future<ShiftTotalsResponse> shiftTotals(ShiftTotalsRequest request) {
        Objects.requireNonNull(request, "request");
        return whileConnected(connected -> connected.shiftTotals(request));
    }

    private <T> Future<T> whileConnected(Function<TerminalClient, Future<T>> call) {
        return onContextFuture(() -> client != null && client.isConnected()
                ? call.apply(client)
                : Future.failedFuture(new TerminalConnectionException(
                        "terminal " + options.getTerminalId() + " is reconnecting")));
    }

    /**
     * Checks out; on a lost answer, resends after the reconnect with the same sale id until the
     * checkout deadline. Fails with {@link TerminalBusyException} when {@code inFlightMax}
     * checkouts are already pending, and at once on any answer but a retryable one.
     */
    public Future<CheckoutResponse> checkout(CheckoutRequest request) {
        Objects.requireNonNull(request, "request");
        return onContextFuture(() -> {
            if (closed) {
                return Future.failedFuture(new TerminalConnectionException("client closed"));
            }
            if (pending.containsKey(request.getSaleId())) {
                return Future.failedFuture(new IllegalStateException("sale "
                        + request.getSaleId() + " is already being checked out"));
            }
            if (pending.size() >= options.getInFlightMax()) {
                return Future.failedFuture(new TerminalBusyException(pending.size()
                        + " checkouts pending, the maximum"));
            }
            PendingCheckout checkout = new PendingCheckout(request,
                    System.nanoTime() + CHECKOUT_DEADLINE_MILLIS * 1_000_000);
            pending.put(request.getSaleId(), checkout);
            // A checkout waiting for a connection that never comes must still end.
            vertx.setTimer(CHECKOUT_DEADLINE_MILLIS, id -> onContext(() -> {
                if (pending.get(request.getSaleId()) == checkout && !checkout.sent) {
                    pending.remove(request.getSaleId());
                    checkout.promise.tryFail(new TerminalTimeoutException("sale "
                            + request.getSaleId() + ": no connection within "
                            + CHECKOUT_DEADLINE_MILLIS + " ms"));
                }
            }));
            send(checkout);
            return checkout.promise.future();
        });
    }

    /**
     * Refunds (SPEC.md 6.21); on a lost answer, resends after the reconnect with the same
     * refund id until the checkout deadline, as {@link #checkout} does: a refund is idempotent
     * on its id, so a resend never returns money twice. An answer of {@code REFUND_PENDING}
     * (the engine is still recording it) is resent too.
     */
    public Future<RefundResponse> refund(RefundRequest request) {
        Objects.requireNonNull(request, "request");
        return onContextFuture(() -> {
            if (closed) {
                return Future.failedFuture(new TerminalConnectionException("client closed"));
            }
            if (pendingRefunds.containsKey(request.getRefundId())) {
                return Future.failedFuture(new IllegalStateException("refund "
                        + request.getRefundId() + " is already being asked"));
            }
            if (pendingRefunds.size() >= options.getInFlightMax()) {
                return Future.failedFuture(new TerminalBusyException(pendingRefunds.size()
                        + " refunds pending, the maximum"));
            }
            PendingRefund refund = new PendingRefund(request,
                    System.nanoTime() + CHECKOUT_DEADLINE_MILLIS * 1_000_000);
            pendingRefunds.put(request.getRefundId(), refund);
            vertx.setTimer(CHECKOUT_DEADLINE_MILLIS, id -> onContext(() -> {
                if (pendingRefunds.get(request.getRefundId()) == refund && !refund.sent) {
                    pendingRefunds.remove(request.getRefundId());
                    refund.promise.tryFail(new TerminalTimeoutException("refund "
                            + request.getRefundId() + ": no connection within "
                            + CHECKOUT_DEADLINE_MILLIS + " ms"));
                }
            }));
            send(refund);
            return refund.promise.future();
        });
    }

    /** Stops reconnecting, closes the connection, fails what is pending. */
    public Future<Void> close() {
        return onContextFuture(() -> {
            closed = true;
            vertx.cancelTimer(reconnectTimerId);
            for (PendingCheckout checkout : new ArrayList<>(pending.values())) {
                checkout.promise.tryFail(new TerminalConnectionException("client closed"));
            }
            pending.clear();
            for (PendingRefund refund : new ArrayList<>(pendingRefunds.values())) {
                refund.promise.tryFail(new TerminalConnectionException("client closed"));
            }
            pendingRefunds.clear();
            firstConnect.tryFail(new TerminalConnectionException("client closed"));
            return client == null ? Future.succeededFuture() : client.close();
        });
    }

    // ---- connecting ---------------------------------------------------------------------

    private void connectNow() {
        SocketAddress engine = engines.get(engineIndex);
        TerminalClient next = TerminalClient.create(vertx, new TerminalClientOptions(options)
                .setHost(engine.host()).setPort(engine.port())
                .setLastPushSequenceSeen(lastPushSequenceSeen));
        client = next;
        next.onPush(this::onPush);
        next.closeFuture().onComplete(ignored -> onClientClosed(next));
        next.connect().onComplete(welcome -> {
            if (client != next || closed) {
                return;
            }
            failedAttempts = 0;
            drainReconnectAfterMillis = 0;
            connected = true;
            connections++;
            firstConnect.tryComplete();
            for (PendingCheckout checkout : new ArrayList<>(pending.values())) {
                if (!checkout.sent) {
                    send(checkout);
                }
            }
            for (PendingRefund refund : new ArrayList<>(pendingRefunds.values())) {
                if (!refund.sent) {
                    send(refund);
                }
            }
        }, cause -> LOG.debug("terminal {}: connect to {} failed: {}", options.getTerminalId(),
                engine, cause.getMessage()));
    }

    private void onPush(Push push) {
        if (push.getKindCase() == Push.KindCase.DRAINING) {
            drainReconnectAfterMillis = Integer.toUnsignedLong(
                    push.getDraining().getReconnectAfterMillis());
        }
        lastPushSequenceSeen = push.getSequence();
        for (Consumer<Push> handler : pushHandlers) {
            handler.accept(push);
        }
    }

    private void onClientClosed(TerminalClient closedClient) {
        if (client != closedClient) {
            return;
        }
        connected = false;
        lastPushSequenceSeen = Math.max(lastPushSequenceSeen,
                closedClient.lastPushSequenceSeen());
        if (closed) {
            return;
        }
        // Lost, or never reached: the next node may be the one alive.
        engineIndex = (engineIndex + 1) % engines.size();
        long delayMillis = backoffMillis(backoffBaseMillis, backoffCapMillis, failedAttempts++,
                ThreadLocalRandom.current().nextDouble());
        if (drainReconnectAfterMillis > 0) {
            // The engine asked for this much, plus jitter so that its terminals spread out.
            double jitter = ThreadLocalRandom.current().nextDouble();
            delayMillis = Math.max(delayMillis,
                    drainReconnectAfterMillis + (long) (jitter * drainReconnectAfterMillis));
        }
        reconnectTimerId = vertx.setTimer(Math.max(1, delayMillis), id -> {
            if (!closed) {
                connectNow();
            }
        });
    }

    // ---- checkouts ----------------------------------------------------------------------

    private void send(PendingCheckout checkout) {
        if (client == null || !client.isConnected() || client.isDraining()) {
            checkout.sent = false;
            return;
        }
        checkout.sent = true;
        client.checkout(checkout.request).onComplete(response -> {
            pending.remove(checkout.request.getSaleId());
            checkout.promise.tryComplete(response);
        }, cause -> {
            if (retryable(cause) && !closed && System.nanoTime() < checkout.deadlineNanos) {
                // Resent by the next connect, with a new request id and the same sale id.
                checkout.sent = false;
                if (client != null && client.isConnected() && !client.isDraining()
                        && !(cause instanceof TerminalConnectionException)) {
                    // The connection is up (a timeout or UNAVAILABLE): it must be replaced.
                    client.close();
                }
                return;
            }
            pending.remove(checkout.request.getSaleId());
            checkout.promise.tryFail(cause);
        });
    }

    private void send(PendingRefund refund) {
        if (client == null || !client.isConnected() || client.isDraining()) {
            refund.sent = false;
            return;
        }
        refund.sent = true;
        client.refund(refund.request).onComplete(response -> {
            pendingRefunds.remove(refund.request.getRefundId());
            refund.promise.tryComplete(response);
        }, cause -> {
            if (cause instanceof TerminalErrorException error
                    && error.code() == ErrorCode.REFUND_PENDING
                    && !closed && System.nanoTime() < refund.deadlineNanos) {
                // The engine is still recording it: ask again shortly, on this connection.
                refund.sent = false;
                vertx.setTimer(REFUND_PENDING_RETRY_MILLIS, id -> onContext(() -> {
                    if (pendingRefunds.get(refund.request.getRefundId()) == refund
                            && !refund.sent) {
                        send(refund);
                    }
                }));
                return;
            }
            if (retryable(cause) && !closed && System.nanoTime() < refund.deadlineNanos) {
                // Resent by the next connect, with a new request id and the same refund id.
                refund.sent = false;
                if (client != null && client.isConnected() && !client.isDraining()
                        && !(cause instanceof TerminalConnectionException)) {
                    client.close();
                }
                return;
            }
            pendingRefunds.remove(refund.request.getRefundId());
            refund.promise.tryFail(cause);
        });
    }

    private static boolean retryable(Throwable cause) {
        return cause instanceof TerminalConnectionException
                || cause instanceof TerminalTimeoutException
                || (cause instanceof TerminalErrorException error
                        && (error.code() == ErrorCode.UNAVAILABLE
                                || error.code() == ErrorCode.INTERNAL));
    }

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }

    private <T> Future<T> onContextFuture(Supplier<Future<T>> action) {
        Promise<T> promise = Promise.promise();
        onContext(() -> {
            try {
                action.get().onComplete(promise);
            } catch (RuntimeException bug) {
                promise.fail(bug);
            }
        });
        return promise.future();
    }
}
