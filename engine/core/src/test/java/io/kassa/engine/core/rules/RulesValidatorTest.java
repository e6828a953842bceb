package io.kassa.engine.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.DemoChain;
import io.kassa.engine.core.money.Rational;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The validator accepts the demo chain and reports every problem of a broken one, each naming
 * its field path: one configuration with many faults, checked path by path.
 */
class RulesValidatorTest {

    @Test
    void demoChainIsValid() {
        assertThat(RulesValidator.validate(DemoChain.rules())).isEmpty();
    }

    @Test
    void aLimitedOfferNeedsAStockWithinBoundsAndAUniqueKeySafeId() {
        ChainRules demo = DemoChain.rules();
        ChainRules offers = ChainRules.builder().chainId(demo.chainId())
                .categoryRates(demo.categoryRates()).tiers(demo.tiers())
                .bonuses(demo.bonuses()).redemption(demo.redemption()).expiry(demo.expiry())
                .engagement(demo.engagement()).couponTemplates(demo.couponTemplates())
                .stores(demo.stores())
                .couponExchanges(List.of(
                        CouponExchangeOffer.limited("gift-ok", 2_000, "cash-5", 100),
                        CouponExchangeOffer.limited("gift-zero", 2_000, "cash-5", 0),
                        CouponExchangeOffer.limited("gift-huge", 2_000, "cash-5",
                                CouponExchangeOffer.STOCK_MAX + 1),
                        CouponExchangeOffer.limited("gift-ok", 1_000, "cash-5", 5),
                        new CouponExchangeOffer("gift{tag}", 500, "cash-5"),
                        CouponExchangeOffer.limited("gift-max", 2_000, "cash-5",
                                CouponExchangeOffer.STOCK_MAX)))
                .build();

        assertThat(RulesValidator.validate(offers)).extracting(RulesProblem::path)
                .containsExactlyInAnyOrder("couponExchanges[1].stock",
                        "couponExchanges[2].stock", "couponExchanges[3].id",
                        "couponExchanges[4].id");
        assertThat(CouponExchangeOffer.limited("g", 1, "t", 100).limited()).isTrue();
        assertThat(new CouponExchangeOffer("g", 1, "t").stock()).isEmpty();
    }

    @Test
    void everyProblemIsReportedWithItsPath() {
        ChainRules broken = ChainRules.builder()
                .chainId(" ")
                .categoryRates(Map.of("fresh", EarningRate.perYuan(Rational.of(-1)),
                        "shoes", EarningRate.perItem(-5)))
                .tiers(new TierLadder(List.of(new Tier("NORMAL", 10, Rational.ONE),
                        new Tier("GOLD", 5, Rational.ZERO))))
                .campaigns(List.of(new Campaign("h", new CampaignTrigger.Holiday(
                        LocalDate.of(2024, 10, 7), LocalDate.of(2024, 10, 1)), Rational.of(3),
                        new StoreScope(java.util.Set.of("NOPE"), java.util.Set.of()))))
                .bonuses(new BonusRules(List.of(new SpendBonus(0, 10)),
                        new FirstOrderBonus(-1, 300)))
                .redemption(new RedemptionRule(0, Rational.of(3, 2)))
                .expiry(new ExpiryPolicy(ExpiryKind.ROLLING, 0, -1))
                .couponTemplates(List.of(DemoChain.template("bad", 
                        io.kassa.engine.core.coupon.CouponKind.THRESHOLD_CUT,
                        DemoChain.amountOff(0), 0)))
                .stores(List.of(new Store("S1", "g", DemoChain.SHANGHAI,
                        LocalDate.of(2020, 1, 1))))
                .build();

        assertThat(RulesValidator.validate(broken)).extracting(RulesProblem::path)
                .contains("chainId", "categories.fresh.pointsPerYuan",
                        "categories.shoes.pointsPerItem", "tiers[0].lifetimePoints",
                        "tiers[1].multiplier", "tiers[1].lifetimePoints",
                        "campaigns[0].holiday.lastDay", "campaigns[0].stores",
                        "bonuses.spendThresholds[0].thresholdFen",
                        "bonuses.firstOrder.minimumNetFen", "redemption.pointsPerYuan",
                        "redemption.capShareOfNet", "expiry.months",
                        "expiry.birthdayExtensionMonths", "couponTemplates[0].amountOffFen",
                        "couponTemplates[0].thresholdFen",
                        "couponTemplates[0].scope.excludedCategories");
    }
}
