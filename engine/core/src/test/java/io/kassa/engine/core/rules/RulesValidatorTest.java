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
