package io.kassa.peripherals.sdk;

/**
 * Options of one {@link TerminalClient}: where the engine is, who the terminal is, and the
 * limits the client keeps. Mutable and fluent; {@link TerminalClient#create} takes a copy, so
 * changing an options object afterwards does not affect a client already created.
 *
 * <p>Terminal and store ids are not checked against the protocol's limits here on purpose: the
 * engine's own tests use the SDK to send ids the engine must reject.
 */
public final class TerminalClientOptions {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7420;
    public static final String DEFAULT_SOFTWARE_VERSION = "kassa-sdk";
    public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 5_000;
    public static final long DEFAULT_REQUEST_TIMEOUT_MILLIS = 10_000;
    public static final int DEFAULT_IN_FLIGHT_MAX = 64;

    /** Above this, a single terminal's pending table is a bug, not a configuration. */
    public static final int IN_FLIGHT_MAX_LIMIT = 65_536;

    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private String terminalId = "";
    private String storeId = "";
    private String softwareVersion = DEFAULT_SOFTWARE_VERSION;
    private long connectTimeoutMillis = DEFAULT_CONNECT_TIMEOUT_MILLIS;
    private long requestTimeoutMillis = DEFAULT_REQUEST_TIMEOUT_MILLIS;
    private int inFlightMax = DEFAULT_IN_FLIGHT_MAX;
    private byte[] secret;
    private long lastPushSequenceSeen;
    private String localAddress;
    private boolean tls;
    private String tlsTrustedCaPemPath;
    private String tlsClientCertificatePemPath;
    private String tlsClientKeyPemPath;
    private boolean tlsHostnameVerification = true;

    public TerminalClientOptions() {
    }

    public TerminalClientOptions(TerminalClientOptions other) {
        this.host = other.host;
        this.port = other.port;
        this.terminalId = other.terminalId;
        this.storeId = other.storeId;
        this.softwareVersion = other.softwareVersion;
        this.connectTimeoutMillis = other.connectTimeoutMillis;
        this.requestTimeoutMillis = other.requestTimeoutMillis;
        this.inFlightMax = other.inFlightMax;
        this.secret = other.secret == null ? null : other.secret.clone();
        this.lastPushSequenceSeen = other.lastPushSequenceSeen;
        this.localAddress = other.localAddress;
        this.tls = other.tls;
        this.tlsTrustedCaPemPath = other.tlsTrustedCaPemPath;
        this.tlsClientCertificatePemPath = other.tlsClientCertificatePemPath;
        this.tlsClientKeyPemPath = other.tlsClientKeyPemPath;
        this.tlsHostnameVerification = other.tlsHostnameVerification;
    }

    /**
     * Fails fast on values no client can work with: a programmer error, not an operating
     * failure.
     */
    void check() {
        require(host != null && !host.isEmpty(), "host must be set");
        require(port >= 1 && port <= 65_535, "port must be 1..65535: " + port);
        require(terminalId != null, "terminalId must not be null");
        require(storeId != null, "storeId must not be null");
        require(softwareVersion != null, "softwareVersion must not be null");
        require(connectTimeoutMillis >= 1, "connectTimeoutMillis must be >= 1");
        require(requestTimeoutMillis >= 1, "requestTimeoutMillis must be >= 1");
        require(inFlightMax >= 1 && inFlightMax <= IN_FLIGHT_MAX_LIMIT,
                "inFlightMax must be 1.." + IN_FLIGHT_MAX_LIMIT + ": " + inFlightMax);
        require((tlsClientCertificatePemPath == null) == (tlsClientKeyPemPath == null),
                "tlsClientCertificatePemPath and tlsClientKeyPemPath go together");
        require(tls || (tlsTrustedCaPemPath == null && tlsClientCertificatePemPath == null),
                "TLS files are set but TLS is not enabled");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public String getHost() {
        return host;
    }

    public TerminalClientOptions setHost(String host) {
        this.host = host;
        return this;
    }

    public int getPort() {
        return port;
    }

    public TerminalClientOptions setPort(int port) {
        this.port = port;
        return this;
    }

    public String getTerminalId() {
        return terminalId;
    }

    public TerminalClientOptions setTerminalId(String terminalId) {
        this.terminalId = terminalId;
        return this;
    }

    public String getStoreId() {
        return storeId;
    }

    public TerminalClientOptions setStoreId(String storeId) {
        this.storeId = storeId;
        return this;
    }

    public String getSoftwareVersion() {
        return softwareVersion;
    }

    public TerminalClientOptions setSoftwareVersion(String softwareVersion) {
        this.softwareVersion = softwareVersion;
        return this;
    }

    public long getConnectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    /** Budget for the TCP connect and the Welcome answering Hello, together. */
    public TerminalClientOptions setConnectTimeoutMillis(long connectTimeoutMillis) {
        this.connectTimeoutMillis = connectTimeoutMillis;
        return this;
    }

    public long getRequestTimeoutMillis() {
        return requestTimeoutMillis;
    }

    public TerminalClientOptions setRequestTimeoutMillis(long requestTimeoutMillis) {
        this.requestTimeoutMillis = requestTimeoutMillis;
        return this;
    }

    public int getInFlightMax() {
        return inFlightMax;
    }

    /** Requests awaiting an answer at once; one more fails with {@link TerminalBusyException}. */
    public TerminalClientOptions setInFlightMax(int inFlightMax) {
        this.inFlightMax = inFlightMax;
        return this;
    }

    public byte[] getSecret() {
        return secret == null ? null : secret.clone();
    }

    /**
     * The terminal's provisioned secret (32 bytes), with which the client answers the engine's
     * AuthChallenge. Without one, connecting to an engine that challenges fails.
     */
    public TerminalClientOptions setSecret(byte[] secret) {
        this.secret = secret == null ? null : secret.clone();
        return this;
    }

    public long getLastPushSequenceSeen() {
        return lastPushSequenceSeen;
    }

    /** Told to the engine in Hello: pushes after this one are resent (SPEC.md 7.6). */
    public TerminalClientOptions setLastPushSequenceSeen(long lastPushSequenceSeen) {
        this.lastPushSequenceSeen = lastPushSequenceSeen;
        return this;
    }

    public String getLocalAddress() {
        return localAddress;
    }

    /** The local address to connect from, e.g. one of several 127.0.0.x; null: any. */
    public TerminalClientOptions setLocalAddress(String localAddress) {
        this.localAddress = localAddress;
        return this;
    }

    public boolean isTls() {
        return tls;
    }

    /** Connects with TLS (1.3 or 1.2). */
    public TerminalClientOptions setTls(boolean tls) {
        this.tls = tls;
        return this;
    }

    public String getTlsTrustedCaPemPath() {
        return tlsTrustedCaPemPath;
    }

    /** PEM file of the CA(s) the engine's certificate must chain to; null: the JDK's. */
    public TerminalClientOptions setTlsTrustedCaPemPath(String path) {
        this.tlsTrustedCaPemPath = path;
        return this;
    }

    public String getTlsClientCertificatePemPath() {
        return tlsClientCertificatePemPath;
    }

    public String getTlsClientKeyPemPath() {
        return tlsClientKeyPemPath;
    }

    /** The terminal's certificate and key (PEM) for mutual TLS; both or neither. */
    public TerminalClientOptions setTlsClientCertificate(String certificatePemPath,
            String keyPemPath) {
        this.tlsClientCertificatePemPath = certificatePemPath;
        this.tlsClientKeyPemPath = keyPemPath;
        return this;
    }

    public boolean isTlsHostnameVerification() {
        return tlsHostnameVerification;
    }

    /**
     * Whether the engine's certificate must name the host connected to (default true). Turn off
     * only where terminals reach the engine by an address its certificate cannot name.
     */
    public TerminalClientOptions setTlsHostnameVerification(boolean verify) {
        this.tlsHostnameVerification = verify;
        return this;
    }

    @Override
    public String toString() {
        return "TerminalClientOptions{host=" + host + ", port=" + port + ", terminalId="
                + terminalId + ", storeId=" + storeId + ", softwareVersion=" + softwareVersion
                + ", connectTimeoutMillis=" + connectTimeoutMillis + ", requestTimeoutMillis="
                + requestTimeoutMillis + ", inFlightMax=" + inFlightMax + ", secret="
                + (secret == null ? "unset" : "set") + ", lastPushSequenceSeen="
                + lastPushSequenceSeen + ", localAddress=" + localAddress + ", tls=" + tls + "}";
    }
}
