package io.kassa.engine.server.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

// Goal: the failure limiter refuses at N+1 and not at N, forgets a key when its window ends,
// and never holds more than its bound of keys; method: a limiter driven with explicit times.
class AuthenticationLimiterTest {

    private static final int FAILURES_MAX = 5;
    private static final long WINDOW_MILLIS = 60_000;

    @Test
    void limitedOnlyOnceTheMaximumIsReached() {
        AuthenticationLimiter limiter = new AuthenticationLimiter(FAILURES_MAX, WINDOW_MILLIS, 10);
        for (int failure = 1; failure < FAILURES_MAX; failure++) {
            limiter.recordFailure("T1", 1_000);
        }
        assertThat(limiter.limited("T1", 1_000)).as("after N-1 failures").isFalse();

        limiter.recordFailure("T1", 1_000);

        assertThat(limiter.limited("T1", 1_000)).as("after N failures, attempt N+1").isTrue();
        assertThat(limiter.limited("T2", 1_000)).isFalse();
    }

    @Test
    void windowEndsWindowMillisAfterItsFirstFailure() {
        AuthenticationLimiter limiter = new AuthenticationLimiter(FAILURES_MAX, WINDOW_MILLIS, 10);
        for (int failure = 0; failure < FAILURES_MAX; failure++) {
            limiter.recordFailure("T1", 1_000 + failure);
        }

        assertThat(limiter.limited("T1", 1_000 + WINDOW_MILLIS - 1)).isTrue();
        assertThat(limiter.limited("T1", 1_000 + WINDOW_MILLIS)).isFalse();
    }

    @Test
    void keysBeyondTheBoundForgetTheLeastRecentlyFailed() {
        int keysMax = 3;
        AuthenticationLimiter limiter =
                new AuthenticationLimiter(1, WINDOW_MILLIS, keysMax);
        for (int key = 0; key <= keysMax; key++) {
            limiter.recordFailure("T" + key, 1_000);
        }

        assertThat(limiter.size()).isEqualTo(keysMax);
        assertThat(limiter.limited("T0", 1_000)).as("evicted").isFalse();
        assertThat(limiter.limited("T" + keysMax, 1_000)).isTrue();
    }
}
