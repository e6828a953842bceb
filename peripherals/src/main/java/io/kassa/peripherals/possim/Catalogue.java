package io.kassa.peripherals.possim;

import io.kassa.protocol.v1.BasketLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small, realistic shop assortment and a seeded generator of baskets drawn from it. The same
 * seed gives the same sequence of baskets, so that a simulator run can be replayed.
 *
 * <p>Prices are shelf prices in fen (1 yuan = 100 fen), in the range a Chinese supermarket or
 * department store would show. Not thread-safe: one catalogue per generating thread.
 */
public final class Catalogue {

    /** Lines in one generated basket: 1..8. */
    public static final int BASKET_LINES_MIN = 1;
    public static final int BASKET_LINES_MAX = 8;

    /** Units of one generated line: 1..3. */
    public static final int QUANTITY_MIN = 1;
    public static final int QUANTITY_MAX = 3;

    /** One article on the shelf. */
    public record Item(String sku, String name, String category, long unitPriceFen) {
    }

    private static final List<Item> ITEMS = List.of(
            // apparel
            item("APP-0001", "Down jacket, men, black", "apparel", 199_00),
            item("APP-0002", "Cotton T-shirt, white", "apparel", 49_00),
            item("APP-0003", "Denim jeans, slim", "apparel", 159_00),
            item("APP-0004", "Wool scarf", "apparel", 89_90),
            item("APP-0005", "Sports socks, 3 pairs", "apparel", 19_90),
            item("APP-0006", "Hooded sweatshirt", "apparel", 129_00),
            item("APP-0007", "Silk blouse", "apparel", 239_00),
            item("APP-0008", "Baseball cap", "apparel", 39_90),
            // shoes
            item("SHO-0001", "Running shoes", "shoes", 399_00),
            item("SHO-0002", "Canvas sneakers", "shoes", 129_00),
            item("SHO-0003", "Leather loafers", "shoes", 459_00),
            item("SHO-0004", "House slippers", "shoes", 29_90),
            item("SHO-0005", "Rain boots, kids", "shoes", 79_00),
            item("SHO-0006", "Hiking boots", "shoes", 599_00),
            item("SHO-0007", "Shoe insoles", "shoes", 15_80),
            // fresh
            item("FRE-0001", "Bananas, 1 kg", "fresh", 6_98),
            item("FRE-0002", "Fuji apples, 1 kg", "fresh", 12_80),
            item("FRE-0003", "Tomatoes, 500 g", "fresh", 4_50),
            item("FRE-0004", "Pork belly, 500 g", "fresh", 24_90),
            item("FRE-0005", "Chicken drumsticks, 1 kg", "fresh", 21_80),
            item("FRE-0006", "Bok choy, 500 g", "fresh", 3_20),
            item("FRE-0007", "Tofu, firm, 400 g", "fresh", 3_50),
            item("FRE-0008", "Eggs, 10 pack", "fresh", 12_90),
            item("FRE-0009", "Grass carp, whole", "fresh", 18_60),
            // grocery
            item("GRO-0001", "Jasmine rice, 5 kg", "grocery", 45_90),
            item("GRO-0002", "Soy sauce, 500 ml", "grocery", 9_90),
            item("GRO-0003", "Peanut oil, 1.8 l", "grocery", 39_90),
            item("GRO-0004", "Instant noodles, 5 pack", "grocery", 12_50),
            item("GRO-0005", "Dried noodles, 1 kg", "grocery", 8_80),
            item("GRO-0006", "Chili sauce, 280 g", "grocery", 10_50),
            item("GRO-0007", "Sugar, 1 kg", "grocery", 7_90),
            item("GRO-0008", "Green tea, 250 g", "grocery", 68_00),
            item("GRO-0009", "Sunflower seeds, 500 g", "grocery", 15_90),
            // dairy
            item("DAI-0001", "Milk, 250 ml", "dairy", 2_50),
            item("DAI-0002", "Milk, 1 l", "dairy", 13_90),
            item("DAI-0003", "Yogurt, plain, 4 pack", "dairy", 11_90),
            item("DAI-0004", "Cheese slices, 10 pack", "dairy", 18_80),
            item("DAI-0005", "Butter, 200 g", "dairy", 22_00),
            item("DAI-0006", "Drinking yogurt, 1 l", "dairy", 15_50),
            item("DAI-0007", "Milk powder, 800 g", "dairy", 258_00),
            // beverages
            item("BEV-0001", "Mineral water, 550 ml", "beverages", 2_00),
            item("BEV-0002", "Cola, 330 ml can", "beverages", 3_50),
            item("BEV-0003", "Iced tea, 500 ml", "beverages", 3_00),
            item("BEV-0004", "Beer, 500 ml can", "beverages", 6_50),
            item("BEV-0005", "Orange juice, 1 l", "beverages", 16_80),
            item("BEV-0006", "Instant coffee, 30 sachets", "beverages", 49_90),
            item("BEV-0007", "Baijiu, 500 ml", "beverages", 128_00),
            item("BEV-0008", "Red wine, 750 ml", "beverages", 89_00),
            // household
            item("HOU-0001", "Toilet paper, 10 rolls", "household", 29_90),
            item("HOU-0002", "Laundry detergent, 3 kg", "household", 42_90),
            item("HOU-0003", "Dish soap, 1.5 kg", "household", 16_90),
            item("HOU-0004", "Toothpaste, 120 g", "household", 14_50),
            item("HOU-0005", "Shampoo, 750 ml", "household", 59_90),
            item("HOU-0006", "Trash bags, 100 pack", "household", 12_80),
            item("HOU-0007", "AA batteries, 4 pack", "household", 19_80),
            item("HOU-0008", "Towel, cotton", "household", 25_00),
            // tobacco
            item("TOB-0001", "Cigarettes, Zhonghua, pack", "tobacco", 45_00),
            item("TOB-0002", "Cigarettes, Hongtashan, pack", "tobacco", 10_00),
            item("TOB-0003", "Cigarettes, Yuxi, pack", "tobacco", 23_00),
            item("TOB-0004", "Cigarettes, Huanghelou, pack", "tobacco", 19_00),
            item("TOB-0005", "Lighter", "tobacco", 2_00));

    private final Random random;

    public Catalogue(long seed) {
        this.random = new Random(seed);
    }

    /** Every article, in a fixed order. */
    public static List<Item> items() {
        return ITEMS;
    }

    /**
     * The next basket: 1..8 lines of distinct articles, each of 1..3 units. Distinct articles
     * because a till adds a second scan of the same article to its line.
     */
    public List<BasketLine> nextBasket() {
        int lineCount = BASKET_LINES_MIN
                + random.nextInt(BASKET_LINES_MAX - BASKET_LINES_MIN + 1);
        List<Item> shuffled = new ArrayList<>(ITEMS);
        List<BasketLine> lines = new ArrayList<>(lineCount);
        for (int i = 0; i < lineCount; i++) {
            // A partial Fisher-Yates shuffle: draws without replacement in O(lineCount).
            int pick = i + random.nextInt(shuffled.size() - i);
            Item item = shuffled.get(pick);
            shuffled.set(pick, shuffled.get(i));
            shuffled.set(i, item);
            int quantity = QUANTITY_MIN + random.nextInt(QUANTITY_MAX - QUANTITY_MIN + 1);
            lines.add(BasketLine.newBuilder()
                    .setSku(item.sku())
                    .setCategory(item.category())
                    .setName(item.name())
                    .setUnitPriceFen(item.unitPriceFen())
                    .setQuantity(quantity)
                    .build());
        }
        assert lines.size() >= BASKET_LINES_MIN && lines.size() <= BASKET_LINES_MAX;
        return lines;
    }

    /** Sum of unit price times quantity over the lines: what a quote without discounts asks. */
    public static long grossFen(List<BasketLine> lines) {
        long totalFen = 0;
        for (BasketLine line : lines) {
            totalFen = Math.addExact(totalFen,
                    Math.multiplyExact(line.getUnitPriceFen(), line.getQuantity()));
        }
        return totalFen;
    }

    private static Item item(String sku, String name, String category, long unitPriceFen) {
        return new Item(sku, name, category, unitPriceFen);
    }
}
