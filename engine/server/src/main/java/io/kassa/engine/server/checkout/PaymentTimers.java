package io.kassa.engine.server.checkout;

import io.vertx.core.Vertx;
import java.util.Objects;

/**
 * The time the payment orchestration waits on: a monotonic clock and one-shot timers. Vert.x's
 * timers in the engine; a simulated clock and scheduler in the deterministic simulation, so
 * that one seed replays the same interleaving of timers, channel answers and crashes.
 */
public interface PaymentTimers {

    /** A monotonic reading in nanoseconds, for elapsed times only. */
    long nanoTime();

    /** Runs {@code action} once after {@code delayMillis} (at least 1); returns the timer's id. */
    long setTimer(long delayMillis, Runnable action);

    /** Cancels a timer not yet run; true when it was pending. */
    boolean cancelTimer(long id);

    /** Vert.x's timers and {@link System#nanoTime()}. */
    static PaymentTimers of(Vertx vertx) {
        Objects.requireNonNull(vertx, "vertx");
        return new PaymentTimers() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public long setTimer(long delayMillis, Runnable action) {
                return vertx.setTimer(Math.max(1, delayMillis), id -> action.run());
            }

            @Override
            public boolean cancelTimer(long id) {
                return vertx.cancelTimer(id);
            }
        };
    }
}
