package io.kassa.engine.server.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A retry is told from a different sale by the request fingerprint: equal requests digest
 * equal, and any change to what decides the outcome digests differently, including changes
 * that a naive concatenation would not see.
 */
class RequestFingerprintTest {

    private static final SaleKey KEY = new SaleKey("S1", "T1", "sale-1");

    @Test
    void equalRequestsHaveEqualFingerprints() {
        assertThat(RequestFingerprint.of(command("ab", "c", 100, 2, 200)))
                .isEqualTo(RequestFingerprint.of(command("ab", "c", 100, 2, 200)))
                .hasSize(64);
    }

    @Test
    void everyDecidingFieldChangesTheFingerprint() {
        String base = RequestFingerprint.of(command("ab", "c", 100, 2, 200));
        assertThat(RequestFingerprint.of(command("ab", "c", 100, 2, 300))).isNotEqualTo(base);
        assertThat(RequestFingerprint.of(command("ab", "c", 200, 1, 200))).isNotEqualTo(base);
        assertThat(RequestFingerprint.of(command("ab", "d", 100, 2, 200))).isNotEqualTo(base);
        // "ab" + "c" and "a" + "bc" concatenate alike; the length prefixes keep them apart.
        assertThat(RequestFingerprint.of(command("a", "bc", 100, 2, 200))).isNotEqualTo(base);
    }

    @Test
    void theSaleKeyIsNotPartOfTheFingerprint() {
        CheckoutCommand command = command("ab", "c", 100, 2, 200);
        CheckoutCommand elsewhere = new CheckoutCommand(new SaleKey("S2", "T9", "sale-9"),
                command.currency(), command.lines(), command.lineNames(), command.tenders());
        assertThat(RequestFingerprint.of(elsewhere)).isEqualTo(RequestFingerprint.of(command));
    }

    private static CheckoutCommand command(
            String sku, String category, long priceFen, int quantity, long receivedFen) {
        return new CheckoutCommand(KEY, CurrencyCode.CNY,
                List.of(new BasketLine(sku, category, Money.fen(priceFen), quantity)),
                List.of(""),
                List.of(new Tender(TenderKind.CASH, Money.fen(priceFen * quantity),
                        Money.fen(receivedFen))));
    }
}
