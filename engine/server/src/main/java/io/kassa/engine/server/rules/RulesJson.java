package io.kassa.engine.server.rules;

import io.kassa.engine.core.coupon.CouponBenefit;
import io.kassa.engine.core.coupon.CouponCondition;
import io.kassa.engine.core.coupon.CouponKind;
import io.kassa.engine.core.coupon.CouponScope;
import io.kassa.engine.core.coupon.CouponTemplate;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Rational;
import io.kassa.engine.core.rules.BonusRules;
import io.kassa.engine.core.rules.Campaign;
import io.kassa.engine.core.rules.CampaignTrigger;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.rules.CouponExchangeOffer;
import io.kassa.engine.core.rules.EarningRate;
import io.kassa.engine.core.rules.EngagementRewards;
import io.kassa.engine.core.rules.ExpiryKind;
import io.kassa.engine.core.rules.ExpiryPolicy;
import io.kassa.engine.core.rules.FirstOrderBonus;
import io.kassa.engine.core.rules.RedemptionRule;
import io.kassa.engine.core.rules.RulesProblem;
import io.kassa.engine.core.rules.RulesValidator;
import io.kassa.engine.core.rules.SpendBonus;
import io.kassa.engine.core.rules.Store;
import io.kassa.engine.core.rules.StoreGroupOverride;
import io.kassa.engine.core.rules.StoreScope;
import io.kassa.engine.core.rules.Tier;
import io.kassa.engine.core.rules.TierLadder;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads a chain's rules from the JSON format of {@code docs/rules-format.md} into the core's
 * immutable values, then runs the core's {@link RulesValidator}. Every problem is reported,
 * each with its JSON path ({@code tiers[1].multiplier}) and what is wrong; nothing is
 * defaulted silently except the fields the format documents as optional.
 */
public final class RulesJson {

    /** A rules file larger than this is refused before parsing. */
    public static final int RULES_CHARACTERS_MAX = 1_000_000;

    private final List<RulesProblem> problems = new ArrayList<>();

    private RulesJson() {
    }

    public static RulesJsonResult parse(String json) {
        if (json.length() > RULES_CHARACTERS_MAX) {
            return new RulesJsonResult.Invalid(List.of(new RulesProblem("$", "the file has "
                    + json.length() + " characters, at most " + RULES_CHARACTERS_MAX)));
        }
        JsonObject root;
        try {
            root = new JsonObject(json);
        } catch (DecodeException | ClassCastException malformed) {
            return new RulesJsonResult.Invalid(List.of(new RulesProblem("$",
                    "not a JSON object: " + malformed.getMessage())));
        }
        RulesJson reader = new RulesJson();
        ChainRules rules = reader.read(root);
        if (!reader.problems.isEmpty()) {
            return new RulesJsonResult.Invalid(reader.problems);
        }
        List<RulesProblem> semantic = RulesValidator.validate(rules);
        if (!semantic.isEmpty()) {
            return new RulesJsonResult.Invalid(semantic);
        }
        return new RulesJsonResult.Loaded(rules);
    }

    private ChainRules read(JsonObject root) {
        ChainRules.Builder builder = ChainRules.builder();
        builder.chainId(string(root, "chainId", "chainId", ""));
        String currency = string(root, "currency", "currency", "CNY");
        builder.currency(CurrencyCode.parse(currency).orElseGet(() -> {
            problem("currency", "unknown currency " + currency);
            return CurrencyCode.CNY;
        }));
        builder.categoryRates(rates(object(root, "categories", "categories"), "categories"));
        builder.tiers(tiers(array(root, "tiers", "tiers")));
        builder.stores(stores(array(root, "stores", "stores")));
        builder.campaigns(campaigns(optionalArray(root, "campaigns", "campaigns")));
        builder.bonuses(bonuses(object(root, "bonuses", "bonuses"), "bonuses"));
        builder.redemption(redemption(object(root, "redemption", "redemption"), "redemption"));
        builder.expiry(expiry(object(root, "expiry", "expiry")));
        builder.engagement(engagement(object(root, "engagement", "engagement")));
        builder.couponTemplates(templates(optionalArray(root, "couponTemplates",
                "couponTemplates")));
        builder.couponExchanges(exchanges(optionalArray(root, "couponExchanges",
                "couponExchanges")));
        builder.storeGroupOverrides(overrides(root.getValue("storeGroups") == null
                ? new JsonObject() : object(root, "storeGroups", "storeGroups")));
        builder.dormancyDays((int) integer(root, "dormancyDays", "dormancyDays", 90L));
        return builder.build();
    }

    private Map<String, EarningRate> rates(JsonObject categories, String path) {
        Map<String, EarningRate> rates = new LinkedHashMap<>();
        for (String name : categories.fieldNames()) {
            String ratePath = path + "." + name;
            JsonObject rate = object(categories, name, ratePath);
            int kinds = (rate.containsKey("pointsPerYuan") ? 1 : 0)
                    + (rate.containsKey("pointsPerItem") ? 1 : 0)
                    + (rate.containsKey("excluded") ? 1 : 0);
            if (kinds != 1) {
                problem(ratePath, "give exactly one of pointsPerYuan, pointsPerItem, excluded");
                continue;
            }
            if (rate.containsKey("pointsPerYuan")) {
                rates.put(name, EarningRate.perYuan(rational(rate, "pointsPerYuan",
                        ratePath + ".pointsPerYuan")));
            } else if (rate.containsKey("pointsPerItem")) {
                rates.put(name, EarningRate.perItem(integer(rate, "pointsPerItem",
                        ratePath + ".pointsPerItem", null)));
            } else {
                if (!Boolean.TRUE.equals(rate.getValue("excluded"))) {
                    problem(ratePath + ".excluded", "must be true when present");
                }
                rates.put(name, EarningRate.excluded());
            }
        }
        return rates;
    }

    private TierLadder tiers(JsonArray array) {
        List<Tier> tiers = new ArrayList<>();
        for (int index = 0; index < array.size(); index++) {
            String path = "tiers[" + index + "]";
            JsonObject tier = element(array, index, path);
            tiers.add(new Tier(string(tier, "name", path + ".name", ""),
                    integer(tier, "lifetimePoints", path + ".lifetimePoints", null),
                    rational(tier, "multiplier", path + ".multiplier")));
        }
        if (tiers.isEmpty()) {
            tiers.add(new Tier("", 0, Rational.ONE));
            problem("tiers", "must list at least one tier");
        }
        return new TierLadder(tiers);
    }

    private List<Store> stores(JsonArray array) {
        List<Store> stores = new ArrayList<>();
        for (int index = 0; index < array.size(); index++) {
            String path = "stores[" + index + "]";
            JsonObject store = element(array, index, path);
            stores.add(new Store(string(store, "id", path + ".id", ""),
                    string(store, "group", path + ".group", ""),
                    zone(store, "zone", path + ".zone"),
                    date(store, "openedOn", path + ".openedOn")));
        }
        return stores;
    }

    private List<Campaign> campaigns(JsonArray array) {
        List<Campaign> campaigns = new ArrayList<>();
        for (int index = 0; index < array.size(); index++) {
            String path = "campaigns[" + index + "]";
            JsonObject campaign = element(array, index, path);
            CampaignTrigger trigger = trigger(campaign, path);
            campaigns.add(new Campaign(string(campaign, "id", path + ".id", ""), trigger,
                    rational(campaign, "multiplier", path + ".multiplier"),
                    storeScope(campaign, path)));
        }
        return campaigns;
    }

    private CampaignTrigger trigger(JsonObject campaign, String path) {
        List<String> given = new ArrayList<>();
        for (String key : List.of("memberDay", "birthdayMonth", "holiday", "storeAnniversary")) {
            if (campaign.containsKey(key)) {
                given.add(key);
            }
        }
        if (given.size() != 1) {
            problem(path, "give exactly one of memberDay, birthdayMonth, holiday, "
                    + "storeAnniversary");
            return new CampaignTrigger.BirthdayMonth();
        }
        switch (given.get(0)) {
            case "memberDay" -> {
                Set<DayOfWeek> days = new HashSet<>();
                JsonArray names = array(campaign, "memberDay", path + ".memberDay");
                for (int index = 0; index < names.size(); index++) {
                    String dayPath = path + ".memberDay[" + index + "]";
                    Object value = names.getValue(index);
                    try {
                        days.add(DayOfWeek.valueOf(String.valueOf(value)));
                    } catch (IllegalArgumentException unknown) {
                        problem(dayPath, "not a weekday (MONDAY..SUNDAY): " + value);
                    }
                }
                return new CampaignTrigger.MemberDay(days);
            }
            case "birthdayMonth" -> {
                if (!Boolean.TRUE.equals(campaign.getValue("birthdayMonth"))) {
                    problem(path + ".birthdayMonth", "must be true when present");
                }
                return new CampaignTrigger.BirthdayMonth();
            }
            case "holiday" -> {
                JsonObject holiday = object(campaign, "holiday", path + ".holiday");
                return new CampaignTrigger.Holiday(
                        date(holiday, "firstDay", path + ".holiday.firstDay"),
                        date(holiday, "lastDay", path + ".holiday.lastDay"));
            }
            default -> {
                JsonObject anniversary = object(campaign, "storeAnniversary",
                        path + ".storeAnniversary");
                return new CampaignTrigger.StoreAnniversary((int) integer(anniversary, "days",
                        path + ".storeAnniversary.days", 1L));
            }
        }
    }

    private StoreScope storeScope(JsonObject owner, String path) {
        return new StoreScope(strings(owner, "stores", path + ".stores"),
                strings(owner, "storeGroups", path + ".storeGroups"));
    }

    private BonusRules bonuses(JsonObject bonuses, String path) {
        List<SpendBonus> thresholds = new ArrayList<>();
        JsonArray array = optionalArray(bonuses, "spendThresholds", path + ".spendThresholds");
        for (int index = 0; index < array.size(); index++) {
            String bonusPath = path + ".spendThresholds[" + index + "]";
            JsonObject bonus = element(array, index, bonusPath);
            thresholds.add(new SpendBonus(integer(bonus, "thresholdFen",
                    bonusPath + ".thresholdFen", null), integer(bonus, "points",
                    bonusPath + ".points", null)));
        }
        FirstOrderBonus firstOrder = FirstOrderBonus.NONE;
        if (bonuses.containsKey("firstOrder")) {
            JsonObject first = object(bonuses, "firstOrder", path + ".firstOrder");
            firstOrder = new FirstOrderBonus(integer(first, "minimumNetFen",
                    path + ".firstOrder.minimumNetFen", null), integer(first, "points",
                    path + ".firstOrder.points", null));
        }
        return new BonusRules(thresholds, firstOrder);
    }

    private RedemptionRule redemption(JsonObject redemption, String path) {
        return new RedemptionRule(integer(redemption, "pointsPerYuan", path + ".pointsPerYuan",
                null), rational(redemption, "capShareOfNet", path + ".capShareOfNet"));
    }

    private ExpiryPolicy expiry(JsonObject expiry) {
        String kindName = string(expiry, "kind", "expiry.kind", "FIXED_MONTHS");
        ExpiryKind kind = ExpiryKind.FIXED_MONTHS;
        try {
            kind = ExpiryKind.valueOf(kindName);
        } catch (IllegalArgumentException unknown) {
            problem("expiry.kind", "one of FIXED_MONTHS, END_OF_NEXT_CALENDAR_YEAR, ROLLING; is "
                    + kindName);
        }
        long months = integer(expiry, "months", "expiry.months",
                kind == ExpiryKind.END_OF_NEXT_CALENDAR_YEAR ? 0L : null);
        return new ExpiryPolicy(kind, (int) months, (int) integer(expiry,
                "birthdayExtensionMonths", "expiry.birthdayExtensionMonths", 0L));
    }

    private EngagementRewards engagement(JsonObject engagement) {
        return new EngagementRewards(
                integer(engagement, "registration", "engagement.registration", null),
                integer(engagement, "referralReferrer", "engagement.referralReferrer", null),
                integer(engagement, "referralNewMember", "engagement.referralNewMember", null),
                integer(engagement, "checkIn", "engagement.checkIn", null),
                (int) integer(engagement, "checkInStreakDays", "engagement.checkInStreakDays",
                        null),
                integer(engagement, "checkInStreakBonus", "engagement.checkInStreakBonus", null),
                integer(engagement, "review", "engagement.review", null),
                integer(engagement, "share", "engagement.share", null));
    }

    private List<CouponTemplate> templates(JsonArray array) {
        List<CouponTemplate> templates = new ArrayList<>();
        for (int index = 0; index < array.size(); index++) {
            String path = "couponTemplates[" + index + "]";
            JsonObject template = element(array, index, path);
            CouponKind kind = enumValue(CouponKind.class, template, "kind", path + ".kind",
                    CouponKind.NO_THRESHOLD_CASH, null);
            CouponBenefit benefit;
            boolean amount = template.containsKey("amountOffFen");
            boolean percent = template.containsKey("percentOff");
            if (amount == percent) {
                problem(path, "give exactly one of amountOffFen, percentOff");
                benefit = new CouponBenefit.AmountOff(1);
            } else if (amount) {
                benefit = new CouponBenefit.AmountOff(integer(template, "amountOffFen",
                        path + ".amountOffFen", null));
            } else {
                benefit = new CouponBenefit.PercentOff(rational(template, "percentOff",
                        path + ".percentOff").dividedBy(Rational.of(100)),
                        integer(template, "capFen", path + ".capFen",
                                CouponBenefit.PercentOff.NO_CAP));
            }
            JsonObject scope = template.containsKey("scope")
                    ? object(template, "scope", path + ".scope") : new JsonObject();
            boolean stackable = bool(template, "stackable", path + ".stackable", false);
            templates.add(new CouponTemplate(string(template, "id", path + ".id", ""), kind,
                    benefit, integer(template, "thresholdFen", path + ".thresholdFen", 0L),
                    new CouponScope(storeScope(scope, path + ".scope"),
                            strings(scope, "categories", path + ".scope.categories"),
                            strings(scope, "skus", path + ".scope.skus"),
                            strings(scope, "excludedCategories",
                                    path + ".scope.excludedCategories")),
                    stackable, (int) integer(template, "stackLimit", path + ".stackLimit", 1L),
                    enumValue(CouponCondition.class, template, "condition", path + ".condition",
                            CouponCondition.NONE, CouponCondition.NONE),
                    (int) integer(template, "validityDays", path + ".validityDays", null)));
        }
        return templates;
    }

    private List<CouponExchangeOffer> exchanges(JsonArray array) {
        List<CouponExchangeOffer> offers = new ArrayList<>();
        for (int index = 0; index < array.size(); index++) {
            String path = "couponExchanges[" + index + "]";
            JsonObject offer = element(array, index, path);
            // Optional: an offer without a stock is unlimited; the validator bounds it.
            OptionalLong stock = offer.getValue("stock") == null ? OptionalLong.empty()
                    : OptionalLong.of(integer(offer, "stock", path + ".stock", null));
            offers.add(new CouponExchangeOffer(string(offer, "id", path + ".id", ""),
                    integer(offer, "pointsCost", path + ".pointsCost", null),
                    string(offer, "couponTemplateId", path + ".couponTemplateId", ""), stock));
        }
        return offers;
    }

    private Map<String, StoreGroupOverride> overrides(JsonObject groups) {
        Map<String, StoreGroupOverride> overrides = new LinkedHashMap<>();
        for (String group : groups.fieldNames()) {
            String path = "storeGroups." + group;
            JsonObject override = object(groups, group, path);
            Map<String, EarningRate> rates = override.containsKey("categories")
                    ? rates(object(override, "categories", path + ".categories"),
                            path + ".categories") : Map.of();
            Optional<BonusRules> bonuses = override.containsKey("bonuses")
                    ? Optional.of(bonuses(object(override, "bonuses", path + ".bonuses"),
                            path + ".bonuses")) : Optional.empty();
            Optional<RedemptionRule> redemption = override.containsKey("redemption")
                    ? Optional.of(redemption(object(override, "redemption",
                            path + ".redemption"), path + ".redemption")) : Optional.empty();
            overrides.put(group, new StoreGroupOverride(group, rates, bonuses, redemption));
        }
        return overrides;
    }

    // Typed field readers: each records a problem with the path and returns a placeholder so
    // that reading goes on and every problem of the file is found in one pass.

    private void problem(String path, String text) {
        problems.add(new RulesProblem(path, text));
    }

    private JsonObject object(JsonObject owner, String key, String path) {
        Object value = owner.getValue(key);
        if (value instanceof JsonObject object) {
            return object;
        }
        problem(path, value == null ? "is missing (an object)" : "must be an object");
        return new JsonObject();
    }

    private JsonArray array(JsonObject owner, String key, String path) {
        Object value = owner.getValue(key);
        if (value instanceof JsonArray array) {
            return array;
        }
        problem(path, value == null ? "is missing (an array)" : "must be an array");
        return new JsonArray();
    }

    private JsonArray optionalArray(JsonObject owner, String key, String path) {
        return owner.getValue(key) == null ? new JsonArray() : array(owner, key, path);
    }

    private JsonObject element(JsonArray array, int index, String path) {
        Object value = array.getValue(index);
        if (value instanceof JsonObject object) {
            return object;
        }
        problem(path, "must be an object");
        return new JsonObject();
    }

    private String string(JsonObject owner, String key, String path, String fallback) {
        Object value = owner.getValue(key);
        if (value instanceof String text) {
            return text;
        }
        if (value == null && !"".equals(fallback)) {
            return fallback;
        }
        problem(path, value == null ? "is missing (a string)" : "must be a string");
        return "";
    }

    private boolean bool(JsonObject owner, String key, String path, boolean fallback) {
        Object value = owner.getValue(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        problem(path, "must be true or false");
        return fallback;
    }

    /** A whole number; {@code fallback} null means the field is required. */
    private long integer(JsonObject owner, String key, String path, Long fallback) {
        Object value = owner.getValue(key);
        if (value == null) {
            if (fallback == null) {
                problem(path, "is missing (a whole number)");
                return 0;
            }
            return fallback;
        }
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        problem(path, "must be a whole number, is " + value);
        return 0;
    }

    /** An exact number: a JSON integer, or a string "3", "1/2", "1.5" (no JSON floats). */
    private Rational rational(JsonObject owner, String key, String path) {
        Object value = owner.getValue(key);
        if (value instanceof Integer || value instanceof Long) {
            return Rational.of(((Number) value).longValue());
        }
        if (value instanceof String text) {
            try {
                return Rational.parse(text);
            } catch (NumberFormatException | ArithmeticException bad) {
                problem(path, "not an exact number (\"3\", \"1/2\", \"1.5\"): " + text);
                return Rational.ONE;
            }
        }
        problem(path, value == null ? "is missing (an exact number)"
                : "must be an integer or a string such as \"1/2\" or \"1.5\" (JSON decimals "
                        + "are not exact), is " + value);
        return Rational.ONE;
    }

    private LocalDate date(JsonObject owner, String key, String path) {
        String text = string(owner, key, path, "");
        try {
            return LocalDate.parse(text);
        } catch (java.time.format.DateTimeParseException bad) {
            if (!text.isEmpty()) {
                problem(path, "not a date (YYYY-MM-DD): " + text);
            }
            return LocalDate.EPOCH;
        }
    }

    private ZoneId zone(JsonObject owner, String key, String path) {
        String text = string(owner, key, path, "Asia/Shanghai");
        try {
            return ZoneId.of(text);
        } catch (java.time.DateTimeException bad) {
            problem(path, "not a time zone: " + text);
            return ZoneId.of("Asia/Shanghai");
        }
    }

    private Set<String> strings(JsonObject owner, String key, String path) {
        Set<String> values = new HashSet<>();
        JsonArray array = optionalArray(owner, key, path);
        for (int index = 0; index < array.size(); index++) {
            Object value = array.getValue(index);
            if (value instanceof String text) {
                values.add(text);
            } else {
                problem(path + "[" + index + "]", "must be a string");
            }
        }
        return values;
    }

    private <E extends Enum<E>> E enumValue(Class<E> type, JsonObject owner, String key,
            String path, E placeholder, E fallback) {
        Object value = owner.getValue(key);
        if (value == null && fallback != null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, String.valueOf(value));
        } catch (IllegalArgumentException unknown) {
            problem(path, value == null ? "is missing" : "unknown " + type.getSimpleName()
                    + ": " + value);
            return placeholder;
        }
    }
}
