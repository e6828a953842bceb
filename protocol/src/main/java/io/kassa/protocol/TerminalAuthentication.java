package io.kassa.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The terminal authentication of protocol v1 (SPEC.md section 7.2), shared by the engine, the
 * SDK and the tests so that both sides compute the proof from one definition.
 *
 * <pre>
 * proof = HMAC-SHA256(key = secret (32 bytes), message =
 *   +-----------------+-------------+------------+-------------+------------+-------------+
 *   | "KASSA-AUTH-V1" | nonce       | u16 length | terminal_id | u16 length | store_id    |
 *   | 13 ASCII bytes  | 32 bytes    | big-endian | UTF-8       | big-endian | UTF-8       |
 *   +-----------------+-------------+------------+-------------+------------+-------------+)
 * </pre>
 *
 * <p>The label separates this use of the secret from any other; the length prefixes make the
 * message unambiguous ("T-1" + "S-10" cannot collide with "T-1S" + "-10").
 */
public final class TerminalAuthentication {

    static final byte[] LABEL = "KASSA-AUTH-V1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DEMO_LABEL =
            "KASSA-DEMO-TERMINAL-SECRET-V1".getBytes(StandardCharsets.US_ASCII);
    private static final String HMAC = "HmacSHA256";

    private TerminalAuthentication() {
    }

    /** The proof a terminal holding {@code secret} sends for {@code nonce}. */
    public static byte[] proof(byte[] secret, byte[] nonce, String terminalId, String storeId) {
        if (secret.length != FrameLimits.TERMINAL_SECRET_BYTES) {
            throw new IllegalArgumentException("a terminal secret has "
                    + FrameLimits.TERMINAL_SECRET_BYTES + " bytes, not " + secret.length);
        }
        byte[] terminal = terminalId.getBytes(StandardCharsets.UTF_8);
        byte[] store = storeId.getBytes(StandardCharsets.UTF_8);
        // Identifiers are at most 64 characters of at most 4 bytes: far below 65535.
        assert terminal.length <= 0xFFFF && store.length <= 0xFFFF;
        ByteBuffer message = ByteBuffer.allocate(
                LABEL.length + nonce.length + 2 + terminal.length + 2 + store.length);
        message.put(LABEL).put(nonce)
                .putShort((short) terminal.length).put(terminal)
                .putShort((short) store.length).put(store);
        return hmac(secret, message.array());
    }

    /**
     * Whether {@code proof} is right, compared in constant time so that the time taken does not
     * tell an attacker how many leading bytes were right.
     */
    public static boolean verify(byte[] secret, byte[] nonce, String terminalId, String storeId,
            byte[] proof) {
        return MessageDigest.isEqual(proof(secret, nonce, terminalId, storeId), proof);
    }

    /** A fresh secret for provisioning. */
    public static byte[] newSecret(SecureRandom random) {
        byte[] secret = new byte[FrameLimits.TERMINAL_SECRET_BYTES];
        random.nextBytes(secret);
        return secret;
    }

    /**
     * The secret of a demo terminal, derived from a seed both the demo engine and the simulator
     * are given: HMAC-SHA256(seed, "KASSA-DEMO-TERMINAL-SECRET-V1" || u16 || store_id || u16 ||
     * terminal_id). Only for demonstrations: whoever knows the seed knows every secret.
     */
    public static byte[] demoSecret(String seed, String storeId, String terminalId) {
        byte[] store = storeId.getBytes(StandardCharsets.UTF_8);
        byte[] terminal = terminalId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer message = ByteBuffer.allocate(
                DEMO_LABEL.length + 2 + store.length + 2 + terminal.length);
        message.put(DEMO_LABEL).putShort((short) store.length).put(store)
                .putShort((short) terminal.length).put(terminal);
        return hmac(seed.getBytes(StandardCharsets.UTF_8), message.array());
    }

    /** The printable form of a secret: 64 lowercase hex digits. */
    public static String formatSecret(byte[] secret) {
        return HexFormat.of().formatHex(secret);
    }

    /** @throws IllegalArgumentException unless {@code text} is 64 hex digits */
    public static byte[] parseSecret(String text) {
        String trimmed = text.strip();
        if (trimmed.length() != FrameLimits.TERMINAL_SECRET_BYTES * 2) {
            throw new IllegalArgumentException("a terminal secret is "
                    + FrameLimits.TERMINAL_SECRET_BYTES * 2 + " hex digits");
        }
        return HexFormat.of().parseHex(trimmed);
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(message);
        } catch (GeneralSecurityException missing) {
            // Every Java runtime must provide HmacSHA256.
            throw new IllegalStateException(HMAC + " unavailable", missing);
        }
    }
}
