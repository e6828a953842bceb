package io.kassa.loadtests;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * How late this machine wakes a thread that asked to sleep one millisecond: a floor under
 * every latency measured at the same time. A request and its answer cross at least two such
 * wake-ups (the engine's event loop, then the generator's), each waiting for a core like this
 * probe does; when the probe's p99 is a few milliseconds, no latency measured on this machine
 * at that moment has a p99 below it, however fast the engine is.
 *
 * <p>One daemon thread, asleep almost all the time (a thousand wake-ups a second, each a few
 * microseconds of work): it takes nothing measurable from the engine. Thread-safe: the
 * lateness goes into an HdrHistogram {@link Recorder}, read per step by {@link #interval}.
 */
final class WakeupProbe implements AutoCloseable {

    private static final long SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long LATENESS_MICROS_MAX = TimeUnit.SECONDS.toMicros(60);

    private final Recorder lateness = new Recorder(LATENESS_MICROS_MAX, 3);
    private final Thread thread;
    private volatile boolean running = true;

    private WakeupProbe() {
        thread = new Thread(this::run, "wakeup-probe");
        thread.setDaemon(true);
    }

    static WakeupProbe start() {
        WakeupProbe probe = new WakeupProbe();
        probe.thread.start();
        return probe;
    }

    private void run() {
        while (running) {
            long before = System.nanoTime();
            LockSupport.parkNanos(SLEEP_NANOS);
            long lateMicros = (System.nanoTime() - before - SLEEP_NANOS) / 1_000;
            lateness.recordValue(Math.min(LATENESS_MICROS_MAX, Math.max(0, lateMicros)));
        }
    }

    /** The lateness recorded since the last call (or the start). */
    Histogram interval() {
        return lateness.getIntervalHistogram();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
