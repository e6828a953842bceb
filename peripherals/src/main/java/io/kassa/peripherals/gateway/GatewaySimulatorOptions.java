package io.kassa.peripherals.gateway;

import java.nio.file.Path;

/**
 * The knobs of the gateway simulator. Shares are probabilities in [0, 1] drawn from a seeded
 * generator for every payment code without a {@link TradePlan}; times are milliseconds.
 */
public final class GatewaySimulatorOptions {

    /** Longest simulated latency or delay, so that a typo cannot park a request for hours. */
    public static final long DELAY_MILLIS_MAX = 600_000;
    /** Most extra copies of one notification. */
    public static final int DUPLICATE_NOTIFICATIONS_MAX = 10;
    /** Largest request body the simulated APIs read. */
    public static final int REQUEST_BYTES_MAX = 64 * 1024;

    private String host = "127.0.0.1";
    private int port = 8090;
    private String callbackUrl;
    private Path keysDirectory;
    private Path statementDirectory;
    private long seed = 42;
    private long latencyMillis;
    private long latencyJitterMillis;
    private double failureShare;
    private double userPayingShare;
    private long userPasswordMillis = 8_000;
    private double systemErrorShare;
    private double unansweredShare;
    private int reverseAttemptsNeeded = 1;
    private int duplicateNotifications;
    private long notificationDelayMillis = 200;
    private long notificationJitterMillis;
    private boolean notifications = true;

    public void check() {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
            throw new IllegalArgumentException("the simulator listens on loopback only: " + host);
        }
        checkDelay("latency", latencyMillis);
        checkDelay("latency jitter", latencyJitterMillis);
        checkDelay("notification delay", notificationDelayMillis);
        checkDelay("notification jitter", notificationJitterMillis);
        if (userPasswordMillis > DELAY_MILLIS_MAX) {
            throw new IllegalArgumentException("password time is at most " + DELAY_MILLIS_MAX);
        }
        checkShare("failure share", failureShare);
        checkShare("USERPAYING share", userPayingShare);
        checkShare("system error share", systemErrorShare);
        checkShare("unanswered share", unansweredShare);
        if (failureShare + userPayingShare + systemErrorShare > 1.0) {
            throw new IllegalArgumentException(
                    "failure, USERPAYING and system error shares sum to at most 1");
        }
        if (reverseAttemptsNeeded < 1 || reverseAttemptsNeeded > TradePlan.REVERSE_ATTEMPTS_MAX) {
            throw new IllegalArgumentException("reverse attempts are 1.."
                    + TradePlan.REVERSE_ATTEMPTS_MAX + ": " + reverseAttemptsNeeded);
        }
        if (duplicateNotifications < 0 || duplicateNotifications > DUPLICATE_NOTIFICATIONS_MAX) {
            throw new IllegalArgumentException("duplicate notifications are 0.."
                    + DUPLICATE_NOTIFICATIONS_MAX + ": " + duplicateNotifications);
        }
        if (callbackUrl != null && !callbackUrl.matches(
                "http://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:\\d{1,5})?(/.*)?")) {
            throw new IllegalArgumentException(
                    "the callback URL must be http on loopback: " + callbackUrl);
        }
    }

    private static void checkDelay(String name, long millis) {
        if (millis < 0 || millis > DELAY_MILLIS_MAX) {
            throw new IllegalArgumentException(
                    name + " must be 0.." + DELAY_MILLIS_MAX + " ms: " + millis);
        }
    }

    private static void checkShare(String name, double share) {
        if (!(share >= 0.0 && share <= 1.0)) {
            throw new IllegalArgumentException(name + " must be within 0..1: " + share);
        }
    }

    public String host() { return host; }
    public GatewaySimulatorOptions setHost(String value) { host = value; return this; }
    public int port() { return port; }
    public GatewaySimulatorOptions setPort(int value) { port = value; return this; }
    /** Base URL of the engine; notifications go to {@code <url>/callbacks/<channel>}. */
    public String callbackUrl() { return callbackUrl; }
    public GatewaySimulatorOptions setCallbackUrl(String value) {
        callbackUrl = value;
        return this;
    }
    /** Where keys are loaded from, or generated into when absent (null: a temporary one). */
    public Path keysDirectory() { return keysDirectory; }
    public GatewaySimulatorOptions setKeysDirectory(Path value) {
        keysDirectory = value;
        return this;
    }
    /** Where statements are written (null: the keys directory). */
    public Path statementDirectory() { return statementDirectory; }
    public GatewaySimulatorOptions setStatementDirectory(Path value) {
        statementDirectory = value;
        return this;
    }
    public long seed() { return seed; }
    public GatewaySimulatorOptions setSeed(long value) { seed = value; return this; }
    public long latencyMillis() { return latencyMillis; }
    public GatewaySimulatorOptions setLatencyMillis(long value) {
        latencyMillis = value;
        return this;
    }
    public long latencyJitterMillis() { return latencyJitterMillis; }
    public GatewaySimulatorOptions setLatencyJitterMillis(long value) {
        latencyJitterMillis = value;
        return this;
    }
    public double failureShare() { return failureShare; }
    public GatewaySimulatorOptions setFailureShare(double value) {
        failureShare = value;
        return this;
    }
    public double userPayingShare() { return userPayingShare; }
    public GatewaySimulatorOptions setUserPayingShare(double value) {
        userPayingShare = value;
        return this;
    }
    /** How long a customer asked for a password takes to enter it. */
    public long userPasswordMillis() { return userPasswordMillis; }
    public GatewaySimulatorOptions setUserPasswordMillis(long value) {
        userPasswordMillis = value;
        return this;
    }
    public double systemErrorShare() { return systemErrorShare; }
    public GatewaySimulatorOptions setSystemErrorShare(double value) {
        systemErrorShare = value;
        return this;
    }
    /** Share of pay calls processed but never answered. */
    public double unansweredShare() { return unansweredShare; }
    public GatewaySimulatorOptions setUnansweredShare(double value) {
        unansweredShare = value;
        return this;
    }
    public int reverseAttemptsNeeded() { return reverseAttemptsNeeded; }
    public GatewaySimulatorOptions setReverseAttemptsNeeded(int value) {
        reverseAttemptsNeeded = value;
        return this;
    }
    public int duplicateNotifications() { return duplicateNotifications; }
    public GatewaySimulatorOptions setDuplicateNotifications(int value) {
        duplicateNotifications = value;
        return this;
    }
    public long notificationDelayMillis() { return notificationDelayMillis; }
    public GatewaySimulatorOptions setNotificationDelayMillis(long value) {
        notificationDelayMillis = value;
        return this;
    }
    /** Random extra delay per copy: copies and trades then arrive out of order. */
    public long notificationJitterMillis() { return notificationJitterMillis; }
    public GatewaySimulatorOptions setNotificationJitterMillis(long value) {
        notificationJitterMillis = value;
        return this;
    }
    public boolean notifications() { return notifications; }
    public GatewaySimulatorOptions setNotifications(boolean value) {
        notifications = value;
        return this;
    }
}
