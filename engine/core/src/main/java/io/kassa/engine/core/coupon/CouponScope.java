package io.kassa.engine.core.coupon;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.rules.StoreScope;
import java.util.Objects;
import java.util.Set;

/**
 * Where a coupon applies: stores, and lines. A line is eligible when its category is not
 * excluded and either both {@code categories} and {@code skus} are empty (every line) or the
 * line's category or SKU is listed.
 */
public record CouponScope(
        StoreScope stores, Set<String> categories, Set<String> skus,
        Set<String> excludedCategories) {

    public CouponScope {
        Objects.requireNonNull(stores, "stores");
        categories = Set.copyOf(categories);
        skus = Set.copyOf(skus);
        excludedCategories = Set.copyOf(excludedCategories);
    }

    public boolean covers(BasketLine line) {
        if (excludedCategories.contains(line.category())) {
            return false;
        }
        if (categories.isEmpty() && skus.isEmpty()) {
            return true;
        }
        return categories.contains(line.category()) || skus.contains(line.sku());
    }
}
