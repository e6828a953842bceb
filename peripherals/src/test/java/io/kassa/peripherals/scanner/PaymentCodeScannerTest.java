package io.kassa.peripherals.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The scanner model produces valid, distinct, repeatable codes for each wallet and the bad
 * reads a real scanner delivers; checked against each wallet's own pattern.
 */
class PaymentCodeScannerTest {

    @Test
    void codesAreValidForTheirWalletOnlyAndDistinct() {
        PaymentCodeScanner scanner = new PaymentCodeScanner(1);
        for (Wallet wallet : Wallet.values()) {
            Set<String> seen = new HashSet<>();
            for (int index = 0; index < 500; index++) {
                String code = scanner.next(wallet);
                assertThat(wallet.accepts(code)).as(code).isTrue();
                for (Wallet other : Wallet.values()) {
                    if (other != wallet) {
                        assertThat(other.accepts(code)).as(code).isFalse();
                    }
                }
                assertThat(seen.add(code)).isTrue();
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameCodes() {
        assertThat(new PaymentCodeScanner(9).next(Wallet.ALIPAY))
                .isEqualTo(new PaymentCodeScanner(9).next(Wallet.ALIPAY));
    }

    @Test
    void badReadsAreRejectedByEveryWallet() {
        PaymentCodeScanner scanner = new PaymentCodeScanner(3);
        for (Wallet wallet : Wallet.values()) {
            if (wallet != Wallet.ALIPAY) {
                // Alipay codes vary in length (16..24): one digit short can still be valid.
                assertThat(wallet.accepts(scanner.truncated(wallet))).isFalse();
            }
            assertThat(wallet.accepts(scanner.smudged(wallet))).isFalse();
            assertThat(wallet.accepts(scanner.withLineEnd(wallet).strip())).isTrue();
        }
    }
}
