package io.kassa.loadtests;

import io.kassa.peripherals.possim.Catalogue;
import io.kassa.peripherals.sdk.TerminalClient;
import io.kassa.peripherals.sdk.TerminalClientOptions;
import io.kassa.peripherals.sdk.TerminalErrorException;
import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.TerminalAuthentication;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * realistic mix of {@link SaleMix} (members, points, split tender, card or cash). All work runs
 * on one Vert.x context, so the histograms need no locking.
 */
public final class TerminalLoadGenerator {

    private static final long HISTOGRAM_MICROS_MAX = 3_600_000_000L;
    private static final long TICK_MILLIS = 1;

    private final Vertx vertx;
    private final LoadOptions options;
    private final Histogram quoteMicros = new Histogram(HISTOGRAM_MICROS_MAX, 3);
    private final Histogram saleMicros = new Histogram(HISTOGRAM_MICROS_MAX, 3);
    private final Histogram checkoutMicros = new Histogram(HISTOGRAM_MICROS_MAX, 3);
    private final Map<String, Long> errors = new HashMap<>();
    private final List<TerminalClient> clients = new ArrayList<>();
    private final List<Catalogue> catalogues = new ArrayList<>();
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final java.util.SplittableRandom mixRandom;
    private long completed;
    private long failed;
    private long outstanding;

    public TerminalLoadGenerator(Vertx vertx, LoadOptions options) {
        this.vertx = vertx;
        this.options = options;
        this.mixRandom = new java.util.SplittableRandom(options.seed() ^ 0x5DEECE66DL);
    }

    /** Connects every terminal, runs the schedule, waits for the stragglers, reports. */
    public Future<LoadReport> run() {
        Promise<LoadReport> report = Promise.promise();
        vertx.runOnContext(ignored -> connectAll().onFailure(report::fail)
                .onSuccess(connected -> runSchedule(report)));
        return report.future();
    }

    private Future<Void> connectAll() {
        List<Future<?>> connections = new ArrayList<>(options.terminals());
        for (int index = 0; index < options.terminals(); index++) {
            String store = String.format("store-%03d", index % options.stores() + 1);
            String terminalId = "L-" + store + "-" + (index / options.stores() + 1);
            TerminalClientOptions clientOptions = new TerminalClientOptions()
                    .setHost(options.host()).setPort(options.port()).setStoreId(store)
                    .setTerminalId(terminalId)
                    .setSoftwareVersion("kassa-load").setInFlightMax(1_000)
                    .setRequestTimeoutMillis(30_000);
            if (!options.demoSecretSeed().isEmpty()) {
                clientOptions.setSecret(TerminalAuthentication.demoSecret(
                        options.demoSecretSeed(), store, terminalId));
            }
            TerminalClient client = TerminalClient.create(vertx, clientOptions);
            clients.add(client);
            catalogues.add(new Catalogue(options.seed() + index));
            connections.add(client.connect());
        }
        return Future.all(connections).mapEmpty();
    }

    private void runSchedule(Promise<LoadReport> report) {
        SplittableRandom random = new SplittableRandom(options.seed());
        long startNanos = System.nanoTime();
        long warmupEndNanos = startNanos + options.warmupSeconds() * 1_000_000_000L;
        long endNanos = warmupEndNanos + options.durationSeconds() * 1_000_000_000L;
        double meanGapNanos = 1_000_000_000.0 / options.ratePerSecond();
        long[] nextArrival = {startNanos};
        long[] sequence = {0};
        long[] measuredStart = {0};
        vertx.setPeriodic(TICK_MILLIS, timer -> {
            long now = System.nanoTime();
            while (nextArrival[0] <= now && nextArrival[0] < endNanos) {
                long intended = nextArrival[0];
                boolean measured = intended >= warmupEndNanos;
                if (measured && measuredStart[0] == 0) {
                    measuredStart[0] = intended;
                }
                startSale(sequence[0]++, intended, measured);
                double gap = options.poisson()
                        ? -Math.log(1.0 - random.nextDouble()) * meanGapNanos : meanGapNanos;
                nextArrival[0] = intended + Math.max(1, (long) gap);
            }
            if (nextArrival[0] >= endNanos && outstanding == 0) {
                vertx.cancelTimer(timer);
                double seconds = (System.nanoTime() - Math.max(measuredStart[0], warmupEndNanos))
                        / 1e9;
                closeAll().onComplete(closed -> report.complete(new LoadReport(
                        options.ratePerSecond(), completed / Math.max(seconds, 1e-9),
                        completed, failed, quoteMicros, checkoutMicros, saleMicros, errors)));
            }
        });
    }

    private void startSale(long sequence, long intendedNanos, boolean measured) {
        int terminal = (int) (sequence % clients.size());
        TerminalClient client = clients.get(terminal);
        List<BasketLine> basket = catalogues.get(terminal).nextBasket();
        SaleMix.Draw draw = SaleMix.draw(mixRandom, options.members());
        outstanding++;
        client.quote(QuoteRequest.newBuilder().setCurrency("CNY").addAllLines(basket)
                        .setMemberCode(draw.memberCode()).setPointsWish(draw.pointsWish())
                        .build())
                .compose(quote -> {
                    if (measured) {
                        quoteMicros.recordValue(micros(intendedNanos));
                    }
                    long checkoutSentNanos = System.nanoTime();
                    return client.checkout(CheckoutRequest.newBuilder()
                            .setSaleId(runId + "-" + sequence).setCurrency("CNY")
                            .setMemberCode(draw.memberCode())
                            .addAllLines(basket)
                            .addAllTenders(SaleMix.tenders(draw, quote, sequence))
                            .build())
                            .onSuccess(done -> {
                                if (measured) {
                                    checkoutMicros.recordValue(micros(checkoutSentNanos));
                                }
                            });
                })
                .onComplete(result -> {
                    outstanding--;
                    if (!measured) {
                        return;
                    }
                    if (result.succeeded()) {
                        completed++;
                        saleMicros.recordValue(micros(intendedNanos));
                    } else {
                        failed++;
                        errors.merge(errorName(result.cause()), 1L, Long::sum);
                    }
                });
    }

    private static long micros(long intendedNanos) {
        return Math.max(0, (System.nanoTime() - intendedNanos) / 1_000);
    }

    private static String errorName(Throwable cause) {
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
