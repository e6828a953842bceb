package io.kassa.engine.server.gateways.internal;

import io.kassa.engine.server.gateways.ChannelSettings;
import io.kassa.engine.server.gateways.GatewayMetrics;
import io.kassa.engine.server.gateways.UnknownReason;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What every channel adapter does around an HTTP call: the circuit breaker, a timeout on every
 * call, and bounded retries with exponential backoff and jitter for calls that are safe to
 * repeat. Failures become values ({@link Exchange}) so that an adapter maps each to a business
 * result instead of letting an exception escape.
 */
public final class ChannelCalls {

    /** One HTTP exchange as the adapter sees it. */
    public sealed interface Exchange {
    }

    /** The channel answered (any status). */
    public record Answered(int status, MultiMap headers, Buffer body) implements Exchange {
    }

    /** Sent, or maybe sent, without an answer: timeout, reset, refused connection. */
    public record NoAnswer(String detail) implements Exchange {
    }

    /** Not sent: the circuit is open. */
    public record CircuitOpen() implements Exchange {
    }

    /**
     * Why an exchange that gave no usable answer leaves the outcome unknown: a 5xx is the
     * channel's system error, any other answer that cannot be trusted is unverifiable, and no
     * answer or an open circuit say so.
     */
    static UnknownReason unknownReason(Exchange exchange) {
        if (exchange instanceof Answered answered) {
            return answered.status() >= 500 ? UnknownReason.SYSTEM_ERROR
                    : UnknownReason.UNVERIFIABLE_ANSWER;
        }
        return exchange instanceof CircuitOpen ? UnknownReason.CIRCUIT_OPEN
                : UnknownReason.NO_ANSWER;
    }

    private final Vertx vertx;
    private final ChannelSettings settings;
    private final CircuitBreaker breaker;
    private final String channel;
    private final GatewayMetrics metrics;

    public ChannelCalls(Vertx vertx, ChannelSettings settings, CircuitBreaker breaker) {
        this(vertx, settings, breaker, "unnamed", GatewayMetrics.NONE);
    }

    /** With each call's latency and outcome reported to {@code metrics} under {@code channel}. */
    public ChannelCalls(Vertx vertx, ChannelSettings settings, CircuitBreaker breaker,
            String channel, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.settings = settings;
        this.breaker = breaker;
        this.channel = channel;
        this.metrics = metrics;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * Sends once through the breaker with {@code timeout}. {@code troubled} tells an answer
     * that means "the channel is not working" (5xx, a system error code) from a business one;
     * only those and missing answers count against the breaker.
     */
    public Future<Exchange> send(HttpRequest<Buffer> request, Buffer body, Duration timeout,
            Predicate<Answered> troubled) {
        if (!breaker.tryAcquire()) {
            metrics.callFinished(channel, "circuit_open", 0);
            return Future.succeededFuture(new CircuitOpen());
        }
        long startedNanos = System.nanoTime();
        request.timeout(timeout.toMillis());
        return request.sendBuffer(body).<Exchange>map(response -> new Answered(
                response.statusCode(), response.headers(),
                response.body() == null ? Buffer.buffer() : response.body()))
                .otherwise(failure -> new NoAnswer(failure.getClass().getSimpleName() + ": "
                        + failure.getMessage()))
                .onSuccess(exchange -> {
                    metrics.callFinished(channel, exchange instanceof Answered ? "answered"
                            : "no_answer", System.nanoTime() - startedNanos);
                    if (exchange instanceof Answered answered && !troubled.test(answered)) {
                        breaker.recordSuccess();
                    } else {
                        breaker.recordFailure();
                    }
                });
    }

    /**
     * Runs {@code attempt} until {@code again} is false for its result or the configured number
     * of attempts is spent, waiting between attempts with exponential backoff and jitter. Only
     * for calls the channel processes once however often they arrive.
     */
    public <T> Future<T> repeat(Supplier<Future<T>> attempt, Predicate<T> again) {
        Promise<T> done = Promise.promise();
        repeat(attempt, again, 1, done);
        return done.future();
    }

    private <T> void repeat(Supplier<Future<T>> attempt, Predicate<T> again, int number,
            Promise<T> done) {
        attempt.get().onComplete(result -> {
            if (result.failed()) {
                done.fail(result.cause());
            } else if (number >= settings.retryAttemptsMax() || !again.test(result.result())) {
                done.complete(result.result());
            } else {
                vertx.setTimer(backoffMillis(number),
                        timer -> repeat(attempt, again, number + 1, done));
            }
        });
    }

    /** Exponential, capped, with half of it random so that many callers spread out. */
    long backoffMillis(int attemptsDone) {
        long base = settings.retryBackoffBase().toMillis();
        long capped = Math.min(settings.retryBackoffMax().toMillis(),
                base << Math.min(attemptsDone - 1, 20));
        long half = Math.max(1, capped / 2);
        return half + ThreadLocalRandom.current().nextLong(half + 1);
    }
}
