package io.kassa.loadtests.chaos;

import io.kassa.peripherals.PeripheralVertx;
import io.kassa.loadtests.SaleMix;
import io.kassa.loadtests.TerminalLoadGenerator;
import io.kassa.peripherals.faults.FaultProxy;
import io.kassa.peripherals.gateway.GatewaySimulator;
import io.kassa.peripherals.gateway.GatewaySimulatorOptions;
import io.kassa.peripherals.gateway.TradeSnapshot;
import io.kassa.peripherals.possim.Catalogue;
import io.kassa.peripherals.scanner.PaymentCodeScanner;
import io.kassa.peripherals.sdk.ReconnectingTerminalClient;
import io.kassa.peripherals.sdk.TerminalClientOptions;
import io.kassa.peripherals.sdk.TerminalErrorException;
import io.kassa.protocol.TerminalAuthentication;
import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.CheckoutStatus;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.PaymentUpdate;
import io.kassa.protocol.v1.QuoteRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load and the in-process faults of a chaos run ({@code load-tests/chaos/chaos.sh}, which
 * owns the processes it kills and restarts: the engine, Redis, PostgreSQL).
 *
 * <p>This process runs the gateway simulator (with its fault shares and silent spells), the
 * fault proxies the engine reaches Redis and PostgreSQL through (latency, resets, blackholes),
 * and terminals that stay connected across engine kills and resend a checkout whose answer
 * was lost with the same sale id. Every sale's last answer is kept: committed, failed cleanly
 * (an error that means nothing was recorded), or not yet known (pending, a lost answer, an
 * internal error) — those are asked again, with the same request, until the engine knows.
 * At the end it writes what each terminal was told ({@code told.csv}) and what the channels
 * hold ({@code trades.csv}) for the script to check against the ledger.
 *
 * <pre>
 * java -cp kassa-load-tests.jar io.kassa.loadtests.chaos.ChaosRun --work DIR --engine-port P
 *     --gateway-port G --callback-port H --redis-port R --pg-port Q --rate 130 --duration 780 --terminals 200 --stores 20 --members 500
 *     --userpaying 10 --demo-secret-seed S [--proxy-faults yes] [--gateway-faults yes]
 * </pre>
 */
public final class ChaosRun {

    /** Errors after which the sale certainly was not recorded: the terminal starts anew. */
    private static final Set<ErrorCode> CLEAN_FAILURES = EnumSet.of(ErrorCode.INVALID_FIELD,
            ErrorCode.EMPTY_BASKET, ErrorCode.TOO_MANY_LINES, ErrorCode.INVALID_QUANTITY,
            ErrorCode.INVALID_AMOUNT, ErrorCode.AMOUNT_OVERFLOW, ErrorCode.UNSUPPORTED_CURRENCY,
            ErrorCode.UNSUPPORTED_TENDER, ErrorCode.TENDER_MISMATCH, ErrorCode.UNKNOWN_STORE,
            ErrorCode.UNKNOWN_CATEGORY, ErrorCode.UNKNOWN_MEMBER, ErrorCode.MEMBER_REQUIRED,
            ErrorCode.INSUFFICIENT_POINTS, ErrorCode.POINTS_OVER_CAP,
            ErrorCode.INSUFFICIENT_STORED_VALUE, ErrorCode.COUPON_UNAVAILABLE,
            ErrorCode.SALE_ABANDONED, ErrorCode.PAYMENT_DECLINED, ErrorCode.PAYMENT_CODE_INVALID,
            ErrorCode.PAYMENT_CHANNEL_UNAVAILABLE, ErrorCode.PAYMENT_NOT_CONFIRMED);
    // Not BUSY nor RATE_LIMITED: they say that this request was not executed, not what became
    // of the sale, which an earlier send of it may have committed. Such a sale is asked again.

    /** How long after the load the terminals go on asking about sales not yet known. */
    private static final long RESOLVE_MILLIS_MAX = 6 * 60_000;

    enum Told { UNKNOWN, COMMITTED, FAILED }

    private static final class Sale {
        final String saleId;
        final String storeId;
        final String terminalId;
        final int terminal;
        final CheckoutRequest request;
        final boolean byCode;
        volatile Told told = Told.UNKNOWN;
        volatile String failure = "";
        volatile long lastSentMillis;
        volatile boolean inFlight;

        Sale(String saleId, String storeId, String terminalId, int terminal,
                CheckoutRequest request, boolean byCode) {
            this.saleId = saleId;
            this.storeId = storeId;
            this.terminalId = terminalId;
            this.terminal = terminal;
            this.request = request;
            this.byCode = byCode;
        }
    }

    private final Map<String, String> options;
    private final Vertx vertx = PeripheralVertx.create();
    private final Map<String, Sale> sales = new ConcurrentHashMap<>();
    private final List<ReconnectingTerminalClient> clients = new ArrayList<>();
    private final List<Catalogue> catalogues = new ArrayList<>();
    private final AtomicLong quotesFailed = new AtomicLong();
    private final AtomicLong contradictions = new AtomicLong();
    private final AtomicLong resends = new AtomicLong();
    private final Map<String, AtomicLong> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final Set<String> membersInSale = ConcurrentHashMap.newKeySet();
    private final String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    private GatewaySimulator gateway;
    private FaultProxy redisProxy;
    private FaultProxy pgProxy;

    private ChaosRun(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--rate", "100", "--duration", "60",
                "--terminals", "100", "--stores", "10", "--members", "0", "--userpaying", "10",
                "--proxy-faults", "yes", "--gateway-faults", "yes", "--seed", "42",
                "--demo-secret-seed", ""));
        for (int index = 0; index + 1 < args.length; index += 2) {
            options.put(args[index], args[index + 1]);
        }
        for (String required : List.of("--work", "--engine-port", "--gateway-port",
                "--callback-port", "--redis-port", "--pg-port")) {
            if (!options.containsKey(required)) {
                System.err.println("chaos: " + required + " is required");
                System.exit(2);
            }
        }
        int status;
        try {
            status = new ChaosRun(options).run();
        } catch (Exception e) {
            // Exit rather than let Vert.x's event loop threads keep a failed driver alive: the
            // script waits for this process.
            System.err.println("chaos: the driver failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private int number(String name) {
        return Integer.parseInt(options.get(name));
    }

    private boolean yes(String name) {
        return options.get(name).equals("yes");
    }

    private int run() throws Exception {
        Path work = Path.of(options.get("--work"));
        gateway = await(GatewaySimulator.start(vertx, new GatewaySimulatorOptions()
                .setHost("127.0.0.1").setPort(number("--gateway-port"))
                .setKeysDirectory(work.resolve("gateway-keys"))
                .setCallbackUrl("http://127.0.0.1:" + number("--callback-port"))
                .setSeed(Long.parseLong(options.get("--seed")))
                .setLatencyMillis(5).setLatencyJitterMillis(20)
                .setFailureShare(yes("--gateway-faults") ? 0.05 : 0)
                .setUserPayingShare(0.3).setUserPasswordMillis(3_000)
                .setSystemErrorShare(yes("--gateway-faults") ? 0.05 : 0)
                .setUnansweredShare(yes("--gateway-faults") ? 0.05 : 0)
                .setDuplicateNotifications(yes("--gateway-faults") ? 1 : 0)
                .setNotificationDelayMillis(300).setNotificationJitterMillis(3_000)));
        redisProxy = await(FaultProxy.start(vertx, "127.0.0.1", number("--redis-port")));
        pgProxy = await(FaultProxy.start(vertx, "127.0.0.1", number("--pg-port")));
        // The script starts the engine on these: it reaches Redis and PostgreSQL through them.
        System.out.println("chaos: ready redis-proxy=" + redisProxy.port() + " pg-proxy="
                + pgProxy.port() + " engine-keys=" + gateway.engineKeysDirectory());
        connect();
        // The script starts the engine once the proxies are up: wait for it (bounded).
        for (int waited = 0; waited < 240 && connected() < clients.size() * 9 / 10; waited++) {
            Thread.sleep(500);
        }
        System.out.println("chaos: " + connected() + " of " + clients.size()
                + " terminals connected; load starts");
        long started = System.currentTimeMillis();
        long loadEnds = started + number("--duration") * 1000L;
        SplittableRandom random = new SplittableRandom(Long.parseLong(options.get("--seed")));
        if (yes("--proxy-faults")) {
            scheduleProxyFault(random, loadEnds);
        }
        if (yes("--gateway-faults")) {
            scheduleGatewaySilence(random, loadEnds);
        }
        long resolver = vertx.setPeriodic(2_000, id -> resendUnknown(false));
        runLoad(random, started, loadEnds);
        long loadDone = System.currentTimeMillis();
        System.out.println("chaos: load done; asking about sales not yet known");
        while (unknown() > 0 && System.currentTimeMillis() - loadDone < RESOLVE_MILLIS_MAX) {
            Thread.sleep(1_000);
            resendUnknown(true);
        }
        long resolvedMillis = System.currentTimeMillis() - loadDone;
        vertx.cancelTimer(resolver);
        System.out.println("chaos: terminals know every answer they can (" + unknown()
                + " unknown); waiting for the engine's open payment intents");
        Path settled = work.resolve("settled");
        for (int waited = 0; waited < 600 && !Files.exists(settled); waited++) {
            Thread.sleep(1_000);
        }
        writeTold(work.resolve("told.csv"));
        writeTrades(work.resolve("trades.csv"));
        report(number("--duration"), resolvedMillis);
        for (ReconnectingTerminalClient client : clients) {
            client.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        return 0;
    }

    private void connect() {
        String seed = options.get("--demo-secret-seed");
        for (int index = 0; index < number("--terminals"); index++) {
            TerminalLoadGenerator.Terminal named = TerminalLoadGenerator.terminal(index,
                    number("--stores"));
            TerminalClientOptions clientOptions = new TerminalClientOptions()
                    .setHost("127.0.0.1").setPort(number("--engine-port"))
                    .setStoreId(named.storeId()).setTerminalId(named.terminalId())
                    .setSoftwareVersion("kassa-chaos").setInFlightMax(1_000)
                    .setRequestTimeoutMillis(20_000);
            if (!seed.isEmpty()) {
                clientOptions.setSecret(TerminalAuthentication.demoSecret(seed,
                        named.storeId(), named.terminalId()));
            }
            // Short backoff: every kill is followed by all terminals reconnecting at once (a
            // reconnect storm), and the load's sales are not spent waiting for a long backoff.
            ReconnectingTerminalClient client = ReconnectingTerminalClient.create(vertx,
                    clientOptions, 200, 2_000);
            client.onPush(push -> {
                if (push.hasPaymentUpdate()) {
                    updated(push.getPaymentUpdate());
                }
            });
            client.start();
            clients.add(client);
            catalogues.add(new Catalogue(Long.parseLong(options.get("--seed")) + index));
        }
    }

    /** The open model: sales start on a fixed schedule whatever the engine's state. */
    private void runLoad(SplittableRandom random, long started, long loadEnds)
            throws InterruptedException {
        PaymentCodeScanner scanner = new PaymentCodeScanner(random.nextLong());
        SplittableRandom mix = random.split();
        double gapMillis = 1000.0 / Double.parseDouble(options.get("--rate"));
        long sequence = 0;
        long lastReport = started;
        while (System.currentTimeMillis() < loadEnds) {
            long due = started + (long) (sequence * gapMillis);
            long now = System.currentTimeMillis();
            if (due > now) {
                Thread.sleep(Math.min(due - now, 50));
                continue;
            }
            long number = sequence++;
            SaleMix.Draw draw = SaleMix.draw(mix, number("--members"), scanner,
                    number("--userpaying"), membersInSale::contains);
            vertx.runOnContext(ignored -> startSale(number, draw));
            if (now - lastReport >= 30_000) {
                lastReport = now;
                System.out.println("chaos: " + (now - started) / 1000 + " s, " + line());
            }
        }
    }

    private void startSale(long number, SaleMix.Draw draw) {
        int terminal = (int) (number % clients.size());
        ReconnectingTerminalClient client = clients.get(terminal);
        if (!client.isConnected()) {
            quotesFailed.incrementAndGet();
            return;
        }
        List<BasketLine> basket = catalogues.get(terminal).nextBasket();
        if (!draw.memberCode().isEmpty() && !membersInSale.add(draw.memberCode())) {
            quotesFailed.incrementAndGet();
            return;
        }
        client.quote(QuoteRequest.newBuilder().setCurrency("CNY").addAllLines(basket)
                        .setMemberCode(draw.memberCode()).setPointsWish(draw.pointsWish())
                        .build())
                .onFailure(error -> {
                    quotesFailed.incrementAndGet();
                    membersInSale.remove(draw.memberCode());
                })
                .onSuccess(quote -> {
                    var tenders = SaleMix.tenders(draw, quote, number);
                    TerminalLoadGenerator.Terminal named = TerminalLoadGenerator.terminal(
                            terminal, number("--stores"));
                    String saleId = "C" + runId + "-" + number;
                    Sale sale = new Sale(saleId, named.storeId(), named.terminalId(), terminal,
                            CheckoutRequest.newBuilder().setSaleId(saleId).setCurrency("CNY")
                                    .setMemberCode(draw.memberCode()).addAllLines(basket)
                                    .addAllTenders(tenders).build(),
                            SaleMix.paysByCode(tenders));
                    sales.put(saleId, sale);
                    send(sale).onComplete(done -> membersInSale.remove(draw.memberCode()));
                });
    }

    private Future<CheckoutResponse> send(Sale sale) {
        sale.inFlight = true;
        sale.lastSentMillis = System.currentTimeMillis();
        return clients.get(sale.terminal).checkout(sale.request).andThen(done -> {
            sale.inFlight = false;
            if (done.succeeded()) {
                CheckoutStatus status = done.result().getStatus();
                if (status == CheckoutStatus.COMMITTED) {
                    tell(sale, Told.COMMITTED, "");
                }
                return;
            }
            Throwable error = done.cause();
            if (error instanceof TerminalErrorException refused
                    && CLEAN_FAILURES.contains(refused.code())) {
                tell(sale, Told.FAILED, refused.code().name());
            } else {
                failures.computeIfAbsent(error instanceof TerminalErrorException refused
                        ? refused.code().name() : error.getClass().getSimpleName(),
                        key -> new AtomicLong()).incrementAndGet();
            }
        });
    }

    private void updated(PaymentUpdate update) {
        Sale sale = sales.get(update.getSaleId());
        if (sale == null) {
            return;
        }
        if (update.getStatus() == CheckoutStatus.COMMITTED) {
            tell(sale, Told.COMMITTED, "");
        } else if (update.getStatus() == CheckoutStatus.PAYMENT_FAILED) {
            tell(sale, Told.FAILED, update.getErrorCode().name());
        }
    }

    private void tell(Sale sale, Told told, String failure) {
        synchronized (sale) {
            if (sale.told != Told.UNKNOWN && sale.told != told) {
                contradictions.incrementAndGet();
                System.out.println("chaos: CONTRADICTION: sale " + sale.saleId + " was told "
                        + sale.told + ", now " + told + " " + failure);
            }
            if (sale.told == Told.UNKNOWN) {
                sale.told = told;
                sale.failure = failure;
            }
        }
    }

    /** A checkout resent with the same sale id is the status request (SPEC.md section 8). */
    private void resendUnknown(boolean all) {
        long now = System.currentTimeMillis();
        int sent = 0;
        for (Sale sale : sales.values()) {
            if (sale.told == Told.UNKNOWN && !sale.inFlight
                    && now - sale.lastSentMillis > 10_000 && (all || sent < 200)) {
                sent++;
                resends.incrementAndGet();
                vertx.runOnContext(ignored -> send(sale));
            }
        }
    }

    private long connected() {
        return clients.stream().filter(ReconnectingTerminalClient::isConnected).count();
    }

    private long unknown() {
        return sales.values().stream().filter(sale -> sale.told == Told.UNKNOWN).count();
    }

    private void scheduleProxyFault(SplittableRandom random, long loadEnds) {
        long after = 15_000 + random.nextLong(20_000);
        vertx.setTimer(after, id -> {
            if (System.currentTimeMillis() >= loadEnds - 10_000) {
                return;
            }
            boolean redis = random.nextBoolean();
            FaultProxy proxy = redis ? redisProxy : pgProxy;
            String target = redis ? "redis" : "postgres";
            int kind = random.nextInt(3);
            if (kind == 0) {
                long latency = 20 + random.nextLong(200);
                proxy.latencyMillis(latency);
                vertx.setTimer(5_000, off -> proxy.latencyMillis(0));
                count(target + "-latency");
            } else if (kind == 1) {
                proxy.resetAll();
                count(target + "-reset");
            } else {
                proxy.blackhole(true);
                vertx.setTimer(2_000 + random.nextLong(2_000), off -> proxy.blackhole(false));
                count(target + "-blackhole");
            }
            scheduleProxyFault(random, loadEnds);
        });
    }

    private void scheduleGatewaySilence(SplittableRandom random, long loadEnds) {
        vertx.setTimer(40_000 + random.nextLong(40_000), id -> {
            if (System.currentTimeMillis() >= loadEnds - 10_000) {
                return;
            }
            gateway.setOutage(GatewaySimulator.Outage.SILENT);
            vertx.setTimer(5_000, off -> gateway.setOutage(GatewaySimulator.Outage.NONE));
            count("gateway-silent");
            scheduleGatewaySilence(random, loadEnds);
        });
    }

    private void count(String fault) {
        faults.computeIfAbsent(fault, key -> new AtomicLong()).incrementAndGet();
    }

    private String line() {
        long committed = sales.values().stream().filter(s -> s.told == Told.COMMITTED).count();
        long failed = sales.values().stream().filter(s -> s.told == Told.FAILED).count();
        return "attempted=" + sales.size() + " committed=" + committed + " failed_cleanly="
                + failed + " unknown=" + (sales.size() - committed - failed)
                + " quotes_failed=" + quotesFailed.get() + " resends=" + resends.get()
                + " faults=" + faults + " errors_seen=" + failures;
    }

    private void report(int seconds, long resolvedMillis) {
        long committed = sales.values().stream().filter(s -> s.told == Told.COMMITTED).count();
        long failed = sales.values().stream().filter(s -> s.told == Told.FAILED).count();
        long byCode = sales.values().stream().filter(s -> s.byCode).count();
        System.out.println("chaos: " + line());
        System.out.printf("chaos-result attempted=%d committed=%d failed_cleanly=%d"
                + " unknown_at_end=%d contradictions=%d code_sales=%d quotes_failed=%d"
                + " terminals_resolved_ms=%d load_seconds=%d%n", sales.size(), committed, failed,
                sales.size() - committed - failed, contradictions.get(), byCode,
                quotesFailed.get(), resolvedMillis, seconds);
    }

    private void writeTold(Path file) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            for (Sale sale : sales.values()) {
                out.println(sale.storeId + "," + sale.terminalId + "," + sale.saleId + ","
                        + sale.told.name().toLowerCase(java.util.Locale.ROOT) + ","
                        + sale.failure);
            }
        }
    }

    private void writeTrades(Path file) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            for (TradeSnapshot trade : gateway.trades()) {
                out.println(trade.channel() + "," + trade.outTradeNo() + "," + trade.amountFen()
                        + "," + trade.status() + "," + trade.refundedFen() + ","
                        + (trade.paid() ? "t" : "f"));
            }
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
