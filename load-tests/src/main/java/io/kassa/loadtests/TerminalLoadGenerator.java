package io.kassa.loadtests;

import io.kassa.peripherals.possim.Catalogue;
import io.kassa.peripherals.scanner.PaymentCodeScanner;
import io.kassa.peripherals.sdk.TerminalClient;
import io.kassa.peripherals.sdk.TerminalClientOptions;
import io.kassa.peripherals.sdk.TerminalErrorException;
import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutStatus;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.RefundRequest;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.TerminalAuthentication;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.HdrHistogram.Histogram;

/**
 * An open-model load generator for the terminal protocol. Sales arrive on a schedule fixed in
 * advance by the target rate — each has an intended start time — and are spread round-robin
 * over persistent terminal connections; a sale is sent at its intended time whether or not
 * earlier ones were answered. Latency is measured from the intended start, never from the
 * actual send, so when the engine (or this generator) falls behind, the waiting counts as
 * latency: no coordinated omission.
 *
 * <p>One sale is a quote of a catalogue basket followed by a checkout of it, drawn from the
 * realistic mix of {@link SaleMix} (members, points, split tender, scanned codes, card or
 * cash), and for some sales a refund of the whole sale right after it. A sale paid by scanned code waits for its channel (and, USERPAYING, for the
 * customer's password: seconds), so its latency has a histogram of its own instead of
 * drowning the checkout percentiles the benchmark's bounds are about. All work runs on one
 * Vert.x context, so the histograms need no locking.
 */
public final class TerminalLoadGenerator {

    private static final long HISTOGRAM_MICROS_MAX = 3_600_000_000L;

    private final Vertx vertx;
    private final LoadOptions options;
    /** Members in a sale now: a member is at one till at a time (see SaleMix.draw). */
    private final Set<String> membersInSale = new HashSet<>();
    private final List<TerminalClient> clients = new ArrayList<>();
    private final List<Catalogue> catalogues = new ArrayList<>();
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final BiFunction<String, String, byte[]> secrets;
    private final SplittableRandom mixRandom;
    private final PaymentCodeScanner scanner;
    /** Numbers the sales of the whole run, so sale ids stay unique across steps. */
    private long sequence;
    /** Quotes per second of the member sweep before the first step; 0: no sweep. */
    private double memberSweepPerSecond;
    /** Members the sweep quoted (answered), once it ran. */
    private int membersSwept;
    /** The machine's wake-up lateness while the steps run. */
    private WakeupProbe wakeupProbe;

    /** What one step measures: its own histograms, counts, mix and errors. */
    private static final class Step {
        final double ratePerSecond;
        final Histogram quoteMicros = new Histogram(HISTOGRAM_MICROS_MAX, 3);
        final Histogram saleMicros = new Histogram(HISTOGRAM_MICROS_MAX, 3);
        final Histogram checkoutMicros = new Histogram(HISTOGRAM_MICROS_MAX, 3);
        final Histogram userPayingSaleMicros = new Histogram(HISTOGRAM_MICROS_MAX, 3);
        final Histogram refundMicros = new Histogram(HISTOGRAM_MICROS_MAX, 3);
        final Histogram sendLagMicros = new Histogram(HISTOGRAM_MICROS_MAX, 3);
        /** The machine's wake-up lateness over the step, from the probe, at its end. */
        Histogram wakeupMicros = new Histogram(HISTOGRAM_MICROS_MAX, 3);
        final Map<SaleMix.Kind, Long> mix = new EnumMap<>(SaleMix.Kind.class);
        final Map<String, Long> errors = new HashMap<>();
        long completed;
        long failed;
        long paymentPending;
        long lastPlainAnswerNanos;
        /** This step's sales sent and not yet answered. */
        long outstanding;

        Step(double ratePerSecond) {
            this.ratePerSecond = ratePerSecond;
        }

        LoadReport report(double seconds) {
            return new LoadReport(ratePerSecond, completed / Math.max(seconds, 1e-9), completed,
                    failed, paymentPending, quoteMicros, checkoutMicros, saleMicros,
                    userPayingSaleMicros, refundMicros, sendLagMicros, wakeupMicros, mix,
                    errors);
        }
    }

    /** The terminals authenticate with secrets derived from the options' demo seed, if any. */
    public TerminalLoadGenerator(Vertx vertx, LoadOptions options) {
        this(vertx, options, options.demoSecretSeed().isEmpty() ? (store, terminal) -> null
                : (store, terminal) -> TerminalAuthentication.demoSecret(
                        options.demoSecretSeed(), store, terminal));
    }

    /**
     * @param secrets the secret of each terminal (store id, terminal id), null for none: for
     *     an engine whose terminals were provisioned rather than derived from a demo seed
     */
    public TerminalLoadGenerator(Vertx vertx, LoadOptions options,
            BiFunction<String, String, byte[]> secrets) {
        this.vertx = vertx;
        this.options = options;
        this.secrets = secrets;
        this.mixRandom = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
        this.scanner = new PaymentCodeScanner(options.seed() ^ 0x2545F491L);
    }

    /** A terminal of the run: the stores take the terminals in turn. */
    public record Terminal(String storeId, String terminalId) {
    }

    /** The {@code index}-th terminal of a run over {@code stores} stores. */
    public static Terminal terminal(int index, int stores) {
        String store = String.format("store-%03d", index % stores + 1);
        return new Terminal(store, "L-" + store + "-" + (index / stores + 1));
    }

    /**
     * Before the first step, quotes every member once at {@code perSecond} over the run's
     * connections: each member is then in the engine's hot copy and known to it by code, as
     * the chain's regular customers are in a running engine, instead of some members' first
     * sale in a step paying for their loading (a cost of the first visit after a start, not
     * of the steady state the steps measure).
     */
    public TerminalLoadGenerator sweepMembersFirst(double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("the member sweep's rate must be > 0");
        }
        this.memberSweepPerSecond = perSecond;
        return this;
    }

    /** How many members the sweep quoted; 0 before it ran or without one. */
    public int membersSwept() {
        return membersSwept;
    }

    /** Connects every terminal, runs the schedule, waits for the stragglers, reports. */
    public Future<LoadReport> run() {
        return runSteps(List.of(options.ratePerSecond()), 0, rate -> { }, report -> { },
                report -> true).map(reports -> reports.get(0));
    }

    /**
     * Connects every terminal once, then runs one step per rate over the same connections: the
     * first after the options' warm-up (sent, not measured), each later one after
     * {@code settleSeconds} at its own rate (sent, not measured: the change of rate settles).
     * A step ends when its last arrival is answered; {@code stepStarted} hears each step's
     * rate as its measured window begins and {@code stepDone} its report as it ends; no step
     * follows one whose report {@code goOn} refuses. One generator process for every step
     * keeps its own start-up and JIT out of all but the first.
     */
    public Future<List<LoadReport>> runSteps(List<Double> rates, int settleSeconds,
            java.util.function.DoubleConsumer stepStarted,
            java.util.function.Consumer<LoadReport> stepDone,
            java.util.function.Predicate<LoadReport> goOn) {
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("at least one rate");
        }
        Promise<List<LoadReport>> reports = Promise.promise();
        wakeupProbe = WakeupProbe.start();
        vertx.runOnContext(ignored -> connectAll().compose(connected -> sweepMembers())
                .onFailure(reports::fail)
                .onSuccess(swept -> runStep(rates, 0, settleSeconds, stepStarted, stepDone,
                        goOn, new ArrayList<>(), reports)));
        return reports.future().andThen(done -> wakeupProbe.close());
    }

    private void runStep(List<Double> rates, int index, int settleSeconds,
            java.util.function.DoubleConsumer stepStarted,
            java.util.function.Consumer<LoadReport> stepDone,
            java.util.function.Predicate<LoadReport> goOn, List<LoadReport> done,
            Promise<List<LoadReport>> reports) {
        double rate = rates.get(index);
        int unmeasuredSeconds = index == 0 ? options.warmupSeconds() : settleSeconds;
        Future<LoadReport> step = runSchedule(new Step(rate), unmeasuredSeconds,
                () -> stepStarted.accept(rate));
        step.onComplete(stepped -> {
            if (stepped.failed()) {
                closeAll().onComplete(closed -> reports.fail(stepped.cause()));
                return;
            }
            LoadReport report = stepped.result();
            done.add(report);
            stepDone.accept(report);
            if (index + 1 < rates.size() && goOn.test(report)) {
                runStep(rates, index + 1, settleSeconds, stepStarted, stepDone, goOn, done,
                        reports);
            } else {
                closeAll().onComplete(closed -> reports.complete(done));
            }
        });
    }

    /**
     * Terminals connecting at once: hundreds of handshakes in one burst on a loaded machine
     * can outlast the handshake's timeout, so they connect in waves, as a store's tills do.
     */
    static final int CONNECT_WAVE = 50;

    private Future<Void> connectAll() {
        return connectFrom(0);
    }

    private Future<Void> connectFrom(int first) {
        if (first >= options.terminals()) {
            return Future.succeededFuture();
        }
        int end = Math.min(options.terminals(), first + CONNECT_WAVE);
        List<Future<?>> connections = new ArrayList<>(end - first);
        for (int index = first; index < end; index++) {
            Terminal named = terminal(index, options.stores());
            TerminalClientOptions clientOptions = new TerminalClientOptions()
                    .setHost(options.host()).setPort(options.port()).setStoreId(named.storeId())
                    .setTerminalId(named.terminalId())
                    .setSoftwareVersion("kassa-load").setInFlightMax(1_000)
                    .setRequestTimeoutMillis(30_000);
            byte[] secret = secrets.apply(named.storeId(), named.terminalId());
            if (secret != null) {
                clientOptions.setSecret(secret);
            }
            TerminalClient client = TerminalClient.create(vertx, clientOptions);
            clients.add(client);
            catalogues.add(new Catalogue(options.seed() + index));
            connections.add(client.connect());
        }
        return Future.all(connections).compose(wave -> connectFrom(end));
    }

    /** The member sweep ({@link #sweepMembersFirst}), if one was asked for. */
    private Future<Void> sweepMembers() {
        int members = options.members();
        if (memberSweepPerSecond <= 0 || members == 0) {
            return Future.succeededFuture();
        }
        Promise<Void> swept = Promise.promise();
        long startNanos = System.nanoTime();
        double gapNanos = 1_000_000_000.0 / memberSweepPerSecond;
        int[] next = {1};
        int[] outstanding = {0};
        vertx.setPeriodic(1, timer -> {
            long due = 1 + (long) ((System.nanoTime() - startNanos) / gapNanos);
            while (next[0] <= members && next[0] <= due) {
                int number = next[0]++;
                int terminal = number % clients.size();
                outstanding[0]++;
                clients.get(terminal).quote(QuoteRequest.newBuilder().setCurrency("CNY")
                                .addAllLines(catalogues.get(terminal).nextBasket())
                                .setMemberCode(SaleMix.memberCode(number)).build())
                        .onComplete(answer -> {
                            outstanding[0]--;
                            if (answer.succeeded()) {
                                membersSwept++;
                            }
                        });
            }
            if (next[0] > members && outstanding[0] == 0) {
                vertx.cancelTimer(timer);
                swept.complete();
            }
        });
        return swept.future();
    }

    /** One step's schedule; {@code measuring} runs as its measured window begins. */
    private Future<LoadReport> runSchedule(Step step, int unmeasuredSeconds, Runnable measuring) {
        Promise<LoadReport> report = Promise.promise();
        SplittableRandom random = new SplittableRandom(options.seed() + sequence);
        long startNanos = System.nanoTime();
        long warmupEndNanos = startNanos + unmeasuredSeconds * 1_000_000_000L;
        long endNanos = warmupEndNanos + options.durationSeconds() * 1_000_000_000L;
        double meanGapNanos = 1_000_000_000.0 / step.ratePerSecond;
        new Schedule(step, random, meanGapNanos, startNanos, warmupEndNanos, endNanos, measuring,
                report).wakeAt(startNanos);
        return report.future();
    }

    /**
     * Sends a step's sales at their intended times. Each wake-up is scheduled on the event
     * loop for the next arrival to the nanosecond (on the epoll transport a timerfd fires
     * within microseconds), instead of a millisecond tick that would delay every send by half
     * a millisecond on average and, on NIO, spin the event loop between ticks. A wake-up
     * that comes late sends every arrival already due: the lateness counts as latency, since
     * each sale is measured from its intended start.
     */
    private final class Schedule {

        /** How often the end of a step checks for its last answers. */
        private static final long DRAIN_POLL_NANOS = 10_000_000L;

        private final Step step;
        private final SplittableRandom random;
        private final double meanGapNanos;
        private final long warmupEndNanos;
        private final long endNanos;
        private final Runnable measuring;
        private final Promise<LoadReport> report;
        private final ContextInternal context;
        private long nextArrivalNanos;
        private long measuredStartNanos;
        private boolean announced;

        Schedule(Step step, SplittableRandom random, double meanGapNanos, long startNanos,
                long warmupEndNanos, long endNanos, Runnable measuring,
                Promise<LoadReport> report) {
            this.step = step;
            this.random = random;
            this.meanGapNanos = meanGapNanos;
            this.nextArrivalNanos = startNanos;
            this.warmupEndNanos = warmupEndNanos;
            this.endNanos = endNanos;
            this.measuring = measuring;
            this.report = report;
            this.context = (ContextInternal) vertx.getOrCreateContext();
        }

        void wakeAt(long nanos) {
            long delay = Math.max(0, nanos - System.nanoTime());
            context.nettyEventLoop().schedule(() -> context.emit(ignored -> wake()), delay,
                    TimeUnit.NANOSECONDS);
        }

        private void wake() {
            long now = System.nanoTime();
            if (!announced && now >= warmupEndNanos) {
                announced = true;
                wakeupProbe.interval(); // the probe's window starts with the measured one
                measuring.run();
            }
            while (nextArrivalNanos <= now && nextArrivalNanos < endNanos) {
                long intended = nextArrivalNanos;
                boolean measured = intended >= warmupEndNanos;
                if (measured && measuredStartNanos == 0) {
                    measuredStartNanos = intended;
                }
                startSale(step, sequence++, intended, measured);
                double gap = options.poisson()
                        ? -Math.log(1.0 - random.nextDouble()) * meanGapNanos : meanGapNanos;
                nextArrivalNanos = intended + Math.max(1, (long) gap);
            }
            if (nextArrivalNanos < endNanos) {
                // The warm-up's end is announced on time even when no arrival falls on it.
                wakeAt(announced ? nextArrivalNanos : Math.min(nextArrivalNanos, warmupEndNanos));
                return;
            }
            if (step.outstanding > 0) {
                wakeAt(now + DRAIN_POLL_NANOS);
                return;
            }
            // The rate is over the measured window, stretched while the engine still answered
            // sales paid without a code; the seconds code sales spend waiting for a customer's
            // password are the customer's, not the engine's throughput.
            long windowStart = Math.max(measuredStartNanos, warmupEndNanos);
            long tailNanos = step.lastPlainAnswerNanos == 0 ? 0
                    : Math.max(0, step.lastPlainAnswerNanos - endNanos);
            double seconds = (endNanos + tailNanos - windowStart) / 1e9;
            step.wakeupMicros = wakeupProbe.interval();
            report.complete(step.report(seconds));
        }
    }

    private void startSale(Step step, long saleNumber, long intendedNanos, boolean measured) {
        int terminal = (int) (saleNumber % clients.size());
        TerminalClient client = clients.get(terminal);
        List<BasketLine> basket = catalogues.get(terminal).nextBasket();
        SaleMix.Draw draw = SaleMix.draw(mixRandom, options.members(), scanner,
                options.userPayingPercent(), options.refundPercent(), membersInSale::contains);
        String saleId = runId + "-" + saleNumber;
        if (!draw.memberCode().isEmpty()) {
            membersInSale.add(draw.memberCode());
        }
        step.outstanding++;
        if (measured) {
            step.sendLagMicros.recordValue(micros(intendedNanos));
        }
        client.quote(QuoteRequest.newBuilder().setCurrency("CNY").addAllLines(basket)
                        .setMemberCode(draw.memberCode()).setPointsWish(draw.pointsWish())
                        .build())
                .compose(quote -> {
                    if (measured) {
                        step.quoteMicros.recordValue(micros(intendedNanos));
                    }
                    List<Tender> tenders = SaleMix.tenders(draw, quote, saleNumber);
                    boolean byCode = SaleMix.paysByCode(tenders);
                    long checkoutSentNanos = System.nanoTime();
                    return client.checkout(CheckoutRequest.newBuilder()
                            .setSaleId(saleId).setCurrency("CNY")
                            .setMemberCode(draw.memberCode())
                            .addAllLines(basket)
                            .addAllTenders(tenders)
                            .build())
                            .onSuccess(done -> {
                                if (!measured) {
                                    return;
                                }
                                if (byCode) {
                                    step.userPayingSaleMicros.recordValue(micros(intendedNanos));
                                } else {
                                    step.checkoutMicros.recordValue(micros(checkoutSentNanos));
                                    step.saleMicros.recordValue(micros(intendedNanos));
                                    step.lastPlainAnswerNanos = System.nanoTime();
                                }
                                if (done.getStatus() == CheckoutStatus.PAYMENT_PENDING) {
                                    // Still open after the engine's answer bound: its outcome
                                    // is pushed later; counted, not awaited.
                                    step.paymentPending++;
                                }
                                for (SaleMix.Kind kind : SaleMix.kinds(quote, tenders)) {
                                    step.mix.merge(kind, 1L, Long::sum);
                                }
                            })
                            // A sale its coupons paid in full took no money: none to return.
                            .compose(done -> draw.refund() && !tenders.isEmpty()
                                    && done.getStatus() == CheckoutStatus.COMMITTED
                                    ? refund(step, client, saleId, measured)
                                    : Future.succeededFuture());
                })
                .onComplete(result -> {
                    step.outstanding--;
                    membersInSale.remove(draw.memberCode());
                    if (!measured) {
                        return;
                    }
                    if (result.succeeded()) {
                        step.completed++;
                    } else {
                        step.failed++;
                        step.errors.merge(errorName(result.cause()), 1L, Long::sum);
                    }
                });
    }

    /** The whole sale back, at the till that sold it; a failure names the refund's code. */
    private Future<Void> refund(Step step, TerminalClient client, String saleId,
            boolean measured) {
        long sentNanos = System.nanoTime();
        return client.refund(RefundRequest.newBuilder().setRefundId(saleId + "-R")
                        .setSaleId(saleId).setReason("load run: the goods came back").build())
                .<Void>transform(answer -> {
                    if (answer.failed()) {
                        return Future.failedFuture(new RefundFailedException(answer.cause()));
                    }
                    if (measured) {
                        step.refundMicros.recordValue(micros(sentNanos));
                        step.mix.merge(SaleMix.Kind.REFUND, 1L, Long::sum);
                    }
                    return Future.succeededFuture();
                });
    }

    /** A sale that checked out but whose refund failed: reported as REFUND_<code>. */
    private static final class RefundFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RefundFailedException(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private static long micros(long intendedNanos) {
        return Math.max(0, (System.nanoTime() - intendedNanos) / 1_000);
    }

    private static String errorName(Throwable cause) {
        if (cause instanceof RefundFailedException refund) {
            return "REFUND_" + errorName(refund.getCause());
        }
        return cause instanceof TerminalErrorException error ? error.code().name()
                : cause.getClass().getSimpleName();
    }

    private Future<Void> closeAll() {
        List<Future<?>> closing = new ArrayList<>(clients.size());
        for (TerminalClient client : clients) {
            closing.add(client.close());
        }
        return Future.join(closing).mapEmpty();
    }
}
