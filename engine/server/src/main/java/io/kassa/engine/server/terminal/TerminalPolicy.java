package io.kassa.engine.server.terminal;

import io.kassa.protocol.FrameLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * How the terminal endpoint protects itself: TLS, the at-rest key of terminal secrets, the demo
 * secret seed, and the per-connection limits.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><td>KASSA_TLS_CERT, KASSA_TLS_KEY</td><td>PEM certificate chain and private key:
 *       TLS 1.3/1.2 on the terminal port (BoringSSL); both or neither</td></tr>
 *   <tr><td>KASSA_TLS_CLIENT_CA</td><td>PEM CA certificate(s): mutual TLS, a client
 *       certificate is required and its CN or a DNS SAN must equal the terminal id</td></tr>
 *   <tr><td>KASSA_TERMINAL_SECRET_KEY</td><td>64 hex digits: AES-256-GCM key sealing terminal
 *       secrets in PostgreSQL</td></tr>
 *   <tr><td>KASSA_DEMO_TERMINAL_SECRET_SEED</td><td>demo only, refused with an external
 *       PostgreSQL: unknown terminals authenticate with secrets derived from this seed</td></tr>
 * </table>
 *
 * @param limits per-connection limits; {@link Limits#DEFAULTS} are protocol/SPEC.md's
 */
public record TerminalPolicy(
        Optional<Tls> tls, Optional<byte[]> secretSealingKey, Optional<String> demoSecretSeed,
        Limits limits) {

    /** Characters a demo seed needs at least, so that a stray "1" does not pass for one. */
    public static final int DEMO_SEED_CHARS_MIN = 16;

    /** PEM files of the terminal port's TLS; {@code clientCa} present means mutual TLS. */
    public record Tls(Path certificate, Path privateKey, Optional<Path> clientCa) {
    }

    /**
     * @param inFlightRequestsMax quotes and checkouts unanswered per connection; one more: BUSY
     * @param requestsPerSecond token bucket refill per connection; beyond: RATE_LIMITED
     * @param requestBurst token bucket size
     * @param handshakeMillis connect to Welcome, else closed
     * @param pushesRetainedMax unacknowledged pushes kept per terminal
     */
    public record Limits(int inFlightRequestsMax, int requestsPerSecond, int requestBurst,
            int handshakeMillis, int pushesRetainedMax) {

        public static final Limits DEFAULTS = new Limits(FrameLimits.IN_FLIGHT_REQUESTS_MAX,
                FrameLimits.REQUESTS_PER_SECOND_MAX, FrameLimits.REQUEST_BURST_MAX,
                FrameLimits.HANDSHAKE_MILLIS_MAX, FrameLimits.PUSHES_RETAINED_MAX);

        public Limits {
            if (inFlightRequestsMax < 1 || requestsPerSecond < 1 || requestBurst < 1
                    || handshakeMillis < 1 || pushesRetainedMax < 2) {
                throw new IllegalArgumentException("terminal limits out of range");
            }
        }
    }

    public TerminalPolicy {
        demoSecretSeed.ifPresent(seed -> {
            if (seed.length() < DEMO_SEED_CHARS_MIN) {
                throw new IllegalArgumentException("KASSA_DEMO_TERMINAL_SECRET_SEED must have at"
                        + " least " + DEMO_SEED_CHARS_MIN + " characters");
            }
        });
    }

    /** No TLS, no sealing key, no demo seed, the protocol's limits. */
    public static TerminalPolicy defaults() {
        return new TerminalPolicy(Optional.empty(), Optional.empty(), Optional.empty(),
                Limits.DEFAULTS);
    }

    public TerminalPolicy withLimits(Limits newLimits) {
        return new TerminalPolicy(tls, secretSealingKey, demoSecretSeed, newLimits);
    }

    public TerminalPolicy withTls(Tls newTls) {
        return new TerminalPolicy(Optional.of(newTls), secretSealingKey, demoSecretSeed, limits);
    }

    public TerminalPolicy withDemoSecretSeed(String seed) {
        return new TerminalPolicy(tls, secretSealingKey, Optional.of(seed), limits);
    }

    public TerminalPolicy withSecretSealingKey(byte[] key) {
        return new TerminalPolicy(tls, Optional.of(key.clone()), demoSecretSeed, limits);
    }

    /** @throws IllegalArgumentException naming the variable that is wrong */
    public static TerminalPolicy fromEnvironment(Map<String, String> environment) {
        Optional<String> certificate = nonBlank(environment.get("KASSA_TLS_CERT"));
        Optional<String> key = nonBlank(environment.get("KASSA_TLS_KEY"));
        Optional<String> clientCa = nonBlank(environment.get("KASSA_TLS_CLIENT_CA"));
        if (certificate.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException(
                    "KASSA_TLS_CERT and KASSA_TLS_KEY must be set together");
        }
        if (clientCa.isPresent() && certificate.isEmpty()) {
            throw new IllegalArgumentException(
                    "KASSA_TLS_CLIENT_CA needs KASSA_TLS_CERT and KASSA_TLS_KEY");
        }
        Optional<Tls> tls = certificate.map(path -> new Tls(readable("KASSA_TLS_CERT", path),
                readable("KASSA_TLS_KEY", key.orElseThrow()),
                clientCa.map(ca -> readable("KASSA_TLS_CLIENT_CA", ca))));
        Optional<byte[]> sealingKey = nonBlank(environment.get("KASSA_TERMINAL_SECRET_KEY"))
                .map(hex -> {
                    try {
                        return HexFormat.of().parseHex(hex);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(
                                "KASSA_TERMINAL_SECRET_KEY must be 64 hex digits", e);
                    }
                });
        return new TerminalPolicy(tls, sealingKey,
                nonBlank(environment.get("KASSA_DEMO_TERMINAL_SECRET_SEED")), Limits.DEFAULTS);
    }

    private static Path readable(String variable, String path) {
        Path file = Path.of(path);
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(variable + " names no readable file: " + path);
        }
        return file;
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    @Override
    public String toString() {
        // The sealing key and the seed are secrets: say whether they are set, not what they are.
        return "TerminalPolicy{tls=" + tls + ", secretSealingKey="
                + (secretSealingKey.isPresent() ? "set" : "unset") + ", demoSecretSeed="
                + (demoSecretSeed.isPresent() ? "set" : "unset") + ", limits=" + limits + "}";
    }
}
