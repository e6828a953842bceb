package io.kassa.engine.server.checkout;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.tender.Tender;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 digest of everything in a checkout that decides its outcome (currency, lines,
 * member, tenders), over a canonical length-prefixed encoding so that no two different requests can
 * produce the same input bytes. A retry must carry the same fingerprint; the same sale id with
 * another fingerprint is a conflict, not a retry.
 */
public final class RequestFingerprint {

    private RequestFingerprint() {
    }

    public static String of(CheckoutCommand command) {
        MessageDigest digest = sha256();
        update(digest, command.currency().name());
        updateLong(digest, command.lines().size());
        for (int index = 0; index < command.lines().size(); index++) {
            BasketLine line = command.lines().get(index);
            update(digest, line.sku());
            update(digest, line.category());
            update(digest, command.lineNames().get(index));
            updateLong(digest, line.unitPrice().amountMinor());
            updateLong(digest, line.quantity());
        }
        update(digest, command.memberCode().orElse(""));
        updateLong(digest, command.tenders().size());
        for (int index = 0; index < command.tenders().size(); index++) {
            Tender tender = command.tenders().get(index);
            update(digest, tender.kind().name());
            updateLong(digest, tender.amount().amountMinor());
            updateLong(digest, tender.received().amountMinor());
            update(digest, command.tenderReferences().get(index));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void update(MessageDigest digest, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        updateLong(digest, bytes.length);
        digest.update(bytes);
    }

    private static void updateLong(MessageDigest digest, long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            digest.update((byte) (value >>> shift));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JDK provides SHA-256", impossible);
        }
    }
}
