package io.kassa.peripherals.testing;

import io.vertx.core.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocking waits for tests, which run on the JUnit thread and never on an event loop. */
public final class Futures {

    public static final long WAIT_SECONDS = 5;

    private Futures() {
    }

    public static <T> T await(Future<T> future) {
        try {
            return toCompletable(future).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            throw new AssertionError("future failed", failed.getCause());
        } catch (InterruptedException | TimeoutException notDone) {
            throw new AssertionError("future not complete within " + WAIT_SECONDS + " s", notDone);
        }
    }

    /** Waits for the future to fail and returns why; a success is a test failure. */
    public static Throwable awaitFailure(Future<?> future) {
        try {
            Object result = toCompletable(future).get(WAIT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("future succeeded with " + result + ", expected a failure");
        } catch (ExecutionException failed) {
            return failed.getCause();
        } catch (InterruptedException | TimeoutException notDone) {
            throw new AssertionError("future not complete within " + WAIT_SECONDS + " s", notDone);
        }
    }

    private static <T> CompletableFuture<T> toCompletable(Future<T> future) {
        return future.toCompletionStage().toCompletableFuture();
    }
}
