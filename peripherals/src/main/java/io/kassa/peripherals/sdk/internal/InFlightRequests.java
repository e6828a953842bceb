package io.kassa.peripherals.sdk.internal;

import io.kassa.protocol.v1.Envelope;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The requests of one connection that await an answer, keyed by request id. Owned by the
 * connection's context: not thread-safe, and never touched from another thread.
 *
 * <p>Only requests that count against the limit are counted: the client's own periodic
 * heartbeat does not, so that a terminal busy with sales still proves it is alive.
 */
public final class InFlightRequests {

    /** One request awaiting its answer. */
    public static final class Entry {
        final long requestId;
        final Envelope.BodyCase expected;
        final long deadlineNanos;
        final long timeoutMillis;
        final boolean counted;
        final Promise<Envelope> promise;

        Entry(long requestId, Envelope.BodyCase expected, long deadlineNanos,
                long timeoutMillis, boolean counted, Promise<Envelope> promise) {
            this.requestId = requestId;
            this.expected = expected;
            this.deadlineNanos = deadlineNanos;
            this.timeoutMillis = timeoutMillis;
            this.counted = counted;
            this.promise = promise;
        }

        public long requestId() {
            return requestId;
        }

        public long timeoutMillis() {
            return timeoutMillis;
        }

        /** The body a successful answer must carry, or null when any body will do. */
        public Envelope.BodyCase expected() {
            return expected;
        }

        public Promise<Envelope> promise() {
            return promise;
        }
    }

    // Insertion order is request id order, which keeps a sweep's failures in the order sent.
    private final Map<Long, Entry> entries = new LinkedHashMap<>();
    private final int countedMax;
    private int counted;

    public InFlightRequests(int countedMax) {
        assert countedMax >= 1 : countedMax;
        this.countedMax = countedMax;
    }

    /** True when one more counted request would exceed the limit. */
    public boolean full() {
        return counted >= countedMax;
    }

    public int size() {
        return entries.size();
    }

    public int countedSize() {
        return counted;
    }

    /**
     * Registers a request about to be sent; its deadline is {@code timeoutMillis} after
     * {@code nowNanos}.
     */
    public Entry add(long requestId, Envelope.BodyCase expected, long nowNanos,
            long timeoutMillis, boolean countsAgainstLimit) {
        assert timeoutMillis >= 1 : timeoutMillis;
        if (countsAgainstLimit && full()) {
            throw new IllegalStateException("in-flight limit " + countedMax + " reached");
        }
        long deadlineNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Entry entry = new Entry(requestId, expected, deadlineNanos, timeoutMillis,
                countsAgainstLimit, Promise.promise());
        Entry previous = entries.putIfAbsent(requestId, entry);
        if (previous != null) {
            throw new IllegalStateException("request id " + requestId + " already in flight");
        }
        if (countsAgainstLimit) {
            counted++;
        }
        assert counted <= countedMax && counted <= entries.size();
        return entry;
    }

    /** Removes and returns the entry of this request id, or null when none is in flight. */
    public Entry remove(long requestId) {
        Entry entry = entries.remove(requestId);
        if (entry != null && entry.counted) {
            counted--;
        }
        assert counted >= 0 && counted <= entries.size();
        return entry;
    }

    /** Removes and returns every entry whose deadline is at or before {@code nowNanos}. */
    public List<Entry> removeExpired(long nowNanos) {
        List<Entry> expired = new ArrayList<>();
        Iterator<Entry> iterator = entries.values().iterator();
        while (iterator.hasNext()) {
            Entry entry = iterator.next();
            if (entry.deadlineNanos - nowNanos <= 0) {
                iterator.remove();
                expired.add(entry);
                if (entry.counted) {
                    counted--;
                }
            }
        }
        assert counted >= 0 && counted <= entries.size();
        return expired;
    }

    /** Removes and returns every entry, in request id order. */
    public List<Entry> removeAll() {
        List<Entry> all = new ArrayList<>(entries.values());
        entries.clear();
        counted = 0;
        return all;
    }
}
