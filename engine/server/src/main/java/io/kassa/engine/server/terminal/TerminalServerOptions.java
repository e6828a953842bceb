package io.kassa.engine.server.terminal;

import io.kassa.protocol.FrameLimits;

/**
 * Settings of the terminal endpoint.
 *
 * @param heartbeatIntervalMillis told to terminals in Welcome: send a heartbeat at least this
 *     often
 * @param idleIntervalsMax a connection silent for this many heartbeat intervals is closed
 * @param frameCompletionMillis a frame begun must be complete within this time, or the
 *     connection is closed with FRAME_TRUNCATED
 * @param sweepIntervalMillis how often one timer per event loop checks every connection for
 *     idleness and stalled frames (one timer per loop, not one per connection)
 * @param drainMillisMax on shutdown, how long in-flight requests get to finish
 * @param reconnectAfterDrainMillis suggested to terminals in the Draining push: how long to wait
 *     before reconnecting (they add jitter), so that a node's terminals do not all reconnect to
 *     the remaining nodes in the same millisecond
 */
public record TerminalServerOptions(
        String host, int port, String nodeId, int heartbeatIntervalMillis, int idleIntervalsMax,
        int frameCompletionMillis, int sweepIntervalMillis, int drainMillisMax,
        int reconnectAfterDrainMillis) {

    public static final int IDLE_INTERVALS_MAX = FrameLimits.IDLE_HEARTBEAT_INTERVALS_MAX;
    public static final int SWEEP_INTERVAL_MILLIS_MAX = 1_000;
    public static final int DRAIN_MILLIS_MAX = 5_000;
    public static final int RECONNECT_AFTER_DRAIN_MILLIS = 1_000;

    /**
     * The endpoint for these timings; the sweep runs often enough to enforce the shorter of
     * them within a tenth of it, and at least every second.
     */
    public static TerminalServerOptions of(String host, int port, String nodeId,
            int heartbeatIntervalMillis, int frameCompletionMillis) {
        int sweepIntervalMillis = Math.max(5, Math.min(SWEEP_INTERVAL_MILLIS_MAX,
                Math.min(heartbeatIntervalMillis, frameCompletionMillis) / 10));
        return new TerminalServerOptions(host, port, nodeId, heartbeatIntervalMillis,
                IDLE_INTERVALS_MAX, frameCompletionMillis, sweepIntervalMillis,
                DRAIN_MILLIS_MAX, RECONNECT_AFTER_DRAIN_MILLIS);
    }

    public long idleMillisMax() {
        return (long) heartbeatIntervalMillis * idleIntervalsMax;
    }
}
