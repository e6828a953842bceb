package io.kassa.engine.server.checkout;

import java.util.List;
import java.util.Objects;

/**
 * A terminal's request to refund a committed sale, whole or some of its lines.
 *
 * @param key the refund's identity: a retry carries the same key and gets the same answer
 * @param sale the sale to refund, as its checkout named it
 * @param lineNumbers the lines to refund (1-based); empty: every line not yet refunded
 */
public record RefundCommand(RefundKey key, SaleKey sale, List<Integer> lineNumbers,
        String reason) {

    public RefundCommand {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sale, "sale");
        lineNumbers = List.copyOf(lineNumbers);
        Objects.requireNonNull(reason, "reason");
    }

    public boolean wholeOrder() {
        return lineNumbers.isEmpty();
    }

    /** A digest of what a retry must repeat exactly: the sale and the lines asked for. */
    String fingerprint() {
        StringBuilder text = new StringBuilder(64).append(sale.storeId()).append('\u0000')
                .append(sale.terminalId()).append('\u0000').append(sale.saleId())
                .append('\u0000');
        if (wholeOrder()) {
            text.append("WHOLE");
        } else {
            lineNumbers.stream().sorted().distinct()
                    .forEach(line -> text.append(line).append(','));
        }
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest
                    .getInstance("SHA-256").digest(text.toString()
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JDK provides SHA-256", impossible);
        }
    }
}
