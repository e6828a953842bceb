package io.kassa.engine.core.rules;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a store group (a format: supermarket, clothing) changes of the chain's rules. Category
 * rates are merged over the chain's, category by category; bonuses and redemption, when
 * present, replace the chain's.
 */
public record StoreGroupOverride(
        String groupId, Map<String, EarningRate> categoryRates, Optional<BonusRules> bonuses,
        Optional<RedemptionRule> redemption) {

    public StoreGroupOverride {
        Objects.requireNonNull(groupId, "groupId");
        categoryRates = Map.copyOf(categoryRates);
        Objects.requireNonNull(bonuses, "bonuses");
        Objects.requireNonNull(redemption, "redemption");
    }
}
