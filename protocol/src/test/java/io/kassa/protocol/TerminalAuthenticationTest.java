package io.kassa.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

// Goal: pin the authentication proof to SPEC.md's definition, so that a terminal written in any
// language computes the same bytes; method: the worked example (computed independently with
// Python's hmac), and each input changed by one byte must change the proof.
class TerminalAuthenticationTest {

    private static final byte[] SECRET = GoldenFrames.SECRET;
    private static final byte[] NONCE = GoldenFrames.NONCE;

    @Test
    void proofOfTheWorkedExampleMatchesTheSpecification() {
        byte[] proof = TerminalAuthentication.proof(SECRET, NONCE, "T-0001", "S-042");

        assertThat(HexFormat.of().formatHex(proof)).isEqualTo(GoldenFrames.PROOF_HEX);
        assertThat(proof).hasSize(FrameLimits.AUTH_PROOF_BYTES);
        assertThat(TerminalAuthentication.verify(SECRET, NONCE, "T-0001", "S-042", proof))
                .isTrue();
    }

    @Test
    void anyChangedInputFailsVerification() {
        byte[] proof = TerminalAuthentication.proof(SECRET, NONCE, "T-0001", "S-042");
        byte[] otherSecret = SECRET.clone();
        otherSecret[31] ^= 1;
        byte[] otherNonce = NONCE.clone();
        otherNonce[0] ^= 1;

        assertThat(TerminalAuthentication.verify(otherSecret, NONCE, "T-0001", "S-042", proof))
                .isFalse();
        assertThat(TerminalAuthentication.verify(SECRET, otherNonce, "T-0001", "S-042", proof))
                .isFalse();
        assertThat(TerminalAuthentication.verify(SECRET, NONCE, "T-0002", "S-042", proof))
                .isFalse();
        assertThat(TerminalAuthentication.verify(SECRET, NONCE, "T-0001", "S-043", proof))
                .isFalse();
    }

    @Test
    void lengthPrefixesKeepShiftedIdentifiersApart() {
        // Without the length prefixes "T-1" + "S-10" and "T-1S" + "-10" would be one message.
        assertThat(TerminalAuthentication.proof(SECRET, NONCE, "T-1", "S-10"))
                .isNotEqualTo(TerminalAuthentication.proof(SECRET, NONCE, "T-1S", "-10"));
    }

    @Test
    void truncatedProofFailsVerification() {
        byte[] proof = TerminalAuthentication.proof(SECRET, NONCE, "T-0001", "S-042");
        byte[] truncated = java.util.Arrays.copyOf(proof, proof.length - 1);

        assertThat(TerminalAuthentication.verify(SECRET, NONCE, "T-0001", "S-042", truncated))
                .isFalse();
    }

    @Test
    void secretOfAnotherLengthIsRefused() {
        assertThatThrownBy(() -> TerminalAuthentication.proof(new byte[31], NONCE, "T", "S"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void secretsPrintAndParseAsSixtyFourHexDigits() {
        byte[] secret = TerminalAuthentication.newSecret(new SecureRandom());
        String printed = TerminalAuthentication.formatSecret(secret);

        assertThat(printed).hasSize(FrameLimits.TERMINAL_SECRET_BYTES * 2).matches("[0-9a-f]+");
        assertThat(TerminalAuthentication.parseSecret(printed)).isEqualTo(secret);
        assertThatThrownBy(() -> TerminalAuthentication.parseSecret(printed.substring(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void demoSecretsDifferPerTerminalAndStoreAndAreStable() {
        byte[] first = TerminalAuthentication.demoSecret("seed-of-the-demo", "S1", "T1");

        assertThat(first).hasSize(FrameLimits.TERMINAL_SECRET_BYTES)
                .isEqualTo(TerminalAuthentication.demoSecret("seed-of-the-demo", "S1", "T1"))
                .isNotEqualTo(TerminalAuthentication.demoSecret("seed-of-the-demo", "S1", "T2"))
                .isNotEqualTo(TerminalAuthentication.demoSecret("seed-of-the-demo", "S2", "T1"))
                .isNotEqualTo(TerminalAuthentication.demoSecret("another-seed-xx", "S1", "T1"));
    }
}
