package io.kassa.peripherals.gateway;

import io.kassa.peripherals.gateway.SimulatedTrade.Status;
import io.kassa.peripherals.scanner.Wallet;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP server speaking the three channels' APIs with real keys and signatures: WeChat Pay
 * v3 style ({@code /v3/...}), Alipay style ({@code /gateway.do}) and UnionPay QR style
 * ({@code /upqr/v1/...}), over one in-memory trade store, sending signed (for WeChat Pay,
 * encrypted) notifications to the engine's callback URL.
 *
 * <p>All handlers and timers run on the one event loop of the Vert.x context the simulator
 * was started from, so the trade store needs no lock.
 */
public final class GatewaySimulator {

    private static final Logger log = LoggerFactory.getLogger(GatewaySimulator.class);

    /** The channels settle in China Standard Time; statements and Alipay times use it. */
    static final ZoneId CHANNEL_ZONE = ZoneId.of("Asia/Shanghai");
    /** How long a notification delivery may take before it counts as unanswered. */
    static final long DELIVERY_TIMEOUT_MILLIS = 5_000;

    /** What the simulated APIs do regardless of plans, for outage tests. */
    public enum Outage {
        /** Normal service. */
        NONE,
        /** Every API call answers 503 at once. */
        SERVER_ERROR,
        /** Every API call is read and never answered. */
        SILENT,
    }

    private final Vertx vertx;
    private final GatewaySimulatorOptions options;
    private final GatewayKeys keys;
    private final Clock clock;
    private final Random random;
    private final TradeStore store;
    private final Map<String, TradePlan> plans = new ConcurrentHashMap<>();
    private final List<NotificationDelivery> deliveries = new CopyOnWriteArrayList<>();
    private final WechatPayApi wechatPay;
    private final AlipayApi alipay;
    private final UnionPayApi unionPay;
    private final HttpClient httpClient;
    private volatile Outage outage = Outage.NONE;
    private HttpServer server;
    private Context context;
    private Path engineKeysDirectory;
    private Path keysDirectory;

    private GatewaySimulator(Vertx vertx, GatewaySimulatorOptions options, GatewayKeys keys,
            Clock clock) {
        this.vertx = vertx;
        this.options = options;
        this.keys = keys;
        this.clock = clock;
        this.random = new Random(options.seed());
        this.store = new TradeStore(clock);
        this.wechatPay = new WechatPayApi(this, keys);
        this.alipay = new AlipayApi(this, keys);
        this.unionPay = new UnionPayApi(this, keys);
        // One connection per notification, as the channels do: a connection the engine closed
        // (after an oversized body, say) is never reused for the next notification.
        this.httpClient = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
                .setConnectTimeout((int) DELIVERY_TIMEOUT_MILLIS));
    }

    /**
     * Loads or generates the keys (blocking file and key work, so off the event loop), starts
     * the server and writes the engine's side of the keys naming the bound port.
     */
    public static Future<GatewaySimulator> start(Vertx vertx, GatewaySimulatorOptions options) {
        options.check();
        return vertx.executeBlocking(() -> {
            Path directory = options.keysDirectory() != null ? options.keysDirectory()
                    : Files.createTempDirectory("kassa-gateway-keys");
            return Map.entry(directory, GatewayKeys.loadOrGenerate(directory));
        }).compose(loaded -> {
            GatewaySimulator simulator = new GatewaySimulator(
                    vertx, options, loaded.getValue(), Clock.systemUTC());
            simulator.keysDirectory = loaded.getKey();
            return simulator.listen();
        });
    }

    private Future<GatewaySimulator> listen() {
        context = vertx.getOrCreateContext();
        server = vertx.createHttpServer(new HttpServerOptions().setHost(options.host())
                .setPort(options.port()));
        server.requestHandler(this::handle);
        return server.listen().compose(bound -> vertx.executeBlocking(() -> {
            engineKeysDirectory = keysDirectory.resolve("engine");
            keys.writeEngineSide(engineKeysDirectory, baseUrl());
            log.info("gateway simulator on {}; engine keys in {}", baseUrl(),
                    engineKeysDirectory);
            return this;
        }));
    }

    public int port() {
        return server.actualPort();
    }

    public String baseUrl() {
        return "http://" + options.host() + ":" + port();
    }

    /** The directory to point the engine's KASSA_PAYMENT_KEYS_DIR at. */
    public Path engineKeysDirectory() {
        return engineKeysDirectory;
    }

    /** Fixes what happens to the payment paid with {@code authCode}. */
    public void plan(String authCode, TradePlan plan) {
        plans.put(authCode, plan);
    }

    /**
     * Points notifications at another engine (loopback only), for a simulator started before
     * the engine whose port it could not know.
     */
    public void setCallbackUrl(String url) {
        options.setCallbackUrl(url);
        options.check();
    }

    public void setOutage(Outage outage) {
        this.outage = outage;
    }

    public Optional<TradeSnapshot> trade(String channel, String outTradeNo) {
        return store.find(channel, outTradeNo).map(SimulatedTrade::snapshot);
    }

    public List<TradeSnapshot> trades() {
        return store.snapshot();
    }

    /** Every notification delivered so far, with the engine's answer. */
    public List<NotificationDelivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The notification of a paid trade, signed now, as it would be sent. */
    public SignedNotification notificationFor(String channel, String outTradeNo) {
        return notificationFor(channel, outTradeNo, clock.instant());
    }

    /** The notification of a paid trade, signed as if sent at {@code sentAt}. */
    public SignedNotification notificationFor(String channel, String outTradeNo,
            Instant sentAt) {
        SimulatedTrade trade = store.find(channel, outTradeNo).orElseThrow(
                () -> new IllegalArgumentException("no trade " + channel + "/" + outTradeNo));
        return switch (channel) {
            case "wechatpay" -> wechatPay.notification(trade, sentAt);
            case "alipay" -> alipay.notification(trade, sentAt);
            case "unionpay" -> unionPay.notification(trade, sentAt);
            default -> throw new IllegalArgumentException("unknown channel " + channel);
        };
    }

    /** WeChat Pay notification headers for an arbitrary body (for tampering tests). */
    public SignedNotification signWechatPayNotification(String id, String body, Instant at) {
        return wechatPay.sign(id, body, at);
    }

    /** WeChat Pay's resource encryption, for tests that build their own notifications. */
    public String encryptWechatPayResource(String nonce, String associatedData, String text) {
        return GatewayCrypto.encrypt(keys.apiV3Key, nonce, associatedData, text);
    }

    /** POSTs a notification to the engine once and reports its answer. */
    public Future<NotificationDelivery> deliver(SignedNotification notification) {
        // Tests call this from their own thread; the HTTP client is used from the simulator's
        // context only, and a delivery that hangs anyway ends as "no answer".
        Promise<NotificationDelivery> delivered = Promise.promise();
        context.runOnContext(start -> send(notification).onComplete(delivered));
        return delivered.future().timeout(2 * DELIVERY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .recover(noAnswer -> Future.succeededFuture(new NotificationDelivery(
                        notification.channel(), notification.notificationId(), 0,
                        String.valueOf(noAnswer.getMessage()))));
    }

    private Future<NotificationDelivery> send(SignedNotification notification) {
        if (options.callbackUrl() == null) {
            return Future.failedFuture(new IllegalStateException("no callback URL configured"));
        }
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(options.callbackUrl() + "/callbacks/" + notification.channel())
                .setTimeout(DELIVERY_TIMEOUT_MILLIS)
                .putHeader("Content-Type", notification.contentType());
        notification.headers().forEach(request::putHeader);
        return httpClient.request(request)
                .compose(sent -> sent.send(Buffer.buffer(notification.body(),
                        StandardCharsets.UTF_8.name())))
                .compose(response -> response.body().map(body -> delivery(notification,
                        response, body)))
                .recover(noAnswer -> Future.succeededFuture(new NotificationDelivery(
                        notification.channel(), notification.notificationId(), 0,
                        String.valueOf(noAnswer.getMessage()))))
                .onSuccess(deliveries::add);
    }

    private static NotificationDelivery delivery(SignedNotification notification,
            HttpClientResponse response, Buffer body) {
        return new NotificationDelivery(notification.channel(), notification.notificationId(),
                response.statusCode(), body.toString(StandardCharsets.UTF_8));
    }

    /**
     * Writes the statement of {@code day} (China time): one CSV line per trade created that
     * day, {@code channel,out_trade_no,transaction_id,amount_fen,status,time}.
     */
    public Future<Path> writeStatement(LocalDate day) {
        List<TradeSnapshot> trades = trades();
        Path directory = options.statementDirectory() != null ? options.statementDirectory()
                : keysDirectory;
        return vertx.executeBlocking(() -> writeStatement(directory, day, trades));
    }

    static Path writeStatement(Path directory, LocalDate day, List<TradeSnapshot> trades) {
        StringBuilder csv = new StringBuilder(
                "channel,out_trade_no,transaction_id,amount_fen,status,time\n");
        for (TradeSnapshot trade : trades) {
            Instant time = trade.paidAt() != null ? trade.paidAt() : trade.createdAt();
            if (!time.atZone(CHANNEL_ZONE).toLocalDate().equals(day) || trade.amountFen() == 0) {
                continue;
            }
            csv.append(trade.channel()).append(',').append(trade.outTradeNo()).append(',')
                    .append(trade.transactionId()).append(',').append(trade.amountFen())
                    .append(',').append(trade.status()).append(',')
                    .append(time.atZone(CHANNEL_ZONE).toOffsetDateTime()).append('\n');
        }
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve("statement-" + day + ".csv");
            Files.writeString(file, csv, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the statement", e);
        }
    }

    public Future<Void> stop() {
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.eventually(httpClient::close);
    }

    // ---- request handling -------------------------------------------------------------

    private void handle(HttpServerRequest request) {
        if (outage == Outage.SILENT) {
            return;
        }
        if (outage == Outage.SERVER_ERROR) {
            request.response().setStatusCode(503).end("simulated outage");
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && !length.matches("\\d{1,9}")
                || length != null && Long.parseLong(length)
                        > GatewaySimulatorOptions.REQUEST_BYTES_MAX) {
            request.response().setStatusCode(413).end();
            return;
        }
        request.body().onSuccess(body -> {
            if (body.length() > GatewaySimulatorOptions.REQUEST_BYTES_MAX) {
                request.response().setStatusCode(413).end();
                return;
            }
            String text = body.toString(StandardCharsets.UTF_8);
            SimulatedReply reply;
            try {
                reply = dispatch(request, text);
            } catch (RuntimeException bug) {
                log.warn("simulator failed on {} {}", request.method(), request.uri(), bug);
                reply = new SimulatedReply(500, "text/plain", Map.of(), "simulator error");
            }
            if (reply == null) {
                return; // the call is processed but never answered
            }
            SimulatedReply answer = reply;
            long delay = options.latencyMillis() + (options.latencyJitterMillis() == 0 ? 0
                    : (long) (random.nextDouble() * options.latencyJitterMillis()));
            if (delay == 0) {
                write(request, answer);
            } else {
                vertx.setTimer(delay, timer -> write(request, answer));
            }
        });
    }

    private SimulatedReply dispatch(HttpServerRequest request, String body) {
        String path = request.path();
        if (path.startsWith("/v3/")) {
            return wechatPay.handle(request.method().name(), request.uri(), request.headers(),
                    body);
        }
        if (path.equals("/gateway.do")) {
            return alipay.handle(body);
        }
        if (path.startsWith("/upqr/v1/")) {
            return unionPay.handle(request.method().name(), path, request.headers(), body);
        }
        return new SimulatedReply(404, "text/plain", Map.of(), "no such API");
    }

    private static void write(HttpServerRequest request, SimulatedReply reply) {
        var response = request.response().setStatusCode(reply.status());
        if (reply.contentType() != null) {
            response.putHeader("Content-Type", reply.contentType());
        }
        reply.headers().forEach(response::putHeader);
        response.end(reply.body() == null ? "" : reply.body());
    }

    // ---- shared trade logic for the channel APIs ---------------------------------------

    /** How a pay call is answered, channel-neutral. */
    enum PayKind { PAID, USER_PAYING, FAILED, SYSTEM_ERROR, INVALID_CODE, ORDER_EXISTS, FULL }

    record PayAnswer(PayKind kind, SimulatedTrade trade, String failureCode, boolean silent) {
    }

    PayAnswer pay(Wallet wallet, String outTradeNo, String authCode, long amountFen,
            String defaultFailureCode) {
        if (!wallet.accepts(authCode)) {
            return new PayAnswer(PayKind.INVALID_CODE, null, null, false);
        }
        TradePlan plan = plans.getOrDefault(authCode, drawPlan());
        Status status = switch (plan.outcome()) {
            case SUCCESS, SYSTEM_ERROR_BUT_PAID -> Status.SUCCESS;
            case USER_PAYING -> Status.USER_PAYING;
            case FAIL -> Status.FAILED;
        };
        TradeStore.PayEffect effect = store.pay(wallet.channelName(), outTradeNo, amountFen,
                status, plan.reverseAttemptsNeeded());
        if (effect instanceof TradeStore.AlreadyExists exists) {
            return new PayAnswer(PayKind.ORDER_EXISTS, exists.trade(), null, false);
        }
        if (effect instanceof TradeStore.Full) {
            return new PayAnswer(PayKind.FULL, null, null, false);
        }
        SimulatedTrade trade = ((TradeStore.Created) effect).trade();
        PayKind kind = switch (plan.outcome()) {
            case SUCCESS -> PayKind.PAID;
            case SYSTEM_ERROR_BUT_PAID -> PayKind.SYSTEM_ERROR;
            case USER_PAYING -> PayKind.USER_PAYING;
            case FAIL -> PayKind.FAILED;
        };
        if (status == Status.SUCCESS) {
            notifyPaid(trade, plan);
        } else if (status == Status.USER_PAYING && plan.userPasswordMillis() >= 0) {
            vertx.setTimer(Math.max(1, plan.userPasswordMillis()), timer -> {
                if (store.passwordEntered(trade)) {
                    notifyPaid(trade, plan);
                }
            });
        }
        String failureCode = plan.failureCode() != null ? plan.failureCode()
                : defaultFailureCode;
        return new PayAnswer(kind, trade, failureCode, plan.silent());
    }

    private TradePlan drawPlan() {
        double draw = random.nextDouble();
        TradePlan plan;
        if (draw < options.failureShare()) {
            plan = TradePlan.failure(null);
        } else if (draw < options.failureShare() + options.userPayingShare()) {
            plan = TradePlan.userPaying(options.userPasswordMillis());
        } else if (draw < options.failureShare() + options.userPayingShare()
                + options.systemErrorShare()) {
            plan = TradePlan.systemErrorButPaid();
        } else {
            plan = TradePlan.success();
        }
        if (random.nextDouble() < options.unansweredShare()) {
            plan = plan.unanswered();
        }
        return plan.reverseNeeding(options.reverseAttemptsNeeded());
    }

    TradeStore store() {
        return store;
    }

    int reverseAttemptsNeeded() {
        return options.reverseAttemptsNeeded();
    }

    Clock clock() {
        return clock;
    }

    /** Sends the trade's notification, plus duplicates, each after its own delay. */
    private void notifyPaid(SimulatedTrade trade, TradePlan plan) {
        if (!options.notifications() || options.callbackUrl() == null || !plan.notifies()) {
            return;
        }
        for (int copy = 0; copy <= options.duplicateNotifications(); copy++) {
            long delay = options.notificationDelayMillis() + (options.notificationJitterMillis()
                    == 0 ? 0 : (long) (random.nextDouble() * options.notificationJitterMillis()));
            vertx.setTimer(Math.max(1, delay), timer -> deliver(
                    notificationFor(trade.channel, trade.outTradeNo, clock.instant())));
        }
    }

    /** Completes with the trade's snapshot once {@code condition} holds, for tests. */
    public Future<TradeSnapshot> awaitTrade(String channel, String outTradeNo,
            java.util.function.Predicate<TradeSnapshot> condition, long timeoutMillis) {
        Promise<TradeSnapshot> promise = Promise.promise();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        vertx.setPeriodic(10, timer -> {
            Optional<TradeSnapshot> trade = trade(channel, outTradeNo);
            if (trade.isPresent() && condition.test(trade.get())) {
                vertx.cancelTimer(timer);
                promise.tryComplete(trade.get());
            } else if (System.currentTimeMillis() > deadline) {
                vertx.cancelTimer(timer);
                promise.tryFail("trade " + outTradeNo + " did not reach the condition");
            }
        });
        return promise.future();
    }
}
