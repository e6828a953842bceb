package io.kassa.engine.server.gateways;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.engine.server.gateways.internal.CircuitBreaker;
import io.kassa.engine.server.gateways.internal.CircuitBreaker.State;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The breaker's states on a hand-driven clock (threshold at N-1 and N, one trial when
 * half-open, a failed trial reopening), and the channel settings' limits at N and N+1.
 */
class CircuitBreakerAndSettingsTest {

    @Test
    void opensAtTheThresholdAndLetsOneTrialThroughWhenHalfOpen() {
        AtomicLong now = new AtomicLong();
        CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(10), now::get);
        breaker.recordFailure();
        breaker.recordFailure();
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.recordFailure();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.tryAcquire()).isFalse();
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse(); // one trial at a time
        breaker.recordFailure();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.recordSuccess();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void aSuccessResetsTheCountOfConsecutiveFailures() {
        CircuitBreaker breaker = new CircuitBreaker(2, Duration.ofSeconds(1), () -> 0L);
        breaker.recordFailure();
        breaker.recordSuccess();
        breaker.recordFailure();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void settingsLimitsAreCheckedAtNAndNPlusOne() {
        ChannelSettings defaults = ChannelSettings.defaults();
        assertThat(defaults.withCalls(defaults.payTimeout(), defaults.callTimeout(),
                ChannelSettings.RETRY_ATTEMPTS_MAX, defaults.retryBackoffBase(), 1,
                defaults.breakerOpenDuration()).retryAttemptsMax())
                .isEqualTo(ChannelSettings.RETRY_ATTEMPTS_MAX);
        assertThatThrownBy(() -> defaults.withCalls(defaults.payTimeout(),
                defaults.callTimeout(), ChannelSettings.RETRY_ATTEMPTS_MAX + 1,
                defaults.retryBackoffBase(), 1, defaults.breakerOpenDuration()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(defaults.withCallbackBodyBytesMax(ChannelSettings.CALLBACK_BODY_BYTES_LIMIT)
                .callbackBodyBytesMax()).isEqualTo(ChannelSettings.CALLBACK_BODY_BYTES_LIMIT);
        assertThatThrownBy(() -> defaults.withCallbackBodyBytesMax(
                ChannelSettings.CALLBACK_BODY_BYTES_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ChannelSettings.fromEnvironment(java.util.Map.of(
                "KASSA_GATEWAY_PAY_TIMEOUT_MILLIS", "7000")).payTimeout())
                .isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void orderNumbersAndAmountsAreChecked() {
        assertThatThrownBy(() -> new PayRequest("x".repeat(PayRequest.OUT_TRADE_NO_CHARS_MAX + 1),
                "134567890123456789", 1, "s", "d")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new PayRequest("x".repeat(PayRequest.OUT_TRADE_NO_CHARS_MAX),
                "134567890123456789", PayRequest.AMOUNT_FEN_MAX, "s", "d").amountFen())
                .isEqualTo(PayRequest.AMOUNT_FEN_MAX);
        assertThatThrownBy(() -> new PayRequest("ORDER-1", "1", PayRequest.AMOUNT_FEN_MAX + 1,
                "s", "d")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PayRequest("ORDER/../1", "1", 1, "s", "d"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
