package io.kassa.engine.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batching mechanism on its own: items arriving while every flush slot is busy share the
 * next batch, batches never exceed the maximum, each item gets its own result in order, and a
 * failing batch is re-driven item by item so only the bad item fails. The writer here is a
 * scripted function so that timing and failures are under the test's control.
 */
class GroupCommitterTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void itemsArrivingDuringAFlushShareTheNextOne() throws Exception {
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        List<Promise<Void>> gates = new CopyOnWriteArrayList<>();
        GroupCommitter<Integer, String> committer = new GroupCommitter<>(vertx, 10, 1, batch -> {
            batchSizes.add(batch.size());
            Promise<Void> gate = Promise.promise();
            gates.add(gate);
            return gate.future().map(done -> batch.stream().map(i -> "done-" + i).toList());
        });
        List<Future<String>> results = new ArrayList<>();
        for (int item = 0; item < 25; item++) {
            results.add(committer.submit(item));
        }
        // The first item flushes alone; the other 24 queue behind it.
        awaitCondition(() -> gates.size() == 1);
        gates.get(0).complete();
        awaitCondition(() -> gates.size() == 2);
        gates.get(1).complete();
        awaitCondition(() -> gates.size() == 3);
        gates.get(2).complete();
        awaitCondition(() -> gates.size() == 4);
        gates.get(3).complete();
        for (int item = 0; item < 25; item++) {
            assertThat(await(results.get(item))).isEqualTo("done-" + item);
        }
        assertThat(batchSizes).containsExactly(1, 10, 10, 4);
    }

    @Test
    void aFailingBatchIsReDrivenItemByItem() throws Exception {
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        Promise<Void> firstGate = Promise.promise();
        GroupCommitter<Integer, Integer> committer = new GroupCommitter<>(vertx, 100, 1, batch -> {
            batches.add(List.copyOf(batch));
            Future<Void> wait = batches.size() == 1 ? firstGate.future()
                    : Future.succeededFuture();
            return wait.compose(done -> batch.contains(13)
                    ? Future.failedFuture(new IllegalStateException("13 is refused"))
                    : Future.succeededFuture(batch.stream().map(i -> i * 2).toList()));
        });
        Future<Integer> first = committer.submit(1);
        awaitCondition(() -> batches.size() == 1);
        List<Future<Integer>> rest = new ArrayList<>();
        for (int item = 10; item < 16; item++) {
            rest.add(committer.submit(item));
        }
        Thread.sleep(50);
        firstGate.complete();
        assertThat(await(first)).isEqualTo(2);
        for (int index = 0; index < rest.size(); index++) {
            int item = 10 + index;
            Future<Integer> result = rest.get(index);
            result.toCompletionStage().toCompletableFuture().handle((v, e) -> null)
                    .get(5, TimeUnit.SECONDS);
            if (item == 13) {
                assertThat(result.failed()).isTrue();
                assertThat(result.cause()).hasMessage("13 is refused");
            } else {
                assertThat(result.result()).isEqualTo(item * 2);
            }
        }
        assertThat(batches.get(1)).containsExactly(10, 11, 12, 13, 14, 15);
        assertThat(batches.subList(2, batches.size()))
                .containsExactly(List.of(10), List.of(11), List.of(12), List.of(13),
                        List.of(14), List.of(15));
    }

    @Test
    void resultsComeBackOnTheSubmittersContext() throws Exception {
        GroupCommitter<Integer, Integer> committer = new GroupCommitter<>(vertx, 8, 2,
                batch -> Future.succeededFuture(List.copyOf(batch)));
        Promise<Boolean> sameContext = Promise.promise();
        vertx.runOnContext(ignored -> {
            var submitter = Vertx.currentContext();
            committer.submit(7).onComplete(result ->
                    sameContext.complete(Vertx.currentContext() == submitter));
        });
        assertThat(await(sameContext.future())).isTrue();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(5);
        }
    }
}
