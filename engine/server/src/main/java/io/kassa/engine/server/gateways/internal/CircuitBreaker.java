package io.kassa.engine.server.gateways.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A per-channel circuit breaker: after {@code failureThreshold} consecutive failures the
 * circuit opens and refuses calls for {@code openDuration}; then it lets exactly one trial call
 * through (half-open): its success closes the circuit, its failure opens it again. Business
 * answers (declined, USERPAYING) are successes here: only "the channel is not working" counts.
 *
 * <p>Synchronized: adapters are shared by the terminal endpoint's event loops.
 */
public final class CircuitBreaker {

    /** Where the breaker stands. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failureThreshold;
    private final long openNanos;
    private final LongSupplier nanoTime;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAtNanos;
    private boolean trialInFlight;

    public CircuitBreaker(int failureThreshold, Duration openDuration, LongSupplier nanoTime) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("threshold is at least 1: " + failureThreshold);
        }
        this.failureThreshold = failureThreshold;
        this.openNanos = openDuration.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Whether a call may go out now; a true answer in half-open state is the one trial. */
    public synchronized boolean tryAcquire() {
        if (state == State.OPEN && nanoTime.getAsLong() - openedAtNanos >= openNanos) {
            state = State.HALF_OPEN;
            trialInFlight = false;
        }
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> {
                if (trialInFlight) {
                    yield false;
                }
                trialInFlight = true;
                yield true;
            }
        };
    }

    public synchronized void recordSuccess() {
        consecutiveFailures = 0;
        state = State.CLOSED;
        trialInFlight = false;
    }

    public synchronized void recordFailure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= failureThreshold) {
            state = State.OPEN;
            openedAtNanos = nanoTime.getAsLong();
            trialInFlight = false;
        }
    }

    public synchronized State state() {
        if (state == State.OPEN && nanoTime.getAsLong() - openedAtNanos >= openNanos) {
            return State.HALF_OPEN;
        }
        return state;
    }
}
