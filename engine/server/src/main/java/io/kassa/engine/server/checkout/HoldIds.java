package io.kassa.engine.server.checkout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hold of a sale is named by its sale key, not by an attempt: a retried checkout finds the
 * hold its first attempt placed instead of placing a second one. 128 bits of SHA-256 over the
 * length-prefixed key parts.
 */
public final class HoldIds {

    private HoldIds() {
    }

    public static String of(SaleKey key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {key.storeId(), key.terminalId(), key.saleId()}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                digest.update((byte) (bytes.length >>> 8));
                digest.update((byte) bytes.length);
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JDK provides SHA-256", impossible);
        }
    }
}
