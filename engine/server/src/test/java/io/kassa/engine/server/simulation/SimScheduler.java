package io.kassa.engine.server.simulation;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/**
 * Simulated time: one thread, one queue of events ordered by (time, order of scheduling). The
 * engine's code under test runs only inside events, so that a seed fixes every interleaving.
 * Vert.x futures without a context complete their listeners on the completing thread, which
 * here is always the scheduler's.
 */
final class SimScheduler {

    /** A Saturday morning in Shanghai: the simulated day's first instant. */
    static final Instant EPOCH = Instant.parse("2026-11-21T02:00:00Z");

    private record Event(long atMillis, long order, Runnable action)
            implements Comparable<Event> {
        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(atMillis, other.atMillis);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private long nowMillis;
    private long scheduled;
    private long executed;

    long nowMillis() {
        return nowMillis;
    }

    Instant instant() {
        return EPOCH.plusMillis(nowMillis);
    }

    long executed() {
        return executed;
    }

    void at(long delayMillis, Runnable action) {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("an event is not scheduled in the past");
        }
        events.add(new Event(nowMillis + delayMillis, scheduled++, action));
    }

    /** Runs events up to {@code untilMillis}, or until none is left; the clock ends there. */
    void runUntil(long untilMillis, long eventsMax) {
        while (!events.isEmpty() && events.peek().atMillis() <= untilMillis) {
            Event next = events.poll();
            nowMillis = next.atMillis();
            next.action().run();
            if (++executed > eventsMax) {
                throw new IllegalStateException("more than " + eventsMax
                        + " events: a livelock (something reschedules itself forever)");
            }
        }
        nowMillis = Math.max(nowMillis, untilMillis);
    }

    Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("the simulated clock is UTC");
            }

            @Override
            public Instant instant() {
                return SimScheduler.this.instant();
            }

            @Override
            public long millis() {
                return instant().toEpochMilli();
            }
        };
    }
}
