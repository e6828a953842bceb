package io.kassa.engine.server.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

// Goal: the per-terminal request bucket grants exactly its burst at once, refuses request N+1,
// and refills at its rate without exceeding the burst; method: explicit nanosecond times.
class TokenBucketTest {

    private static final int PER_SECOND = 50;
    private static final int BURST = 100;
    private static final long SECOND = 1_000_000_000L;

    @Test
    void burstIsGrantedAndTheNextRequestRefused() {
        TokenBucket bucket = new TokenBucket(BURST, 0);
        for (int request = 1; request <= BURST; request++) {
            assertThat(bucket.tryTake(PER_SECOND, BURST, 0)).as("request %d", request).isTrue();
        }
        assertThat(bucket.tryTake(PER_SECOND, BURST, 0)).as("request N+1").isFalse();
    }

    @Test
    void refillsAtTheRate() {
        TokenBucket bucket = new TokenBucket(BURST, 0);
        for (int request = 0; request < BURST; request++) {
            bucket.tryTake(PER_SECOND, BURST, 0);
        }

        assertThat(bucket.tryTake(PER_SECOND, BURST, SECOND / PER_SECOND - 1)).isFalse();
        assertThat(bucket.tryTake(PER_SECOND, BURST, SECOND / PER_SECOND)).isTrue();
    }

    @Test
    void refillNeverExceedsTheBurst() {
        TokenBucket bucket = new TokenBucket(BURST, 0);
        int granted = 0;
        while (bucket.tryTake(PER_SECOND, BURST, 3_600 * SECOND)) {
            granted++;
        }
        assertThat(granted).isEqualTo(BURST);
    }
}
