package io.kassa.engine.core;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.coupon.Coupon;
import io.kassa.engine.core.coupon.CouponBenefit;
import io.kassa.engine.core.coupon.CouponCondition;
import io.kassa.engine.core.coupon.CouponKind;
import io.kassa.engine.core.coupon.CouponScope;
import io.kassa.engine.core.coupon.CouponTemplate;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.money.Rational;
import io.kassa.engine.core.points.PointsLot;
import io.kassa.engine.core.points.PointsWallet;
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
import io.kassa.engine.core.rules.SpendBonus;
import io.kassa.engine.core.rules.Store;
import io.kassa.engine.core.rules.StoreGroupOverride;
import io.kassa.engine.core.rules.StoreScope;
import io.kassa.engine.core.rules.Tier;
import io.kassa.engine.core.rules.TierLadder;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The demo chain of DOMAIN.md, every default number, built in code for the core's tests. */
public final class DemoChain {

    public static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    public static final String STORE = "S001";
    public static final String CLOTHING_STORE = "C001";
    /** 2024-05-15 was a Wednesday: member day. */
    public static final ZonedDateTime WEDNESDAY = ZonedDateTime.of(2024, 5, 15, 10, 0, 0, 0,
            SHANGHAI);
    public static final ZonedDateTime THURSDAY = WEDNESDAY.plusDays(1);
    public static final Set<String> NO_COUPONS_ON = Set.of("tobacco");

    private DemoChain() {
    }

    public static Map<String, EarningRate> categories() {
        Map<String, EarningRate> rates = new LinkedHashMap<>();
        rates.put("general", EarningRate.perYuan(Rational.ONE));
        rates.put("apparel", EarningRate.perYuan(Rational.ONE));
        rates.put("fresh", EarningRate.perYuan(Rational.of(1, 2)));
        rates.put("high-margin", EarningRate.perYuan(Rational.of(2)));
        rates.put("tobacco", EarningRate.excluded());
        rates.put("shoes", EarningRate.perItem(20));
        return rates;
    }

    public static CouponScope everywhereButTobacco() {
        return new CouponScope(StoreScope.ALL_STORES, Set.of(), Set.of(), NO_COUPONS_ON);
    }

    public static CouponTemplate template(String id, CouponKind kind, CouponBenefit benefit,
            long thresholdFen) {
        return new CouponTemplate(id, kind, benefit, thresholdFen, everywhereButTobacco(),
                false, 1, CouponCondition.NONE, 30);
    }

    public static List<CouponTemplate> templates() {
        return List.of(
                template("cut-100-20", CouponKind.THRESHOLD_CUT, amountOff(2000), 10000),
                template("cash-5", CouponKind.NO_THRESHOLD_CASH, amountOff(500), 0),
                template("pct-20-cap-50", CouponKind.PERCENTAGE,
                        new CouponBenefit.PercentOff(Rational.of(1, 5), 5000), 0),
                new CouponTemplate("new-50-10", CouponKind.NEW_CUSTOMER_FIRST_ORDER,
                        amountOff(1000), 5000, everywhereButTobacco(), false, 1,
                        CouponCondition.FIRST_ORDER, 30),
                template("repurchase-100-20", CouponKind.REPURCHASE, amountOff(2000), 10000),
                template("wake-up-100-30", CouponKind.WAKE_UP, amountOff(3000), 10000),
                new CouponTemplate("small-2", CouponKind.SMALL_STACKABLE, amountOff(200), 0,
                        everywhereButTobacco(), true, 3, CouponCondition.NONE, 30),
                template("red-packet-20", CouponKind.SPLIT_RED_PACKET, amountOff(2000), 0),
                new CouponTemplate("fresh-10-off", CouponKind.CATEGORY, amountOff(1000), 3000,
                        new CouponScope(StoreScope.ALL_STORES, Set.of("fresh"), Set.of(),
                                Set.of()), false, 1, CouponCondition.NONE, 30),
                new CouponTemplate("sku-milk-3-off", CouponKind.ITEM, amountOff(300), 0,
                        new CouponScope(StoreScope.ALL_STORES, Set.of(), Set.of("MILK"),
                                Set.of()), false, 1, CouponCondition.NONE, 30));
    }

    public static ChainRules rules() {
        return rules(new ExpiryPolicy(ExpiryKind.FIXED_MONTHS, 12, 3));
    }

    public static ChainRules rules(ExpiryPolicy expiry) {
        return ChainRules.builder()
                .chainId("demo")
                .categoryRates(categories())
                .tiers(new TierLadder(List.of(
                        new Tier("NORMAL", 0, Rational.ONE),
                        new Tier("SILVER", 2_000, Rational.parse("1.2")),
                        new Tier("GOLD", 10_000, Rational.parse("1.5")),
                        new Tier("DIAMOND", 50_000, Rational.of(2)))))
                .campaigns(List.of(
                        new Campaign("member-day", new CampaignTrigger.MemberDay(
                                Set.of(DayOfWeek.WEDNESDAY)), Rational.of(2),
                                StoreScope.ALL_STORES),
                        new Campaign("birthday-month", new CampaignTrigger.BirthdayMonth(),
                                Rational.of(2), StoreScope.ALL_STORES),
                        new Campaign("national-day", new CampaignTrigger.Holiday(
                                LocalDate.of(2024, 10, 1), LocalDate.of(2024, 10, 7)),
                                Rational.of(3), StoreScope.ALL_STORES),
                        new Campaign("store-anniversary", new CampaignTrigger.StoreAnniversary(1),
                                Rational.of(2), StoreScope.ALL_STORES)))
                .bonuses(new BonusRules(List.of(new SpendBonus(50_000, 500),
                        new SpendBonus(100_000, 1_200)), new FirstOrderBonus(10_000, 300)))
                .redemption(new RedemptionRule(100, Rational.of(1, 5)))
                .expiry(expiry)
                .engagement(new EngagementRewards(100, 100, 50, 5, 7, 30, 10, 10))
                .couponTemplates(templates())
                .couponExchanges(List.of(new CouponExchangeOffer("points-500-cash-5", 500,
                        "cash-5")))
                .stores(List.of(
                        new Store(STORE, "supermarket", SHANGHAI, LocalDate.of(2015, 6, 18)),
                        new Store(CLOTHING_STORE, "clothing", SHANGHAI,
                                LocalDate.of(2018, 9, 9))))
                .storeGroupOverrides(Map.of("clothing", new StoreGroupOverride("clothing",
                        Map.of("apparel", EarningRate.perItem(10)), Optional.empty(),
                        Optional.empty())))
                .dormancyDays(90)
                .build();
    }

    public static CouponBenefit amountOff(long fen) {
        return new CouponBenefit.AmountOff(fen);
    }

    public static BasketLine line(String sku, String category, long unitFen, int quantity) {
        return new BasketLine(sku, category, Money.fen(unitFen), quantity);
    }

    /** A, B, C of the worked example. */
    public static List<BasketLine> workedExampleBasket() {
        return List.of(line("A", "apparel", 19_900, 1), line("B", "fresh", 3_000, 2),
                line("C", "tobacco", 2_500, 1));
    }

    public static Coupon coupon(String code, CouponTemplate template, Optional<String> owner) {
        return new Coupon(code, template, owner, Instant.parse("2024-01-01T00:00:00Z"),
                Instant.parse("2024-12-31T16:00:00Z"), false);
    }

    public static CouponTemplate templateById(String id) {
        return templates().stream().filter(template -> template.templateId().equals(id))
                .findFirst().orElseThrow();
    }

    public static MemberSnapshot member(String tier, long lifetime, long points,
            long storedValueFen) {
        PointsWallet wallet = points == 0 ? PointsWallet.EMPTY : new PointsWallet(List.of(
                new PointsLot("earlier", points, LocalDate.of(2024, 1, 10),
                        LocalDate.of(2025, 1, 10), 0)));
        return new MemberSnapshot("M1", tier, lifetime, wallet, storedValueFen,
                Optional.of(Month.JANUARY), 3, Optional.of(LocalDate.of(2024, 5, 1)));
    }
}
