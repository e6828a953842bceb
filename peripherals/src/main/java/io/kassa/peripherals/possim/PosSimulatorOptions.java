package io.kassa.peripherals.possim;

import io.kassa.peripherals.sdk.TerminalClientOptions;

/**
 * Options of a {@link PosSimulator}. Mutable and fluent; {@link PosSimulator#create} checks
 * them and takes a copy.
 */
public final class PosSimulatorOptions {

    /** Terminals one simulator drives: enough for a large chain from one process. */
    public static final int TERMINALS_MAX = 10_000;
    /** Store ids are "store-001".."store-999". */
    public static final int STORES_MAX = 999;
    /** Checkouts per second across all terminals; beyond this, use the load generator. */
    public static final double RATE_PER_SECOND_MAX = 100_000;

    /** Members the simulator may present, as member codes member-0001..member-NNNN. */
    public static final int MEMBERS_MAX = 9_999;

    private String host = TerminalClientOptions.DEFAULT_HOST;
    private int port = TerminalClientOptions.DEFAULT_PORT;
    private int terminals = 20;
    private int stores = 4;
    private double ratePerSecond = 10;
    private long durationSeconds;
    private long seed = 42;
    private String runId;
    private long requestTimeoutMillis = TerminalClientOptions.DEFAULT_REQUEST_TIMEOUT_MILLIS;
    private long statusIntervalMillis = 5_000;
    private long reconnectDelayMillis = 1_000;
    private long drainTimeoutMillis = 5_000;
    private String demoSecretSeed;
    private int members;
    private java.util.List<String> engines = java.util.List.of();

    public PosSimulatorOptions() {
    }

    public PosSimulatorOptions(PosSimulatorOptions other) {
        this.host = other.host;
        this.port = other.port;
        this.terminals = other.terminals;
        this.stores = other.stores;
        this.ratePerSecond = other.ratePerSecond;
        this.durationSeconds = other.durationSeconds;
        this.seed = other.seed;
        this.runId = other.runId;
        this.requestTimeoutMillis = other.requestTimeoutMillis;
        this.statusIntervalMillis = other.statusIntervalMillis;
        this.reconnectDelayMillis = other.reconnectDelayMillis;
        this.drainTimeoutMillis = other.drainTimeoutMillis;
        this.demoSecretSeed = other.demoSecretSeed;
        this.members = other.members;
        this.engines = other.engines;
    }

    /** @throws IllegalArgumentException naming the first option out of range */
    public void check() {
        require(host != null && !host.isEmpty(), "host must be set");
        require(port >= 1 && port <= 65_535, "port must be 1..65535, was " + port);
        require(terminals >= 1 && terminals <= TERMINALS_MAX,
                "terminals must be 1.." + TERMINALS_MAX + ", was " + terminals);
        require(stores >= 1 && stores <= STORES_MAX,
                "stores must be 1.." + STORES_MAX + ", was " + stores);
        require(stores <= terminals,
                "stores (" + stores + ") must not exceed terminals (" + terminals + ")");
        require(ratePerSecond > 0 && ratePerSecond <= RATE_PER_SECOND_MAX,
                "rate must be > 0 and <= " + (long) RATE_PER_SECOND_MAX + ", was "
                        + ratePerSecond);
        require(durationSeconds >= 0, "duration must be >= 0 (0 runs until stopped), was "
                + durationSeconds);
        require(runId == null || runId.matches("[A-Za-z0-9]{1,12}"),
                "runId must be 1..12 letters or digits, was " + runId);
        require(requestTimeoutMillis >= 1, "requestTimeoutMillis must be >= 1");
        require(statusIntervalMillis >= 0, "statusIntervalMillis must be >= 0 (0 = silent)");
        require(reconnectDelayMillis >= 1, "reconnectDelayMillis must be >= 1");
        require(drainTimeoutMillis >= 0, "drainTimeoutMillis must be >= 0");
        require(members >= 0 && members <= MEMBERS_MAX,
                "members must be 0.." + MEMBERS_MAX + ", was " + members);
        for (String engine : engines) {
            int colon = engine.lastIndexOf(':');
            require(colon > 0 && engine.substring(colon + 1).matches("[0-9]{1,5}")
                    && Integer.parseInt(engine.substring(colon + 1)) >= 1
                    && Integer.parseInt(engine.substring(colon + 1)) <= 65_535,
                    "engines must be host:port with a port of 1..65535, was " + engine);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public String getHost() {
        return host;
    }

    /**
     * The engine nodes as {@code host:port}; empty: the one at host and port. Terminal i starts
     * at node {@code i mod n} and moves to the next after every lost connection.
     */
    public java.util.List<String> getEngines() {
        return engines;
    }

    public PosSimulatorOptions setEngines(java.util.List<String> engines) {
        this.engines = java.util.List.copyOf(engines);
        return this;
    }

    public PosSimulatorOptions setHost(String host) {
        this.host = host;
        return this;
    }

    public int getPort() {
        return port;
    }

    public PosSimulatorOptions setPort(int port) {
        this.port = port;
        return this;
    }

    public int getTerminals() {
        return terminals;
    }

    public PosSimulatorOptions setTerminals(int terminals) {
        this.terminals = terminals;
        return this;
    }

    public int getStores() {
        return stores;
    }

    public PosSimulatorOptions setStores(int stores) {
        this.stores = stores;
        return this;
    }

    public double getRatePerSecond() {
        return ratePerSecond;
    }

    /** Checkouts per second across all terminals (an open model: arrivals keep their time). */
    public PosSimulatorOptions setRatePerSecond(double ratePerSecond) {
        this.ratePerSecond = ratePerSecond;
        return this;
    }

    public long getDurationSeconds() {
        return durationSeconds;
    }

    /** How long arrivals are generated; 0 runs until {@link PosSimulator#stop()}. */
    public PosSimulatorOptions setDurationSeconds(long durationSeconds) {
        this.durationSeconds = durationSeconds;
        return this;
    }

    public long getSeed() {
        return seed;
    }

    public PosSimulatorOptions setSeed(long seed) {
        this.seed = seed;
        return this;
    }

    public String getRunId() {
        return runId;
    }

    /**
     * Prefix of every sale id, so that sale ids stay unique across runs against one engine;
     * null (the default) derives one from the start time.
     */
    public PosSimulatorOptions setRunId(String runId) {
        this.runId = runId;
        return this;
    }

    public long getRequestTimeoutMillis() {
        return requestTimeoutMillis;
    }

    public PosSimulatorOptions setRequestTimeoutMillis(long requestTimeoutMillis) {
        this.requestTimeoutMillis = requestTimeoutMillis;
        return this;
    }

    public long getStatusIntervalMillis() {
        return statusIntervalMillis;
    }

    /** How often a status line is logged; 0 logs none (the summary is still logged). */
    public PosSimulatorOptions setStatusIntervalMillis(long statusIntervalMillis) {
        this.statusIntervalMillis = statusIntervalMillis;
        return this;
    }

    public long getReconnectDelayMillis() {
        return reconnectDelayMillis;
    }

    /** Wait before a terminal whose connection was lost connects again. */
    public PosSimulatorOptions setReconnectDelayMillis(long reconnectDelayMillis) {
        this.reconnectDelayMillis = reconnectDelayMillis;
        return this;
    }

    public long getDrainTimeoutMillis() {
        return drainTimeoutMillis;
    }

    /** How long {@link PosSimulator#stop()} lets sales in flight finish before closing. */
    public PosSimulatorOptions setDrainTimeoutMillis(long drainTimeoutMillis) {
        this.drainTimeoutMillis = drainTimeoutMillis;
        return this;
    }

    public String getDemoSecretSeed() {
        return demoSecretSeed;
    }

    /**
     * The seed the demo engine was given in KASSA_DEMO_TERMINAL_SECRET_SEED: each simulated
     * terminal authenticates with the secret derived from it (SPEC.md section 7.2). Null: the
     * terminals have no secret and only an engine that does not authenticate accepts them.
     */
    /** Members to draw from (0: every sale is anonymous). */
    public int getMembers() {
        return members;
    }

    public PosSimulatorOptions setMembers(int members) {
        this.members = members;
        return this;
    }

    public PosSimulatorOptions setDemoSecretSeed(String demoSecretSeed) {
        this.demoSecretSeed = demoSecretSeed == null || demoSecretSeed.isBlank() ? null
                : demoSecretSeed;
        return this;
    }
}
