package io.kassa.peripherals.possim;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.protocol.FrameLimits;
import io.kassa.protocol.MessageValidator;
import io.kassa.protocol.ProtocolException;
import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.QuoteRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Checks that the catalogue is realistic and that its baskets are reproducible from a seed and
 * stay within the protocol's limits, by drawing thousands of baskets and asserting on each.
 */
class CatalogueTest {

    private static final int BASKETS = 5_000;

    @Test
    void sameSeedGivesTheSameBaskets() {
        Catalogue first = new Catalogue(42);
        Catalogue second = new Catalogue(42);

        for (int i = 0; i < 100; i++) {
            assertThat(second.nextBasket()).isEqualTo(first.nextBasket());
        }
    }

    @Test
    void differentSeedsGiveDifferentBaskets() {
        List<List<BasketLine>> first = draw(new Catalogue(1), 20);
        List<List<BasketLine>> second = draw(new Catalogue(2), 20);

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void basketsStayWithinTheProtocolLimits() throws ProtocolException {
        Catalogue catalogue = new Catalogue(7);
        Set<Integer> lineCountsSeen = new HashSet<>();
        Set<Integer> quantitiesSeen = new HashSet<>();

        for (List<BasketLine> basket : draw(catalogue, BASKETS)) {
            assertThat(basket.size()).isBetween(Catalogue.BASKET_LINES_MIN,
                    Catalogue.BASKET_LINES_MAX).isLessThanOrEqualTo(FrameLimits.BASKET_LINES_MAX);
            assertThat(basket).extracting(BasketLine::getSku).doesNotHaveDuplicates();
            lineCountsSeen.add(basket.size());
            for (BasketLine line : basket) {
                assertThat(line.getQuantity()).isBetween(Catalogue.QUANTITY_MIN,
                        Catalogue.QUANTITY_MAX);
                assertThat(line.getUnitPriceFen()).isPositive();
                assertThat(line.getSku().length()).isBetween(1, FrameLimits.IDENTIFIER_CHARS_MAX);
                assertThat(line.getCategory().length())
                        .isBetween(1, FrameLimits.IDENTIFIER_CHARS_MAX);
                assertThat(line.getName().length()).isBetween(1, FrameLimits.NAME_CHARS_MAX);
                quantitiesSeen.add(line.getQuantity());
            }
            assertThat(Catalogue.grossFen(basket)).isPositive();
            // The protocol's own validator, the one the engine runs, accepts the basket.
            MessageValidator.validate(Envelope.newBuilder().setRequestId(1).setQuoteRequest(
                    QuoteRequest.newBuilder().setCurrency("CNY").addAllLines(basket)).build());
        }
        // Both ends of each range are reached, not only the middle.
        assertThat(lineCountsSeen).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(quantitiesSeen).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void catalogueCoversEveryCategoryWithUniqueSkusAndRealisticPrices() {
        List<Catalogue.Item> items = Catalogue.items();

        assertThat(items).hasSizeBetween(50, 70);
        assertThat(items).extracting(Catalogue.Item::sku).doesNotHaveDuplicates();
        assertThat(items).extracting(Catalogue.Item::category).containsOnly("apparel", "shoes",
                "fresh", "grocery", "dairy", "beverages", "household", "tobacco");
        assertThat(items).extracting(Catalogue.Item::category).contains("apparel", "shoes",
                "fresh", "grocery", "dairy", "beverages", "household", "tobacco");
        // From a 2-yuan bottle of water to a 599-yuan pair of boots.
        assertThat(items).allSatisfy(item ->
                assertThat(item.unitPriceFen()).isBetween(1_00L, 1_000_00L));
        assertThat(items).anySatisfy(item -> {
            assertThat(item.name()).isEqualTo("Milk, 250 ml");
            assertThat(item.unitPriceFen()).isEqualTo(2_50);
        });
    }

    private static List<List<BasketLine>> draw(Catalogue catalogue, int count) {
        List<List<BasketLine>> baskets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            baskets.add(catalogue.nextBasket());
        }
        return baskets;
    }
}
