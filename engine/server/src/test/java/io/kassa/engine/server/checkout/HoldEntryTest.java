package io.kassa.engine.server.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.checkout.MemberBalances.HoldEntry;
import io.vertx.core.json.JsonArray;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hold's index entry is added and removed by its encoded string, so the encoding must be the
 * JSON encoder's, byte for byte, whatever characters the ids have, and must decode back.
 */
class HoldEntryTest {

    @Test
    void plainIdsAreEncodedExactlyAsTheJsonEncoderDoes() {
        HoldEntry entry = new HoldEntry("member-0042", "9f86d081884c7d659a2feaa0c55ad015",
                new SaleKey("store-001", "L-store-001-1", "kx3-17/a b:c"));
        assertThat(entry.encoded()).isEqualTo(jsonOf(entry))
                .isEqualTo("[\"member-0042\",\"9f86d081884c7d659a2feaa0c55ad015\","
                        + "\"store-001\",\"L-store-001-1\",\"kx3-17/a b:c\"]");
        assertThat(HoldEntry.decode(entry.encoded())).isEqualTo(entry);
    }

    @Test
    void idsThatNeedEscapingAreEncodedByTheJsonEncoder() {
        for (String saleId : List.of("quote\"d", "back\\slash", "tab\there", "caf\u00e9",
                "\u6536\u94f6", "del\u007f")) {
            HoldEntry entry = new HoldEntry("m", "h", new SaleKey("s", "t", saleId));
            assertThat(entry.encoded()).as(saleId).isEqualTo(jsonOf(entry));
            assertThat(HoldEntry.decode(entry.encoded())).isEqualTo(entry);
        }
    }

    private static String jsonOf(HoldEntry entry) {
        return new JsonArray(List.of(entry.memberId(), entry.holdId(), entry.sale().storeId(),
                entry.sale().terminalId(), entry.sale().saleId())).encode();
    }
}
