package io.kassa.engine.server.http.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Requests per API key: a token bucket of {@code burst} tokens refilled at {@code perSecond}.
 * Remembers at most {@link #KEYS_MAX} keys (least recently used first out), so a flood of
 * invented keys cannot grow it. Thread-safe.
 */
public final class RateLimiter {

    public static final int KEYS_MAX = 10_000;

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets =
            new LinkedHashMap<>(64, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                    return size() > KEYS_MAX;
                }
            };

    private static final class Bucket {
        double tokens;
        long refilledAtNanos;

        Bucket(double tokens, long refilledAtNanos) {
            this.tokens = tokens;
            this.refilledAtNanos = refilledAtNanos;
        }
    }

    public RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("perSecond > 0 and burst >= 1 required");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Takes one token for {@code key}: 0 when allowed, else the seconds to wait (≥ 1). */
    public synchronized long acquire(String key) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        double tokens = Math.min(burst,
                bucket.tokens + (now - bucket.refilledAtNanos) / 1e9 * perSecond);
        bucket.refilledAtNanos = now;
        if (tokens >= 1) {
            bucket.tokens = tokens - 1;
            return 0;
        }
        bucket.tokens = tokens;
        return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
    }
}
