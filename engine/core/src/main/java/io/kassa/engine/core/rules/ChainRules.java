package io.kassa.engine.core.rules;

import io.kassa.engine.core.coupon.CouponTemplate;
import io.kassa.engine.core.money.CurrencyCode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A chain's complete, immutable rules: earning per category, tiers, campaigns, bonuses,
 * redemption, expiry, engagement rewards, coupon templates, stores, and overrides per store
 * group. Build with {@link #of}; check with {@link RulesValidator} before use. The rules in
 * force at each store are merged once, here, so that a quote only looks them up.
 */
public final class ChainRules {

    private final String chainId;
    private final CurrencyCode currency;
    private final Map<String, EarningRate> categoryRates;
    private final TierLadder tiers;
    private final List<Campaign> campaigns;
    private final BonusRules bonuses;
    private final RedemptionRule redemption;
    private final ExpiryPolicy expiry;
    private final EngagementRewards engagement;
    private final List<CouponTemplate> couponTemplates;
    private final List<CouponExchangeOffer> couponExchanges;
    private final List<Store> stores;
    private final Map<String, StoreGroupOverride> storeGroupOverrides;
    private final int dormancyDays;
    private final Map<String, StoreRules> rulesByStore;

    private ChainRules(Builder builder) {
        this.chainId = Objects.requireNonNull(builder.chainId, "chainId");
        this.currency = Objects.requireNonNull(builder.currency, "currency");
        this.categoryRates = Map.copyOf(builder.categoryRates);
        this.tiers = Objects.requireNonNull(builder.tiers, "tiers");
        this.campaigns = List.copyOf(builder.campaigns);
        this.bonuses = Objects.requireNonNull(builder.bonuses, "bonuses");
        this.redemption = Objects.requireNonNull(builder.redemption, "redemption");
        this.expiry = Objects.requireNonNull(builder.expiry, "expiry");
        this.engagement = Objects.requireNonNull(builder.engagement, "engagement");
        this.couponTemplates = List.copyOf(builder.couponTemplates);
        this.couponExchanges = List.copyOf(builder.couponExchanges);
        this.stores = List.copyOf(builder.stores);
        this.storeGroupOverrides = Map.copyOf(builder.storeGroupOverrides);
        this.dormancyDays = builder.dormancyDays;
        Map<String, StoreRules> merged = new HashMap<>();
        for (Store store : stores) {
            merged.put(store.storeId(), merge(store));
        }
        this.rulesByStore = Map.copyOf(merged);
    }

    private StoreRules merge(Store store) {
        StoreGroupOverride override = storeGroupOverrides.get(store.groupId());
        if (override == null) {
            return new StoreRules(store, categoryRates, bonuses, redemption);
        }
        Map<String, EarningRate> rates = new LinkedHashMap<>(categoryRates);
        rates.putAll(override.categoryRates());
        return new StoreRules(store, rates, override.bonuses().orElse(bonuses),
                override.redemption().orElse(redemption));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The rules in force at a store, or empty when the chain has no such store. */
    public Optional<StoreRules> forStore(String storeId) {
        return Optional.ofNullable(rulesByStore.get(storeId));
    }

    public Optional<CouponTemplate> couponTemplate(String templateId) {
        for (CouponTemplate template : couponTemplates) {
            if (template.templateId().equals(templateId)) {
                return Optional.of(template);
            }
        }
        return Optional.empty();
    }

    public String chainId() {
        return chainId;
    }

    public CurrencyCode currency() {
        return currency;
    }

    public Map<String, EarningRate> categoryRates() {
        return categoryRates;
    }

    public TierLadder tiers() {
        return tiers;
    }

    public List<Campaign> campaigns() {
        return campaigns;
    }

    public BonusRules bonuses() {
        return bonuses;
    }

    public RedemptionRule redemption() {
        return redemption;
    }

    public ExpiryPolicy expiry() {
        return expiry;
    }

    public EngagementRewards engagement() {
        return engagement;
    }

    public List<CouponTemplate> couponTemplates() {
        return couponTemplates;
    }

    public List<CouponExchangeOffer> couponExchanges() {
        return couponExchanges;
    }

    public List<Store> stores() {
        return stores;
    }

    public Map<String, StoreGroupOverride> storeGroupOverrides() {
        return storeGroupOverrides;
    }

    public int dormancyDays() {
        return dormancyDays;
    }

    /** Collects a chain's rules; every list and map is copied when {@link #build()} runs. */
    public static final class Builder {
        private String chainId;
        private CurrencyCode currency = CurrencyCode.CNY;
        private Map<String, EarningRate> categoryRates = Map.of();
        private TierLadder tiers;
        private List<Campaign> campaigns = List.of();
        private BonusRules bonuses = new BonusRules(List.of(), FirstOrderBonus.NONE);
        private RedemptionRule redemption;
        private ExpiryPolicy expiry;
        private EngagementRewards engagement = new EngagementRewards(0, 0, 0, 0, 1, 0, 0, 0);
        private List<CouponTemplate> couponTemplates = List.of();
        private List<CouponExchangeOffer> couponExchanges = List.of();
        private List<Store> stores = List.of();
        private Map<String, StoreGroupOverride> storeGroupOverrides = Map.of();
        private int dormancyDays = 90;

        private Builder() {
        }

        public Builder chainId(String value) {
            chainId = value;
            return this;
        }

        public Builder currency(CurrencyCode value) {
            currency = value;
            return this;
        }

        public Builder categoryRates(Map<String, EarningRate> value) {
            categoryRates = value;
            return this;
        }

        public Builder tiers(TierLadder value) {
            tiers = value;
            return this;
        }

        public Builder campaigns(List<Campaign> value) {
            campaigns = value;
            return this;
        }

        public Builder bonuses(BonusRules value) {
            bonuses = value;
            return this;
        }

        public Builder redemption(RedemptionRule value) {
            redemption = value;
            return this;
        }

        public Builder expiry(ExpiryPolicy value) {
            expiry = value;
            return this;
        }

        public Builder engagement(EngagementRewards value) {
            engagement = value;
            return this;
        }

        public Builder couponTemplates(List<CouponTemplate> value) {
            couponTemplates = value;
            return this;
        }

        public Builder couponExchanges(List<CouponExchangeOffer> value) {
            couponExchanges = value;
            return this;
        }

        public Builder stores(List<Store> value) {
            stores = value;
            return this;
        }

        public Builder storeGroupOverrides(Map<String, StoreGroupOverride> value) {
            storeGroupOverrides = value;
            return this;
        }

        public Builder dormancyDays(int value) {
            dormancyDays = value;
            return this;
        }

        public ChainRules build() {
            return new ChainRules(this);
        }
    }
}
