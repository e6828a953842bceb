package io.kassa.engine.server.gateways.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The engine's side of the channels' cryptography: SHA256withRSA signing and verification,
 * the sorted-parameter string of Alipay, AES-256-GCM decryption of WeChat Pay resources, and
 * PEM keys. Verification never throws: a bad signature is a value (false).
 */
public final class Signatures {

    /** WeChat Pay resources use a 12-byte nonce and a 128-bit tag. */
    public static final int GCM_NONCE_BYTES = 12;
    public static final int GCM_TAG_BITS = 128;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] NONCE_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private Signatures() {
    }

    public static String sign(PrivateKey key, String message) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA256withRSA signing failed", e);
        }
    }

    /** Verifies over exact bytes (the raw body is never re-encoded before verification). */
    public static boolean verify(PublicKey key, byte[] message, String signatureBase64) {
        if (signatureBase64 == null || signatureBase64.isEmpty()) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(key);
            signature.update(message);
            return signature.verify(Base64.getDecoder().decode(signatureBase64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public static boolean verify(PublicKey key, String message, String signatureBase64) {
        return verify(key, message.getBytes(StandardCharsets.UTF_8), signatureBase64);
    }

    /** Alipay's content to sign: parameters but {@code excluded}, sorted, {@code k=v&...}. */
    public static String sortedParameters(Map<String, String> parameters, String... excluded) {
        Map<String, String> sorted = new TreeMap<>(parameters);
        for (String name : excluded) {
            sorted.remove(name);
        }
        StringBuilder content = new StringBuilder();
        sorted.forEach((name, value) -> {
            if (value == null || value.isEmpty()) {
                return;
            }
            if (content.length() > 0) {
                content.append('&');
            }
            content.append(name).append('=').append(value);
        });
        return content.toString();
    }

    /**
     * AES-256-GCM decryption of a WeChat Pay resource.
     *
     * @return the plaintext, or empty when the tag does not verify or any input is malformed
     */
    public static Optional<String> decrypt(byte[] key, String nonce, String associatedData,
            String ciphertextBase64) {
        try {
            byte[] nonceBytes = nonce.getBytes(StandardCharsets.UTF_8);
            if (nonceBytes.length != GCM_NONCE_BYTES) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(GCM_TAG_BITS, nonceBytes));
            if (associatedData != null) {
                cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            }
            return Optional.of(new String(cipher.doFinal(Base64.getDecoder().decode(
                    ciphertextBase64)), StandardCharsets.UTF_8));
        } catch (AEADBadTagException tampered) {
            return Optional.empty();
        } catch (GeneralSecurityException | IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    /** A random nonce of upper-case letters and digits. */
    public static String nonce(int length) {
        char[] chars = new char[length];
        for (int index = 0; index < length; index++) {
            chars[index] = NONCE_ALPHABET[RANDOM.nextInt(NONCE_ALPHABET.length)];
        }
        return new String(chars);
    }

    public static PrivateKey privateKey(String pem) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(
                    new PKCS8EncodedKeySpec(pemBody(pem)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an RSA PKCS#8 private key in PEM", e);
        }
    }

    public static PublicKey publicKey(String pem) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(
                    new X509EncodedKeySpec(pemBody(pem)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an RSA public key in PEM", e);
        }
    }

    private static byte[] pemBody(String pem) {
        return Base64.getDecoder().decode(
                pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", ""));
    }
}
