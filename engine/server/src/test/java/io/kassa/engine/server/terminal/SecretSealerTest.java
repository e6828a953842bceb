package io.kassa.engine.server.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

// Goal: sealed terminal secrets open only with their key and on their own row, and a sealed row
// without a key is an operating error, never a silent mismatch; method: seal and open in memory.
class SecretSealerTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Test
    void sealedSecretOpensWithItsKeyAndTerminal() {
        SecretSealer sealer = new SecretSealer(Optional.of(bytes(32)), RANDOM);
        byte[] secret = bytes(32);

        byte[] sealed = sealer.seal("T1", secret);

        assertThat(sealer.sealing()).isEqualTo(SecretSealer.AES_256_GCM);
        assertThat(sealed).hasSize(SecretSealer.SEALED_BYTES);
        assertThat(java.util.Arrays.copyOfRange(sealed, SecretSealer.IV_BYTES,
                SecretSealer.IV_BYTES + secret.length)).isNotEqualTo(secret);
        assertThat(sealer.open("T1", SecretSealer.AES_256_GCM, sealed)).isEqualTo(secret);
    }

    @Test
    void sealedSecretMovedToAnotherTerminalDoesNotOpen() {
        SecretSealer sealer = new SecretSealer(Optional.of(bytes(32)), RANDOM);
        byte[] sealed = sealer.seal("T1", bytes(32));

        assertThatThrownBy(() -> sealer.open("T2", SecretSealer.AES_256_GCM, sealed))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anotherKeyOrNoKeyCannotOpen() {
        byte[] sealed = new SecretSealer(Optional.of(bytes(32)), RANDOM).seal("T1", bytes(32));

        assertThatThrownBy(() -> new SecretSealer(Optional.of(bytes(32)), RANDOM)
                .open("T1", SecretSealer.AES_256_GCM, sealed))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new SecretSealer(Optional.empty(), RANDOM)
                .open("T1", SecretSealer.AES_256_GCM, sealed))
                .hasMessageContaining("KASSA_TERMINAL_SECRET_KEY is not set");
    }

    @Test
    void withoutAKeySecretsAreStoredPlain() {
        SecretSealer sealer = new SecretSealer(Optional.empty(), RANDOM);
        byte[] secret = bytes(32);

        assertThat(sealer.sealing()).isEqualTo(SecretSealer.PLAIN);
        assertThat(sealer.open("T1", SecretSealer.PLAIN, sealer.seal("T1", secret)))
                .isEqualTo(secret);
    }

    @Test
    void keyOfAnotherLengthIsRefused() {
        assertThatThrownBy(() -> new SecretSealer(Optional.of(bytes(31)), RANDOM))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
