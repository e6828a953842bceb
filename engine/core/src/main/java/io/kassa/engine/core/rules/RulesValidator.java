package io.kassa.engine.core.rules;

import io.kassa.engine.core.coupon.CouponBenefit;
import io.kassa.engine.core.coupon.CouponCondition;
import io.kassa.engine.core.coupon.CouponKind;
import io.kassa.engine.core.coupon.CouponTemplate;
import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.money.Rational;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a chain's rules and reports every problem, not just the first, each naming the field
 * by its path in the JSON rules format ({@code docs/rules-format.md}) and saying what is wrong.
 */
public final class RulesValidator {

    /** Limits on a configuration's size, so a bad file cannot slow every quote. */
    public static final int CAMPAIGNS_MAX = 64;
    public static final int COUPON_TEMPLATES_MAX = 1_000;
    public static final int TIERS_MAX = 16;

    private final List<RulesProblem> problems = new ArrayList<>();

    private RulesValidator() {
    }

    /** Every problem of {@code rules}; empty when the rules can be used. */
    public static List<RulesProblem> validate(ChainRules rules) {
        RulesValidator validator = new RulesValidator();
        validator.check(rules);
        return List.copyOf(validator.problems);
    }

    /** The rules, or a rejection {@link RejectionCode#INVALID_RULES} listing every problem. */
    public static Decision<ChainRules> validated(ChainRules rules) {
        List<RulesProblem> problems = validate(rules);
        if (problems.isEmpty()) {
            return Decision.accept(rules);
        }
        return Decision.reject(RejectionCode.INVALID_RULES, problems.stream()
                .map(RulesProblem::toString).collect(Collectors.joining("; ")));
    }

    private void problem(String path, String text) {
        problems.add(new RulesProblem(path, text));
    }

    private void check(ChainRules rules) {
        if (rules.chainId().isBlank()) {
            problem("chainId", "must not be blank");
        }
        if (rules.categoryRates().isEmpty()) {
            problem("categories", "must name at least one category");
        }
        checkRates("categories", rules.categoryRates());
        checkTiers(rules.tiers());
        Set<String> storeIds = new HashSet<>();
        Set<String> groupIds = new HashSet<>();
        checkStores(rules.stores(), storeIds, groupIds);
        checkCampaigns(rules.campaigns(), storeIds, groupIds);
        checkBonuses("bonuses", rules.bonuses());
        checkRedemption("redemption", rules.redemption());
        checkExpiry(rules.expiry());
        checkEngagement(rules.engagement());
        Set<String> templateIds = checkTemplates(rules, storeIds, groupIds);
        Set<String> offerIds = new HashSet<>();
        for (int index = 0; index < rules.couponExchanges().size(); index++) {
            CouponExchangeOffer offer = rules.couponExchanges().get(index);
            String path = "couponExchanges[" + index + "]";
            if (!offer.offerId().matches(CouponExchangeOffer.ID_PATTERN)) {
                problem(path + ".id", "must match " + CouponExchangeOffer.ID_PATTERN + ", is '"
                        + offer.offerId() + "'");
            } else if (!offerIds.add(offer.offerId())) {
                problem(path + ".id", "is not unique: " + offer.offerId());
            }
            if (offer.stock().isPresent() && (offer.stock().getAsLong() <= 0
                    || offer.stock().getAsLong() > CouponExchangeOffer.STOCK_MAX)) {
                problem(path + ".stock", "must be within 1.." + CouponExchangeOffer.STOCK_MAX
                        + ", is " + offer.stock().getAsLong());
            }
            if (offer.pointsCost() <= 0) {
                problem(path + ".pointsCost", "must be > 0, is " + offer.pointsCost());
            }
            if (!templateIds.contains(offer.couponTemplateId())) {
                problem(path + ".couponTemplateId",
                        "names no coupon template: " + offer.couponTemplateId());
            }
        }
        for (Map.Entry<String, StoreGroupOverride> entry
                : rules.storeGroupOverrides().entrySet()) {
            String path = "storeGroups." + entry.getKey();
            StoreGroupOverride override = entry.getValue();
            if (!groupIds.contains(entry.getKey())) {
                problem(path, "no store belongs to group " + entry.getKey());
            }
            checkRates(path + ".categories", override.categoryRates());
            for (String category : override.categoryRates().keySet()) {
                if (!rules.categoryRates().containsKey(category)) {
                    problem(path + ".categories." + category,
                            "is not a category of the chain");
                }
            }
            override.bonuses().ifPresent(bonuses -> checkBonuses(path + ".bonuses", bonuses));
            override.redemption().ifPresent(rule -> checkRedemption(path + ".redemption", rule));
        }
        if (rules.dormancyDays() <= 0) {
            problem("dormancyDays", "must be > 0, is " + rules.dormancyDays());
        }
    }

    private void checkRates(String path, Map<String, EarningRate> rates) {
        for (Map.Entry<String, EarningRate> entry : rates.entrySet()) {
            String ratePath = path + "." + entry.getKey();
            if (entry.getKey().isBlank()) {
                problem(ratePath, "a category name must not be blank");
            }
            if (entry.getValue() instanceof EarningRate.PerYuan perYuan
                    && perYuan.pointsPerYuan().signum() < 0) {
                problem(ratePath + ".pointsPerYuan", "must be >= 0, is "
                        + perYuan.pointsPerYuan());
            }
            if (entry.getValue() instanceof EarningRate.PerItem perItem
                    && perItem.pointsPerItem() < 0) {
                problem(ratePath + ".pointsPerItem", "must be >= 0, is "
                        + perItem.pointsPerItem());
            }
        }
    }

    private void checkTiers(TierLadder ladder) {
        List<Tier> tiers = ladder.tiers();
        if (tiers.isEmpty()) {
            problem("tiers", "must list at least one tier");
            return;
        }
        if (tiers.size() > TIERS_MAX) {
            problem("tiers", "at most " + TIERS_MAX + " tiers, has " + tiers.size());
        }
        if (tiers.get(0).lifetimePointsThreshold() != 0) {
            problem("tiers[0].lifetimePoints", "the first tier must start at 0, starts at "
                    + tiers.get(0).lifetimePointsThreshold());
        }
        Set<String> names = new HashSet<>();
        for (int index = 0; index < tiers.size(); index++) {
            Tier tier = tiers.get(index);
            String path = "tiers[" + index + "]";
            if (tier.name().isBlank()) {
                problem(path + ".name", "must not be blank");
            } else if (!names.add(tier.name())) {
                problem(path + ".name", "duplicate tier " + tier.name());
            }
            if (tier.multiplier().signum() <= 0) {
                problem(path + ".multiplier", "must be > 0, is " + tier.multiplier());
            }
            if (index > 0 && tier.lifetimePointsThreshold()
                    <= tiers.get(index - 1).lifetimePointsThreshold()) {
                problem(path + ".lifetimePoints", "must be above the previous tier's "
                        + tiers.get(index - 1).lifetimePointsThreshold() + ", is "
                        + tier.lifetimePointsThreshold());
            }
        }
    }

    private void checkStores(List<Store> stores, Set<String> storeIds, Set<String> groupIds) {
        if (stores.isEmpty()) {
            problem("stores", "must list at least one store");
        }
        for (int index = 0; index < stores.size(); index++) {
            Store store = stores.get(index);
            String path = "stores[" + index + "]";
            if (store.storeId().isBlank()) {
                problem(path + ".id", "must not be blank");
            } else if (!storeIds.add(store.storeId())) {
                problem(path + ".id", "duplicate store " + store.storeId());
            }
            if (store.groupId().isBlank()) {
                problem(path + ".group", "must not be blank");
            }
            groupIds.add(store.groupId());
        }
    }

    private void checkScope(String path, StoreScope scope, Set<String> storeIds,
            Set<String> groupIds) {
        for (String storeId : scope.storeIds()) {
            if (!storeIds.contains(storeId)) {
                problem(path + ".stores", "names an unknown store: " + storeId);
            }
        }
        for (String groupId : scope.storeGroupIds()) {
            if (!groupIds.contains(groupId)) {
                problem(path + ".storeGroups", "names an unknown store group: " + groupId);
            }
        }
    }

    private void checkCampaigns(List<Campaign> campaigns, Set<String> storeIds,
            Set<String> groupIds) {
        if (campaigns.size() > CAMPAIGNS_MAX) {
            problem("campaigns", "at most " + CAMPAIGNS_MAX + " campaigns, has "
                    + campaigns.size());
        }
        Set<String> ids = new HashSet<>();
        for (int index = 0; index < campaigns.size(); index++) {
            Campaign campaign = campaigns.get(index);
            String path = "campaigns[" + index + "]";
            if (campaign.id().isBlank()) {
                problem(path + ".id", "must not be blank");
            } else if (!ids.add(campaign.id())) {
                problem(path + ".id", "duplicate campaign " + campaign.id());
            }
            if (campaign.multiplier().signum() <= 0) {
                problem(path + ".multiplier", "must be > 0, is " + campaign.multiplier());
            }
            if (campaign.trigger() instanceof CampaignTrigger.MemberDay memberDay
                    && memberDay.days().isEmpty()) {
                problem(path + ".memberDay", "must name at least one weekday");
            }
            if (campaign.trigger() instanceof CampaignTrigger.Holiday holiday
                    && holiday.lastDay().isBefore(holiday.firstDay())) {
                problem(path + ".holiday.lastDay", "must not be before firstDay "
                        + holiday.firstDay() + ", is " + holiday.lastDay());
            }
            if (campaign.trigger() instanceof CampaignTrigger.StoreAnniversary anniversary
                    && (anniversary.days() < 1 || anniversary.days() > 31)) {
                problem(path + ".storeAnniversary.days", "must be 1 to 31, is "
                        + anniversary.days());
            }
            checkScope(path, campaign.scope(), storeIds, groupIds);
        }
    }

    private void checkBonuses(String path, BonusRules bonuses) {
        Set<Long> thresholds = new HashSet<>();
        for (int index = 0; index < bonuses.spendThresholds().size(); index++) {
            SpendBonus bonus = bonuses.spendThresholds().get(index);
            String bonusPath = path + ".spendThresholds[" + index + "]";
            if (bonus.thresholdFen() <= 0) {
                problem(bonusPath + ".thresholdFen", "must be > 0, is " + bonus.thresholdFen());
            } else if (!thresholds.add(bonus.thresholdFen())) {
                problem(bonusPath + ".thresholdFen", "duplicate threshold "
                        + bonus.thresholdFen());
            }
            if (bonus.points() <= 0) {
                problem(bonusPath + ".points", "must be > 0, is " + bonus.points());
            }
        }
        if (bonuses.firstOrder().minimumNetFen() < 0) {
            problem(path + ".firstOrder.minimumNetFen", "must be >= 0, is "
                    + bonuses.firstOrder().minimumNetFen());
        }
        if (bonuses.firstOrder().points() < 0) {
            problem(path + ".firstOrder.points", "must be >= 0, is "
                    + bonuses.firstOrder().points());
        }
    }

    private void checkRedemption(String path, RedemptionRule rule) {
        if (rule.pointsPerYuan() <= 0) {
            problem(path + ".pointsPerYuan", "must be > 0, is " + rule.pointsPerYuan());
        }
        if (rule.capShareOfNet().signum() < 0 || rule.capShareOfNet().compareTo(Rational.ONE) > 0) {
            problem(path + ".capShareOfNet", "must be from 0 to 1, is " + rule.capShareOfNet());
        }
    }

    private void checkExpiry(ExpiryPolicy expiry) {
        if (expiry.kind() != ExpiryKind.END_OF_NEXT_CALENDAR_YEAR
                && (expiry.months() < 1 || expiry.months() > 120)) {
            problem("expiry.months", "must be 1 to 120 for " + expiry.kind() + ", is "
                    + expiry.months());
        }
        if (expiry.birthdayExtensionMonths() < 0 || expiry.birthdayExtensionMonths() > 24) {
            problem("expiry.birthdayExtensionMonths", "must be 0 to 24, is "
                    + expiry.birthdayExtensionMonths());
        }
    }

    private void checkEngagement(EngagementRewards rewards) {
        long[] values = {rewards.registration(), rewards.referralReferrer(),
            rewards.referralNewMember(), rewards.checkIn(), rewards.checkInStreakBonus(),
            rewards.review(), rewards.share()};
        String[] names = {"registration", "referralReferrer", "referralNewMember", "checkIn",
            "checkInStreakBonus", "review", "share"};
        for (int index = 0; index < values.length; index++) {
            if (values[index] < 0) {
                problem("engagement." + names[index], "must be >= 0, is " + values[index]);
            }
        }
        if (rewards.checkInStreakDays() < 1) {
            problem("engagement.checkInStreakDays", "must be >= 1, is "
                    + rewards.checkInStreakDays());
        }
    }

    private Set<String> checkTemplates(ChainRules rules, Set<String> storeIds,
            Set<String> groupIds) {
        List<CouponTemplate> templates = rules.couponTemplates();
        if (templates.size() > COUPON_TEMPLATES_MAX) {
            problem("couponTemplates", "at most " + COUPON_TEMPLATES_MAX + " templates, has "
                    + templates.size());
        }
        Set<String> ids = new HashSet<>();
        for (int index = 0; index < templates.size(); index++) {
            CouponTemplate template = templates.get(index);
            String path = "couponTemplates[" + index + "]";
            if (template.templateId().isBlank()) {
                problem(path + ".id", "must not be blank");
            } else if (!ids.add(template.templateId())) {
                problem(path + ".id", "duplicate coupon template " + template.templateId());
            }
            checkTemplate(path, template, rules.categoryRates().keySet());
            checkScope(path + ".scope", template.scope().stores(), storeIds, groupIds);
        }
        return ids;
    }

    private void checkTemplate(String path, CouponTemplate template, Set<String> categories) {
        if (template.benefit() instanceof CouponBenefit.AmountOff amountOff
                && amountOff.amountFen() <= 0) {
            problem(path + ".amountOffFen", "must be > 0, is " + amountOff.amountFen());
        }
        if (template.benefit() instanceof CouponBenefit.PercentOff percentOff) {
            if (percentOff.offShare().signum() <= 0
                    || percentOff.offShare().compareTo(Rational.ONE) >= 0) {
                problem(path + ".percentOff", "must be above 0 and below 100");
            }
            if (percentOff.capFen() <= 0) {
                problem(path + ".capFen", "must be > 0, is " + percentOff.capFen());
            }
        }
        if (template.thresholdFen() < 0) {
            problem(path + ".thresholdFen", "must be >= 0, is " + template.thresholdFen());
        }
        if (template.stackLimit() < 1) {
            problem(path + ".stackLimit", "must be >= 1, is " + template.stackLimit());
        }
        if (template.validityDays() < 1) {
            problem(path + ".validityDays", "must be >= 1, is " + template.validityDays());
        }
        for (String category : template.scope().categories()) {
            if (!categories.contains(category)) {
                problem(path + ".scope.categories", "names an unknown category: " + category);
            }
        }
        for (String category : template.scope().excludedCategories()) {
            if (!categories.contains(category)) {
                problem(path + ".scope.excludedCategories", "names an unknown category: "
                        + category);
            }
        }
        checkKind(path, template);
    }

    private void checkKind(String path, CouponTemplate template) {
        boolean amountOff = template.benefit() instanceof CouponBenefit.AmountOff;
        CouponKind kind = template.kind();
        switch (kind) {
            case THRESHOLD_CUT -> {
                if (template.thresholdFen() <= 0) {
                    problem(path + ".thresholdFen", "a THRESHOLD_CUT coupon needs a threshold");
                }
                if (!amountOff) {
                    problem(path + ".amountOffFen", "a THRESHOLD_CUT coupon takes an amount off");
                }
            }
            case NO_THRESHOLD_CASH, SPLIT_RED_PACKET -> {
                if (template.thresholdFen() != 0) {
                    problem(path + ".thresholdFen", "a " + kind + " coupon has no threshold");
                }
                if (!amountOff) {
                    problem(path + ".amountOffFen", "a " + kind + " coupon takes an amount off");
                }
            }
            case PERCENTAGE -> {
                if (amountOff) {
                    problem(path + ".percentOff", "a PERCENTAGE coupon takes a share off");
                }
            }
            case ITEM -> {
                if (template.scope().skus().isEmpty()) {
                    problem(path + ".scope.skus", "an ITEM coupon must name items");
                }
            }
            case CATEGORY -> {
                if (template.scope().categories().isEmpty()) {
                    problem(path + ".scope.categories", "a CATEGORY coupon must name categories");
                }
            }
            case NEW_CUSTOMER_FIRST_ORDER -> {
                if (template.condition() != CouponCondition.FIRST_ORDER) {
                    problem(path + ".condition", "a NEW_CUSTOMER_FIRST_ORDER coupon needs "
                            + "condition FIRST_ORDER");
                }
            }
            case SMALL_STACKABLE -> {
                if (!template.stackable() || template.stackLimit() < 2) {
                    problem(path + ".stackLimit", "a SMALL_STACKABLE coupon must be stackable "
                            + "with a stackLimit >= 2");
                }
            }
            case REPURCHASE, WAKE_UP -> {
                // Any benefit; what sets them apart is when they are issued.
            }
            default -> throw new IllegalStateException("unhandled coupon kind " + kind);
        }
        if (!template.stackable() && template.stackLimit() != 1) {
            problem(path + ".stackLimit", "a coupon that is not stackable has stackLimit 1");
        }
    }
}
