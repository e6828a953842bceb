package io.kassa.engine.server.terminal;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code perSecond}; each request
 * takes one. Time is a parameter, so that tests can step it. Owned by one connection's event
 * loop: not thread-safe. Two fields per connection, so that an idle connection stays cheap.
 */
final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private double tokens;
    private long refilledAtNanos;

    TokenBucket(int burst, long nowNanos) {
        this.tokens = burst;
        this.refilledAtNanos = nowNanos;
    }

    /** Takes one token if there is one. */
    boolean tryTake(int perSecond, int burst, long nowNanos) {
        long elapsedNanos = nowNanos - refilledAtNanos;
        if (elapsedNanos > 0) {
            tokens = Math.min(burst, tokens + (double) elapsedNanos * perSecond / NANOS_PER_SECOND);
            refilledAtNanos = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
