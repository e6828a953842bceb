package io.kassa.engine.core.rules;

import java.util.Map;
import java.util.Optional;

/** The rules in force at one store: the chain's, with the store group's override merged in. */
public record StoreRules(
        Store store, Map<String, EarningRate> categoryRates, BonusRules bonuses,
        RedemptionRule redemption) {

    public StoreRules {
        categoryRates = Map.copyOf(categoryRates);
    }

    public Optional<EarningRate> rateOf(String category) {
        return Optional.ofNullable(categoryRates.get(category));
    }
}
