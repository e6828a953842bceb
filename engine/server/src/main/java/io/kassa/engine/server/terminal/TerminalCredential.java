package io.kassa.engine.server.terminal;

import io.kassa.protocol.FrameLimits;
import java.util.Objects;

/**
 * What the engine knows of one provisioned terminal. Holds the secret in clear: keep instances
 * short-lived and never log them ({@link #toString()} leaves the secret out).
 */
public record TerminalCredential(
        String terminalId, String storeId, byte[] secret, boolean disabled) {

    public TerminalCredential {
        Objects.requireNonNull(terminalId, "terminalId");
        Objects.requireNonNull(storeId, "storeId");
        if (secret.length != FrameLimits.TERMINAL_SECRET_BYTES) {
            throw new IllegalArgumentException("a terminal secret has "
                    + FrameLimits.TERMINAL_SECRET_BYTES + " bytes, not " + secret.length);
        }
        secret = secret.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public String toString() {
        return "TerminalCredential{terminalId=" + terminalId + ", storeId=" + storeId
                + ", disabled=" + disabled + "}";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TerminalCredential that && terminalId.equals(that.terminalId)
                && storeId.equals(that.storeId) && disabled == that.disabled
                && java.util.Arrays.equals(secret, that.secret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(terminalId, storeId, disabled);
    }
}
