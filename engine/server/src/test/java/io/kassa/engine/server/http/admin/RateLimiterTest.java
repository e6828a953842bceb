package io.kassa.engine.server.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-key token bucket at its limits: burst N passes, N + 1 waits, refill is exact. */
class RateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(10, 5, nanos::get);

    @Test
    void aBurstOfNPassesAndTheNextWaits() {
        for (int index = 0; index < 5; index++) {
            assertThat(limiter.acquire("k")).isZero();
        }
        assertThat(limiter.acquire("k")).isEqualTo(1);
        assertThat(limiter.acquire("other")).isZero();
    }

    @Test
    void tokensComeBackAtTheConfiguredRate() {
        for (int index = 0; index < 5; index++) {
            limiter.acquire("k");
        }
        nanos.addAndGet(99_000_000L); // 0.99 tokens
        assertThat(limiter.acquire("k")).isPositive();
        nanos.addAndGet(2_000_000L); // now over one token
        assertThat(limiter.acquire("k")).isZero();
        assertThat(limiter.acquire("k")).isPositive();
    }

    @Test
    void nonsenseLimitsAreRefused() {
        assertThatThrownBy(() -> new RateLimiter(0, 5, nanos::get))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter(1, 0, nanos::get))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
