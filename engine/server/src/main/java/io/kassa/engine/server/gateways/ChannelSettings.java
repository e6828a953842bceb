package io.kassa.engine.server.gateways;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.core.channel.ChannelTimings;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;

/**
 * How Kassa talks to the channels: timeouts, the retry bound and backoff of repeatable calls,
 * the circuit breaker, the callback limits, and each channel's resolution timings. Defaults
 * follow PAYMENTS.md; all of it is configuration.
 *
 * @param payTimeout how long a pay call may take before its outcome is unknown
 * @param callTimeout the timeout of each query, reverse and refund attempt
 * @param retryAttemptsMax attempts of a repeatable call (the first included)
 * @param retryBackoffBase the wait before the second attempt; doubles per attempt, with full
 *     jitter, capped at {@code retryBackoffMax}
 * @param breakerFailureThreshold consecutive failures (no answer, 5xx, "system error") that
 *     open a channel's circuit
 * @param breakerOpenDuration how long an open circuit refuses calls before one trial call
 * @param notificationWindow how far a notification's timestamp may be from now
 * @param callbackBodyBytesMax the largest notification body read
 * @param channelZone the zone of Alipay's local timestamps (China Standard Time)
 */
public record ChannelSettings(
        Duration payTimeout, Duration callTimeout, int retryAttemptsMax,
        Duration retryBackoffBase, Duration retryBackoffMax, int breakerFailureThreshold,
        Duration breakerOpenDuration, Duration notificationWindow, int callbackBodyBytesMax,
        ZoneId channelZone, Map<ChannelId, ChannelTimings> timings) {

    /** Most attempts of one repeatable call, so a misconfiguration cannot loop for ever. */
    public static final int RETRY_ATTEMPTS_MAX = 20;
    /** Largest callback body accepted by configuration: notifications are a few KiB. */
    public static final int CALLBACK_BODY_BYTES_LIMIT = 1024 * 1024;

    public ChannelSettings {
        Objects.requireNonNull(channelZone, "channelZone");
        timings = Map.copyOf(timings);
        positive("payTimeout", payTimeout);
        positive("callTimeout", callTimeout);
        positive("retryBackoffBase", retryBackoffBase);
        positive("retryBackoffMax", retryBackoffMax);
        positive("breakerOpenDuration", breakerOpenDuration);
        positive("notificationWindow", notificationWindow);
        if (retryAttemptsMax < 1 || retryAttemptsMax > RETRY_ATTEMPTS_MAX) {
            throw new IllegalArgumentException(
                    "retry attempts are 1.." + RETRY_ATTEMPTS_MAX + ": " + retryAttemptsMax);
        }
        if (breakerFailureThreshold < 1) {
            throw new IllegalArgumentException("the breaker threshold is at least 1");
        }
        if (callbackBodyBytesMax < 1024 || callbackBodyBytesMax > CALLBACK_BODY_BYTES_LIMIT) {
            throw new IllegalArgumentException("callback body limit is 1024.."
                    + CALLBACK_BODY_BYTES_LIMIT + ": " + callbackBodyBytesMax);
        }
    }

    public static ChannelSettings defaults() {
        return new ChannelSettings(Duration.ofSeconds(10), Duration.ofSeconds(5), 4,
                Duration.ofMillis(200), Duration.ofSeconds(3), 5, Duration.ofSeconds(30),
                Duration.ofMinutes(5), 64 * 1024, ZoneId.of("Asia/Shanghai"),
                Map.of(ChannelId.WECHAT_PAY, ChannelTimings.wechatPayDefaults(),
                        ChannelId.ALIPAY, ChannelTimings.alipayDefaults(),
                        ChannelId.UNIONPAY, ChannelTimings.unionPayDefaults()));
    }

    /**
     * The defaults with overrides from the environment: KASSA_GATEWAY_PAY_TIMEOUT_MILLIS,
     * KASSA_GATEWAY_CALL_TIMEOUT_MILLIS, KASSA_GATEWAY_RETRY_ATTEMPTS,
     * KASSA_GATEWAY_BREAKER_THRESHOLD, KASSA_GATEWAY_BREAKER_OPEN_MILLIS.
     */
    public static ChannelSettings fromEnvironment(Map<String, String> environment) {
        ChannelSettings defaults = defaults();
        return new ChannelSettings(
                millis(environment, "KASSA_GATEWAY_PAY_TIMEOUT_MILLIS", defaults.payTimeout),
                millis(environment, "KASSA_GATEWAY_CALL_TIMEOUT_MILLIS", defaults.callTimeout),
                (int) number(environment, "KASSA_GATEWAY_RETRY_ATTEMPTS",
                        defaults.retryAttemptsMax),
                defaults.retryBackoffBase, defaults.retryBackoffMax,
                (int) number(environment, "KASSA_GATEWAY_BREAKER_THRESHOLD",
                        defaults.breakerFailureThreshold),
                millis(environment, "KASSA_GATEWAY_BREAKER_OPEN_MILLIS",
                        defaults.breakerOpenDuration),
                defaults.notificationWindow, defaults.callbackBodyBytesMax,
                defaults.channelZone, defaults.timings);
    }

    /** These settings with other timeouts, retries and breaker values (tests, tuning). */
    public ChannelSettings withCalls(Duration newPayTimeout, Duration newCallTimeout,
            int newRetryAttempts, Duration newBackoffBase, int newBreakerThreshold,
            Duration newBreakerOpen) {
        return new ChannelSettings(newPayTimeout, newCallTimeout, newRetryAttempts,
                newBackoffBase, retryBackoffMax, newBreakerThreshold, newBreakerOpen,
                notificationWindow, callbackBodyBytesMax, channelZone, timings);
    }

    public ChannelSettings withCallbackBodyBytesMax(int bytes) {
        return new ChannelSettings(payTimeout, callTimeout, retryAttemptsMax, retryBackoffBase,
                retryBackoffMax, breakerFailureThreshold, breakerOpenDuration,
                notificationWindow, bytes, channelZone, timings);
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static Duration millis(Map<String, String> environment, String name,
            Duration fallback) {
        return Duration.ofMillis(number(environment, name, fallback.toMillis()));
    }

    private static long number(Map<String, String> environment, String name, long fallback) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer: " + value, e);
        }
    }
}
