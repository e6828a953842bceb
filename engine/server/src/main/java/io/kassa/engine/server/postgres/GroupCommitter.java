package io.kassa.engine.server.postgres;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets concurrent writers share database transactions ("group commit"). Items queue on one
 * Vert.x context; a batch is flushed as one transaction as soon as a flush slot is free, or
 * when the queue reaches {@code batchMax}, whichever comes first. At low load every item is
 * flushed alone at once (no added latency); under load, items that arrive while all slots are
 * busy wait at most one flush's duration and then share the next transaction, so the database
 * commits (and fsyncs) per batch instead of per item.
 *
 * <p>A batch that fails is re-driven item by item, each in its own transaction, so one bad
 * item fails alone with its own error and never takes its batch-mates' correct writes with it.
 *
 * <p>All state is confined to the committer's context; results are handed back on the
 * submitter's context.
 *
 * @param <I> an item to write
 * @param <O> the result of writing one item
 */
final class GroupCommitter<I, O> {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

    /**
     * Items per flushed batch. Recorded in Micrometer's global registry, to which the engine's
     * metrics add their Prometheus registry (io.kassa.engine.server.metrics.KassaMetrics): the
     * committer is deep inside the ledger adapter, where no recorder is passed down.
     */
    private static final io.micrometer.core.instrument.DistributionSummary BATCH_SIZES =
            io.micrometer.core.instrument.DistributionSummary
                    .builder("kassa.group.commit.batch.size")
                    .description("Items written per group-commit transaction")
                    .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                    .register(io.micrometer.core.instrument.Metrics.globalRegistry);

    private final Context context;
    private final int batchMax;
    private final int flushesInFlightMax;
    private final Function<List<I>, Future<List<O>>> batchWriter;
    private final ArrayDeque<Pending<I, O>> queue = new ArrayDeque<>();
    private int flushesInFlight;

    /**
     * @param batchWriter writes a batch in one transaction, returning one result per item in
     *     order, or fails having written nothing
     */
    GroupCommitter(Vertx vertx, int batchMax, int flushesInFlightMax,
            Function<List<I>, Future<List<O>>> batchWriter) {
        if (batchMax < 1 || flushesInFlightMax < 1) {
            throw new IllegalArgumentException("batchMax and flushesInFlightMax must be >= 1");
        }
        this.context = vertx.getOrCreateContext();
        this.batchMax = batchMax;
        this.flushesInFlightMax = flushesInFlightMax;
        this.batchWriter = batchWriter;
    }

    Future<O> submit(I item) {
        Context caller = Vertx.currentContext();
        Promise<O> promise = Promise.promise();
        Pending<I, O> pending = new Pending<>(item, caller, promise);
        context.runOnContext(ignored -> {
            queue.add(pending);
            flushWhilePossible();
        });
        return promise.future();
    }

    private void flushWhilePossible() {
        while (!queue.isEmpty() && flushesInFlight < flushesInFlightMax) {
            List<Pending<I, O>> batch = new ArrayList<>(Math.min(queue.size(), batchMax));
            while (!queue.isEmpty() && batch.size() < batchMax) {
                batch.add(queue.poll());
            }
            flushesInFlight++;
            // The writer's future may complete on any thread; the queue is touched only on
            // the committer's context.
            write(batch).onComplete(done -> context.runOnContext(ignored -> {
                flushesInFlight--;
                flushWhilePossible();
            }));
        }
    }

    /** How long a batch's transaction takes, from handing it to the writer to its answer. */
    private static final io.micrometer.core.instrument.Timer COMMIT_SECONDS =
            io.micrometer.core.instrument.Timer.builder("kassa.group.commit")
                    .description("Group-commit transaction latency")
                    .publishPercentileHistogram()
                    .register(io.micrometer.core.instrument.Metrics.globalRegistry);

    private Future<Void> write(List<Pending<I, O>> batch) {
        BATCH_SIZES.record(batch.size());
        long startedNanos = System.nanoTime();
        List<I> items = new ArrayList<>(batch.size());
        for (Pending<I, O> pending : batch) {
            items.add(pending.item());
        }
        return invoke(items).transform(result -> {
            COMMIT_SECONDS.record(System.nanoTime() - startedNanos,
                    java.util.concurrent.TimeUnit.NANOSECONDS);
            if (result.succeeded()) {
                List<O> outputs = result.result();
                if (outputs.size() != batch.size()) {
                    IllegalStateException bug = new IllegalStateException("batch writer returned "
                            + outputs.size() + " results for " + batch.size() + " items");
                    batch.forEach(pending -> pending.deliver(Future.failedFuture(bug)));
                    return Future.succeededFuture();
                }
                for (int index = 0; index < batch.size(); index++) {
                    batch.get(index).deliver(Future.succeededFuture(outputs.get(index)));
                }
                return Future.succeededFuture();
            }
            if (batch.size() == 1) {
                batch.get(0).deliver(Future.failedFuture(result.cause()));
                return Future.succeededFuture();
            }
            log.warn("batch of {} failed ({}); re-driving each item alone", batch.size(),
                    result.cause().toString());
            List<Future<Void>> individually = new ArrayList<>(batch.size());
            for (Pending<I, O> pending : batch) {
                individually.add(invoke(List.of(pending.item())).transform(single -> {
                    pending.deliver(single.succeeded()
                            ? Future.succeededFuture(single.result().get(0))
                            : Future.failedFuture(single.cause()));
                    return Future.<Void>succeededFuture();
                }));
            }
            return Future.join(individually).mapEmpty();
        });
    }

    private Future<List<O>> invoke(List<I> items) {
        try {
            return batchWriter.apply(items);
        } catch (RuntimeException bug) {
            return Future.failedFuture(bug);
        }
    }

    private record Pending<I, O>(I item, Context caller, Promise<O> promise) {

        void deliver(AsyncResult<O> result) {
            if (caller == null) {
                promise.handle(result);
            } else {
                caller.runOnContext(ignored -> promise.handle(result));
            }
        }
    }
}
