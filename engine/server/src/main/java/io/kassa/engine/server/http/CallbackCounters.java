package io.kassa.engine.server.http;

import io.kassa.engine.core.channel.ChannelId;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every callback by channel and outcome ({@code accepted}, {@code duplicate}, or a
 * {@link CallbackRejection} in lower case), for the metrics endpoint and the tests.
 */
public final class CallbackCounters {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private volatile java.util.function.ObjLongConsumer<ChannelId> lagObserver =
            (channel, lagMillis) -> { };

    /**
     * Where the lag of each verified callback goes (from the time the channel says it sent
     * it to its arrival): the metrics' {@code kassa_callback_lag_seconds}.
     */
    public void observeLag(java.util.function.ObjLongConsumer<ChannelId> observer) {
        this.lagObserver = java.util.Objects.requireNonNull(observer, "observer");
    }

    void lag(ChannelId channel, long lagMillis) {
        lagObserver.accept(channel, lagMillis);
    }

    void accepted(ChannelId channel) {
        increment(channel, "accepted");
    }

    void duplicate(ChannelId channel) {
        increment(channel, "duplicate");
    }

    void rejected(ChannelId channel, CallbackRejection rejection) {
        increment(channel, rejection.name().toLowerCase(java.util.Locale.ROOT));
    }

    public long count(ChannelId channel, String outcome) {
        LongAdder adder = counts.get(channel.name() + "/" + outcome);
        return adder == null ? 0 : adder.sum();
    }

    public long count(ChannelId channel, CallbackRejection rejection) {
        return count(channel, rejection.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Every counter, keyed {@code channel/outcome}, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((key, adder) -> snapshot.put(key, adder.sum()));
        return snapshot;
    }

    private void increment(ChannelId channel, String outcome) {
        counts.computeIfAbsent(channel.name() + "/" + outcome, key -> new LongAdder())
                .increment();
    }
}
