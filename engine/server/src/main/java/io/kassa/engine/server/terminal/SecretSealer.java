package io.kassa.engine.server.terminal;

import io.kassa.protocol.FrameLimits;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals terminal secrets for storage: AES-256-GCM under a key from the environment, with the
 * terminal id as associated data so that a sealed secret copied onto another row does not open.
 * Without a key, secrets are stored plain (the ADR says why that is only for development).
 *
 * <pre>
 * sealed = +------------+--------------------------+------------+
 *          | IV 12 bytes| cipher text 32 bytes     | tag 16 B   |
 *          +------------+--------------------------+------------+
 * </pre>
 */
public final class SecretSealer {

    public static final String PLAIN = "plain";
    public static final String AES_256_GCM = "aes-256-gcm";

    static final int KEY_BYTES = 32;
    static final int IV_BYTES = 12;
    static final int TAG_BITS = 128;
    static final int SEALED_BYTES = IV_BYTES + FrameLimits.TERMINAL_SECRET_BYTES + TAG_BITS / 8;

    private final Optional<SecretKeySpec> key;
    private final SecureRandom random;

    public SecretSealer(Optional<byte[]> key, SecureRandom random) {
        key.ifPresent(bytes -> {
            if (bytes.length != KEY_BYTES) {
                throw new IllegalArgumentException("KASSA_TERMINAL_SECRET_KEY must be "
                        + KEY_BYTES + " bytes (64 hex digits), was " + bytes.length);
            }
        });
        this.key = key.map(bytes -> new SecretKeySpec(bytes, "AES"));
        this.random = random;
    }

    /** The sealing new rows get: {@link #AES_256_GCM} when a key is configured. */
    public String sealing() {
        return key.isPresent() ? AES_256_GCM : PLAIN;
    }

    public byte[] seal(String terminalId, byte[] secret) {
        if (key.isEmpty()) {
            return secret.clone();
        }
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        byte[] sealed = Arrays.copyOf(iv, SEALED_BYTES);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, iv, terminalId);
            int written = cipher.doFinal(secret, 0, secret.length, sealed, IV_BYTES);
            assert written == SEALED_BYTES - IV_BYTES : written;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
        return sealed;
    }

    /**
     * @throws IllegalStateException when the row is sealed but no key (or another key) is
     *     configured: an operating error to report, never to treat as a wrong proof silently
     */
    public byte[] open(String terminalId, String sealing, byte[] stored) {
        if (PLAIN.equals(sealing)) {
            return stored.clone();
        }
        if (!AES_256_GCM.equals(sealing)) {
            throw new IllegalStateException("terminal " + terminalId + ": unknown sealing "
                    + sealing);
        }
        if (key.isEmpty()) {
            throw new IllegalStateException("terminal " + terminalId + ": its secret is sealed"
                    + " but KASSA_TERMINAL_SECRET_KEY is not set");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE,
                    Arrays.copyOf(stored, IV_BYTES), terminalId);
            return cipher.doFinal(stored, IV_BYTES, stored.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("terminal " + terminalId + ": its sealed secret does"
                    + " not open with KASSA_TERMINAL_SECRET_KEY (another key, or a moved row)", e);
        }
    }

    private Cipher cipher(int mode, byte[] iv, String terminalId)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key.orElseThrow(), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(terminalId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
