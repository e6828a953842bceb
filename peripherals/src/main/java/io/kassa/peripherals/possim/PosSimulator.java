package io.kassa.peripherals.possim;

import io.kassa.peripherals.sdk.TerminalBusyException;
import io.kassa.peripherals.sdk.TerminalClient;
import io.kassa.peripherals.sdk.TerminalClientOptions;
import io.kassa.protocol.TerminalAuthentication;
import io.kassa.peripherals.sdk.TerminalConnectionException;
import io.kassa.peripherals.sdk.TerminalErrorException;
import io.kassa.peripherals.sdk.TerminalProtocolException;
import io.kassa.peripherals.sdk.TerminalTimeoutException;
import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.CheckoutStatus;
import io.kassa.protocol.v1.MemberLookupRequest;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import io.kassa.protocol.v1.TopUpRequest;
import io.kassa.protocol.v1.VoidRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated tills of a chain: N terminals spread over S stores, each connected to the engine
 * through the {@link TerminalClient}, ringing up random baskets from the {@link Catalogue} at a
 * configured total rate. Every sale is a quote, then a checkout: with a member on 70% of
 * sales when members are configured (points and stored value as the quote allows), the rest
 * by bank card or in cash.
 *
 * <p><b>Arrival model.</b> Open: customers arrive on a fixed schedule (arrival k is due at
 * k / rate seconds after the start), whatever the engine's speed, so that a slow engine shows
 * up as latency and skipped arrivals instead of silently lowering the offered load (closed
 * loops hide it: "coordinated omission"). Each arrival goes to the next idle till in
 * round-robin order; a till with a sale in flight is passed over, as a customer walks to a free
 * till. When every till is busy or disconnected, the arrival is <i>skipped</i> and counted, not
 * queued: a queue would make the offered load depend on the engine's past latency, and the
 * skip count states the saturation plainly.
 *
 * <p><b>Ids.</b> Terminal {@code i} (0-based) stands in store {@code i mod S + 1} and is named
 * {@code T-store-001-1}, {@code T-store-002-1}, ...; sale ids are {@code
 * <runId>-<terminalId>-<sequence>}, unique across runs because the run id is.
 *
 * <p><b>Cash.</b> The customer hands over the payable rounded up to the next 10 yuan, or
 * (one sale in four) the exact amount; the engine's change must be the difference, and a
 * commit that disagrees is counted as an {@code inconsistent-answer} failure.
 *
 * <p><b>The rest of a till's day.</b> With members configured, one member sale in
 * {@value #LOOKUP_ONE_IN} starts with a member lookup, one in {@value #TOP_UP_ONE_IN} with a
 * cash top-up of stored value, and one sale in {@value #VOID_ONE_IN} is voided after its quote
 * (the customer walks away) instead of checked out; a voided sale counts as completed. The
 * counts are in {@link #deskActions()}.
 *
 * <p><b>Engines.</b> With several engine nodes, terminal {@code i} starts at node
 * {@code i mod n} and moves to the next node whenever it connects again.
 *
 * <p><b>Threading.</b> Everything runs on one Vert.x context (the caller's, or a new one):
 * scheduling, the clients and the counters; {@link #stats()} may be read from any thread.
 * A terminal whose connection is lost connects again after {@code reconnectDelayMillis}.
 */
public final class PosSimulator {

    private static final Logger LOG = LoggerFactory.getLogger(PosSimulator.class);

    /** Share of sales with a member, in percent, when members are configured. */
    static final int MEMBER_SALE_PERCENT = 70;

    /** A points wish larger than any balance: "as many as the quote allows". */
    static final long POINTS_WISH_ALL = 1_000_000_000L;

    /** Period of the arrival clock; arrivals due in between are released together. */
    static final long TICK_MILLIS = 10;
    /** How often a stopping simulator checks whether its sales in flight have ended. */
    static final long DRAIN_POLL_MILLIS = 20;
    static final String CURRENCY = "CNY";
    /** One sale in this many is paid with the exact amount. */
    static final int EXACT_CASH_ONE_IN = 4;
    static final long CASH_ROUNDING_FEN = 10_00;
    /** One member sale in this many looks the member up first. */
    static final int LOOKUP_ONE_IN = 4;
    /** One member sale in this many tops up stored value first. */
    static final int TOP_UP_ONE_IN = 100;
    /** One sale in this many is voided after its quote. */
    static final int VOID_ONE_IN = 50;
    /** What a simulated top-up buys: 100.00, which earns the demo chain's bonus. */
    static final long TOP_UP_FEN = 100_00;

    private final Vertx vertx;
    private final Context context;
    private final PosSimulatorOptions options;
    private final String runId;
    private final Catalogue catalogue;
    private final Random cashRandom;
    // A third stream for lookups, top-ups and voids, so that they shift neither of the others.
    private final Random deskRandom;
    private final List<String[]> engines;
    private final List<Terminal> terminals;
    private final Counters counters = new Counters();
    private final Promise<Void> stopped = Promise.promise();

    private boolean started;
    private boolean stopping;
    private volatile long startNanos;
    private long arrivalsStartNanos;
    private long arrivals;
    private int cursor;
    private int salesInFlight;
    private long tickTimerId = -1;
    private long statusTimerId = -1;
    private long durationTimerId = -1;

    /** One simulated till. Touched only on the simulator's context. */
    private static final class Terminal {
        final String terminalId;
        final String storeId;
        // Volatile: stats() counts connected terminals from any thread.
        volatile TerminalClient client;
        boolean saleInFlight;
        boolean connecting;
        boolean reconnectScheduled;
        int connectFailuresInARow;
        long saleSequence;
        int engineIndex;

        Terminal(String terminalId, String storeId, int engineIndex) {
            this.terminalId = terminalId;
            this.storeId = storeId;
            this.engineIndex = engineIndex;
        }
    }

    private PosSimulator(Vertx vertx, PosSimulatorOptions options) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.options = options;
        this.runId = options.getRunId() != null ? options.getRunId()
                : Long.toString(System.currentTimeMillis(), 36);
        this.catalogue = new Catalogue(options.getSeed());
        // A second stream, so that cash choices do not shift the sequence of baskets.
        this.cashRandom = new Random(options.getSeed() * 31 + 17);
        this.deskRandom = new Random(options.getSeed() * 131 + 7);
        this.engines = new ArrayList<>();
        for (String engine : options.getEngines()) {
            int colon = engine.lastIndexOf(':');
            engines.add(new String[] {engine.substring(0, colon), engine.substring(colon + 1)});
        }
        if (engines.isEmpty()) {
            engines.add(new String[] {options.getHost(), Integer.toString(options.getPort())});
        }
        this.terminals = new ArrayList<>(options.getTerminals());
        for (int i = 0; i < options.getTerminals(); i++) {
            String storeId = String.format("store-%03d", i % options.getStores() + 1);
            String terminalId = "T-" + storeId + "-" + (i / options.getStores() + 1);
            terminals.add(new Terminal(terminalId, storeId, i % engines.size()));
        }
    }

    /** @throws IllegalArgumentException when an option is out of range */
    public static PosSimulator create(Vertx vertx, PosSimulatorOptions options) {
        PosSimulatorOptions copy = new PosSimulatorOptions(options);
        copy.check();
        return new PosSimulator(vertx, copy);
    }

    public String runId() {
        return runId;
    }

    /**
     * Connects every terminal, then starts the arrivals. Completes when every connect attempt
     * has ended; fails with {@link TerminalConnectionException} when no terminal could connect
     * (terminals that failed keep trying in the background otherwise).
     */
    public Future<Void> start() {
        return onContext(this::startOnContext);
    }

    /**
     * Stops the arrivals, lets sales in flight finish (up to {@code drainTimeoutMillis}), closes
     * every client and logs the summary. Idempotent; the future is {@link #completion()}.
     */
    public Future<Void> stop() {
        return onContext(this::stopOnContext);
    }

    /** Completes once the simulator has stopped: after {@link #stop()} or the duration. */
    public Future<Void> completion() {
        return stopped.future();
    }

    /** Member lookups, top-ups and voids made so far, by kind; callable from any thread. */
    public Map<String, Long> deskActions() {
        return counters.deskActions();
    }

    /** A consistent snapshot of the counters; callable from any thread. */
    public PosSimulatorStats stats() {
        long elapsedMillis = startNanos == 0 ? 0
                : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        int connected = 0;
        for (Terminal terminal : terminals) {
            TerminalClient client = terminal.client;
            if (client != null && client.isConnected()) {
                connected++;
            }
        }
        return counters.snapshot(elapsedMillis, terminals.size(), connected);
    }

    // ---- starting -----------------------------------------------------------------------

    private Future<Void> startOnContext() {
        if (started) {
            return Future.failedFuture(new IllegalStateException("start() may be called once"));
        }
        started = true;
        startNanos = System.nanoTime();
        LOG.info("pos-sim run {}: {} terminals in {} stores, {} checkouts/s, engine {}:{}",
                runId, terminals.size(), options.getStores(), options.getRatePerSecond(),
                options.getHost(), options.getPort());
        List<Future<?>> connects = new ArrayList<>(terminals.size());
        for (Terminal terminal : terminals) {
            connects.add(connect(terminal));
        }
        return Future.join(connects).transform(ignored -> {
            long connected = connects.stream().filter(Future::succeeded).count();
            if (stopping) {
                return Future.failedFuture(new IllegalStateException("stopped while starting"));
            }
            if (connected == 0) {
                return Future.failedFuture(new TerminalConnectionException("no terminal could "
                        + "connect to " + options.getHost() + ":" + options.getPort() + ": "
                        + connects.get(0).cause().getMessage()));
            }
            LOG.info("pos-sim run {}: {} of {} terminals connected", runId, connected,
                    terminals.size());
            beginArrivals();
            return Future.succeededFuture();
        });
    }

    private void beginArrivals() {
        arrivalsStartNanos = System.nanoTime();
        tickTimerId = vertx.setPeriodic(TICK_MILLIS, timerId -> releaseDueArrivals());
        if (options.getStatusIntervalMillis() > 0) {
            statusTimerId = vertx.setPeriodic(options.getStatusIntervalMillis(),
                    timerId -> LOG.info(stats().statusLine()));
        }
        if (options.getDurationSeconds() > 0) {
            durationTimerId = vertx.setTimer(
                    TimeUnit.SECONDS.toMillis(options.getDurationSeconds()),
                    timerId -> stopOnContext());
        }
    }

    private Future<?> connect(Terminal terminal) {
        assert !terminal.connecting;
        if (terminal.client != null) {
            // Already closed when we get here; closing again is a no-op that makes sure.
            terminal.client.close();
        }
        terminal.connecting = true;
        String[] engine = engines.get(terminal.engineIndex % engines.size());
        TerminalClient client = TerminalClient.create(vertx, new TerminalClientOptions()
                .setHost(engine[0])
                .setPort(Integer.parseInt(engine[1]))
                .setTerminalId(terminal.terminalId)
                .setStoreId(terminal.storeId)
                .setSoftwareVersion("kassa-pos-sim")
                .setSecret(options.getDemoSecretSeed() == null ? null
                        : TerminalAuthentication.demoSecret(options.getDemoSecretSeed(),
                                terminal.storeId, terminal.terminalId))
                .setRequestTimeoutMillis(options.getRequestTimeoutMillis())
                // One sale at a time per till; a little room for the SDK's own requests.
                .setInFlightMax(2));
        terminal.client = client;
        return client.connect().onComplete(welcome -> {
            terminal.connecting = false;
            terminal.connectFailuresInARow = 0;
        }, cause -> {
            terminal.connecting = false;
            // Once per outage, not once a second per till while the engine is down.
            if (++terminal.connectFailuresInARow == 1) {
                LOG.warn("terminal {}: cannot connect, retrying every {} ms: {}",
                        terminal.terminalId, options.getReconnectDelayMillis(),
                        cause.getMessage());
            }
            scheduleReconnect(terminal);
        });
    }

    private void scheduleReconnect(Terminal terminal) {
        if (stopping || terminal.reconnectScheduled) {
            return;
        }
        terminal.reconnectScheduled = true;
        vertx.setTimer(options.getReconnectDelayMillis(), timerId -> {
            terminal.reconnectScheduled = false;
            // A sale that failed late must not replace a connection that is up again.
            if (!stopping && !terminal.connecting && !terminal.client.isConnected()) {
                counters.reconnectAttempted();
                // The node may be gone: try the next one.
                terminal.engineIndex = (terminal.engineIndex + 1) % engines.size();
                connect(terminal);
            }
        });
    }

    // ---- arrivals and sales -------------------------------------------------------------

    private void releaseDueArrivals() {
        if (stopping) {
            return;
        }
        double elapsedSeconds = (System.nanoTime() - arrivalsStartNanos) / 1e9;
        long due = (long) Math.floor(elapsedSeconds * options.getRatePerSecond());
        while (arrivals < due) {
            arrivals++;
            Terminal terminal = nextIdleTerminal();
            if (terminal == null) {
                counters.skipped();
            } else {
                runSale(terminal);
            }
        }
    }

    /** The next idle, connected till in round-robin order, or null when there is none. */
    private Terminal nextIdleTerminal() {
        for (int scanned = 0; scanned < terminals.size(); scanned++) {
            Terminal terminal = terminals.get(cursor);
            cursor = (cursor + 1) % terminals.size();
            if (terminal.saleInFlight) {
                continue;
            }
            if (terminal.client.isConnected()) {
                return terminal;
            }
            if (!terminal.connecting) {
                // The connection was lost since the last sale.
                scheduleReconnect(terminal);
            }
        }
        return null;
    }

    private void runSale(Terminal terminal) {
        assert !terminal.saleInFlight;
        terminal.saleInFlight = true;
        salesInFlight++;
        counters.started();
        TerminalClient client = terminal.client;
        List<BasketLine> basket = catalogue.nextBasket();
        String saleId = runId + "-" + terminal.terminalId + "-" + (++terminal.saleSequence);
        boolean exactCash = cashRandom.nextInt(EXACT_CASH_ONE_IN) == 0;
        String memberCode = options.getMembers() > 0
                && cashRandom.nextInt(100) < MEMBER_SALE_PERCENT
                ? String.format("member-%04d", 1 + cashRandom.nextInt(options.getMembers()))
                : "";
        long pointsWish = !memberCode.isEmpty() && TenderPlan.wantsPoints(cashRandom)
                ? POINTS_WISH_ALL : 0;
        boolean desk = options.getMembers() > 0;
        boolean lookUp = desk && !memberCode.isEmpty() && deskRandom.nextInt(LOOKUP_ONE_IN) == 0;
        boolean topUp = desk && !memberCode.isEmpty() && deskRandom.nextInt(TOP_UP_ONE_IN) == 0;
        boolean walksAway = desk && deskRandom.nextInt(VOID_ONE_IN) == 0;
        beforeSale(client, saleId, memberCode, lookUp, topUp)
                .compose(ready -> {
                    long quoteStartNanos = System.nanoTime();
                    return client.quote(QuoteRequest.newBuilder().setCurrency(CURRENCY)
                                    .addAllLines(basket).setMemberCode(memberCode)
                                    .setPointsWish(pointsWish).build())
                            .map(quote -> {
                                counters.quoteAnswered(microsSince(quoteStartNanos));
                                return quote;
                            });
                })
                .compose(quote -> {
                    if (walksAway) {
                        // The customer leaves at the till: the sale is voided before payment.
                        return client.voidSale(VoidRequest.newBuilder().setSaleId(saleId)
                                        .setMemberCode(memberCode)
                                        .setReason("customer walked away").build())
                                .map(voided -> {
                                    counters.deskAction("void");
                                    return (Object) voided;
                                });
                    }
                    long payableFen = quote.getPayableFen();
                    if (payableFen < 0) {
                        return Future.failedFuture(new InconsistentAnswerException(
                                "quote payable " + payableFen + " fen is negative"));
                    }
                    List<Tender> tenders = TenderPlan.plan(quote, cashRandom,
                            cash -> exactCash ? cash : roundUpToNote(cash));
                    long changeFen = TenderPlan.changeFen(tenders);
                    CheckoutRequest checkout = CheckoutRequest.newBuilder()
                            .setSaleId(saleId)
                            .setCurrency(CURRENCY)
                            .setMemberCode(memberCode)
                            .addAllLines(basket)
                            .addAllTenders(tenders)
                            .build();
                    long checkoutStartNanos = System.nanoTime();
                    return client.checkout(checkout).map(response -> {
                        counters.checkoutAnswered(microsSince(checkoutStartNanos));
                        verify(response, saleId, payableFen, changeFen);
                        return (Object) response;
                    });
                })
                .onComplete(committed -> counters.completed(),
                        cause -> {
                            String kind = failureKind(cause);
                            counters.failed(kind);
                            LOG.debug("sale {} failed: {}", saleId, cause.toString());
                            if (cause instanceof TerminalConnectionException) {
                                scheduleReconnect(terminal);
                            }
                        })
                .onComplete(ended -> {
                    terminal.saleInFlight = false;
                    salesInFlight--;
                    assert salesInFlight >= 0;
                });
    }

    /** A member lookup and a cash top-up before the sale, when drawn. */
    private Future<Void> beforeSale(TerminalClient client, String saleId, String memberCode,
            boolean lookUp, boolean topUp) {
        Future<Void> ready = Future.succeededFuture();
        if (lookUp) {
            ready = ready.compose(none -> client.lookupMember(MemberLookupRequest.newBuilder()
                    .setMemberCode(memberCode).build())).map(found -> {
                        counters.deskAction("member-lookup");
                        return null;
                    });
        }
        if (topUp) {
            ready = ready.compose(none -> client.topUp(TopUpRequest.newBuilder()
                    .setTopUpId(saleId + "-tu").setMemberCode(memberCode).setCurrency(CURRENCY)
                    .setTender(Tender.newBuilder().setType(TenderType.CASH)
                            .setAmountFen(TOP_UP_FEN).setReceivedFen(TOP_UP_FEN))
                    .build())).map(done -> {
                        counters.deskAction("top-up");
                        return null;
                    });
        }
        return ready;
    }

    /** The payable rounded up to the next 10-yuan note; a multiple of 10 yuan stays exact. */
    static long roundUpToNote(long payableFen) {
        assert payableFen > 0;
        long notes = Math.addExact(payableFen, CASH_ROUNDING_FEN - 1) / CASH_ROUNDING_FEN;
        return Math.multiplyExact(notes, CASH_ROUNDING_FEN);
    }

    /**
     * A commit whose money does not add up is a failure however the engine labels it: the
     * simulator is also a check on the engine.
     */
    private static void verify(CheckoutResponse response, String saleId, long payableFen,
            long changeFen) {
        if (response.getStatus() != CheckoutStatus.COMMITTED) {
            throw new InconsistentAnswerException("status " + response.getStatus());
        }
        if (!response.getSaleId().equals(saleId)) {
            throw new InconsistentAnswerException("sale id " + response.getSaleId()
                    + ", expected " + saleId);
        }
        if (response.getPayableFen() != payableFen) {
            throw new InconsistentAnswerException("payable " + response.getPayableFen()
                    + " fen, quoted " + payableFen);
        }
        if (response.getChangeFen() != changeFen) {
            throw new InconsistentAnswerException("change " + response.getChangeFen()
                    + " fen, expected " + changeFen);
        }
    }

    static String failureKind(Throwable cause) {
        if (cause instanceof TerminalErrorException error) {
            return error.code().name();
        } else if (cause instanceof TerminalTimeoutException) {
            return "timeout";
        } else if (cause instanceof TerminalConnectionException) {
            return "connection";
        } else if (cause instanceof TerminalBusyException) {
            return "busy";
        } else if (cause instanceof TerminalProtocolException) {
            return "protocol";
        } else if (cause instanceof InconsistentAnswerException) {
            return "inconsistent-answer";
        }
        return cause.getClass().getSimpleName();
    }

    private static long microsSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNanos);
    }

    // ---- stopping -----------------------------------------------------------------------

    private Future<Void> stopOnContext() {
        if (stopping) {
            return stopped.future();
        }
        stopping = true;
        vertx.cancelTimer(tickTimerId);
        vertx.cancelTimer(statusTimerId);
        vertx.cancelTimer(durationTimerId);
        long drainDeadlineNanos = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(options.getDrainTimeoutMillis());
        Promise<Void> drained = Promise.promise();
        awaitDrained(drainDeadlineNanos, drained);
        drained.future().compose(ignored -> {
            List<Future<Void>> closes = new ArrayList<>();
            for (Terminal terminal : terminals) {
                if (terminal.client != null) {
                    closes.add(terminal.client.close());
                }
            }
            return Future.join(closes);
        }).onComplete(ignored -> context.runOnContext(onContext -> {
            // Back on the simulator's context: closing may complete on an acceptor thread.
            if (started) {
                LOG.info(stats().summary());
                if (!counters.deskActions().isEmpty()) {
                    LOG.info("pos-sim: besides checkouts: {}", counters.deskActions());
                }
            }
            stopped.tryComplete();
        }));
        return stopped.future();
    }

    private void awaitDrained(long deadlineNanos, Promise<Void> drained) {
        if (salesInFlight == 0 || System.nanoTime() - deadlineNanos >= 0) {
            if (salesInFlight > 0) {
                LOG.warn("pos-sim: closing with {} sales still in flight", salesInFlight);
            }
            drained.complete();
            return;
        }
        vertx.setTimer(DRAIN_POLL_MILLIS, timerId -> awaitDrained(deadlineNanos, drained));
    }

    private <T> Future<T> onContext(Supplier<Future<T>> action) {
        if (Vertx.currentContext() == context) {
            return action.get();
        }
        Promise<T> promise = Promise.promise();
        context.runOnContext(ignored -> action.get().onComplete(promise));
        return promise.future();
    }

    /** The engine's answer was well-formed but does not add up. */
    static final class InconsistentAnswerException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        InconsistentAnswerException(String message) {
            super(message);
        }
    }

    /** The counters, behind one monitor so that a snapshot is consistent. */
    private static final class Counters {
        private long started;
        private long completed;
        private long failed;
        private long skipped;
        private long reconnects;
        private final Map<String, Long> failuresByKind = new HashMap<>();
        private final Map<String, Long> deskActions = new java.util.TreeMap<>();
        private final LatencyHistogram quoteLatency = new LatencyHistogram();
        private final LatencyHistogram checkoutLatency = new LatencyHistogram();

        synchronized void started() {
            started++;
        }

        synchronized void completed() {
            completed++;
        }

        synchronized void failed(String kind) {
            failed++;
            failuresByKind.merge(kind, 1L, Long::sum);
        }

        synchronized void deskAction(String kind) {
            deskActions.merge(kind, 1L, Long::sum);
        }

        synchronized Map<String, Long> deskActions() {
            return Map.copyOf(deskActions);
        }

        synchronized void skipped() {
            skipped++;
        }

        synchronized void reconnectAttempted() {
            reconnects++;
        }

        synchronized void quoteAnswered(long micros) {
            quoteLatency.record(micros);
        }

        synchronized void checkoutAnswered(long micros) {
            checkoutLatency.record(micros);
        }

        synchronized PosSimulatorStats snapshot(long elapsedMillis, int terminals,
                int terminalsConnected) {
            return new PosSimulatorStats(elapsedMillis, terminals, terminalsConnected,
                    started + skipped, started, completed, failed, skipped, reconnects,
                    failuresByKind, quoteLatency.summary(), checkoutLatency.summary());
        }
    }
}
