package io.kassa.engine.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.money.Rational;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.rules.EarningRate;
import io.kassa.engine.core.rules.RulesProblem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The demo rules file loads into the demo chain's numbers, and each broken field of a copy of
 * it is reported with its JSON path: one mutation per table row.
 */
class RulesJsonTest {

    static String demoJson() throws IOException {
        try (InputStream in = RulesJsonTest.class.getResourceAsStream("/rules/demo-chain.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void demoChainLoadsWithEveryDefaultNumber() throws IOException {
        RulesJsonResult result = RulesJson.parse(demoJson());

        assertThat(result).isInstanceOf(RulesJsonResult.Loaded.class);
        ChainRules rules = ((RulesJsonResult.Loaded) result).rules();
        assertThat(rules.categoryRates().get("fresh"))
                .isEqualTo(EarningRate.perYuan(Rational.of(1, 2)));
        assertThat(rules.categoryRates().get("tobacco")).isEqualTo(EarningRate.excluded());
        assertThat(rules.tiers().find("GOLD").orElseThrow().multiplier())
                .isEqualTo(Rational.of(3, 2));
        assertThat(rules.redemption().capShareOfNet()).isEqualTo(Rational.of(1, 5));
        assertThat(rules.bonuses().spendThresholds()).hasSize(2);
        assertThat(rules.couponTemplates()).hasSize(10);
        // One limited gift: 100 thermos coupons for 2,000 points each, chain-wide.
        assertThat(rules.couponExchanges()).extracting(offer -> offer.offerId())
                .containsExactly("points-500-cash-5", "gift-thermos-limited");
        assertThat(rules.couponExchanges().get(0).stock()).isEmpty();
        assertThat(rules.couponExchanges().get(1).stock()).hasValue(100);
        assertThat(rules.couponExchanges().get(1).pointsCost()).isEqualTo(2_000);
        assertThat(rules.forStore("C001").orElseThrow().rateOf("apparel"))
                .contains(EarningRate.perItem(10));
        assertThat(rules.forStore("S001").orElseThrow().rateOf("apparel"))
                .contains(EarningRate.perYuan(Rational.ONE));
    }

    static Stream<Arguments> brokenFields() {
        return Stream.of(
                Arguments.of("tiers[1].multiplier",
                        edit(root -> root.getJsonArray("tiers").getJsonObject(1)
                                .put("multiplier", 1.2))),
                Arguments.of("tiers[2].lifetimePoints",
                        edit(root -> root.getJsonArray("tiers").getJsonObject(2)
                                .put("lifetimePoints", 100))),
                Arguments.of("categories.fresh.pointsPerYuan",
                        edit(root -> root.getJsonObject("categories").getJsonObject("fresh")
                                .put("pointsPerYuan", "half"))),
                Arguments.of("categories.shoes",
                        edit(root -> root.getJsonObject("categories").getJsonObject("shoes")
                                .put("excluded", true))),
                Arguments.of("redemption.capShareOfNet",
                        edit(root -> root.getJsonObject("redemption").put("capShareOfNet",
                                "6/5"))),
                Arguments.of("redemption.pointsPerYuan",
                        edit(root -> root.getJsonObject("redemption").remove("pointsPerYuan"))),
                Arguments.of("expiry.kind",
                        edit(root -> root.getJsonObject("expiry").put("kind", "SOMETIMES"))),
                Arguments.of("campaigns[0].memberDay[0]",
                        edit(root -> root.getJsonArray("campaigns").getJsonObject(0)
                                .put("memberDay", new JsonArray().add("WEDNSDAY")))),
                Arguments.of("campaigns[2].holiday.lastDay",
                        edit(root -> root.getJsonArray("campaigns").getJsonObject(2)
                                .getJsonObject("holiday").put("lastDay", "2025-09-30"))),
                Arguments.of("campaigns[4].storeGroups",
                        edit(root -> root.getJsonArray("campaigns").getJsonObject(4)
                                .put("storeGroups", new JsonArray().add("bakery")))),
                Arguments.of("bonuses.spendThresholds[1].points",
                        edit(root -> root.getJsonObject("bonuses").getJsonArray("spendThresholds")
                                .getJsonObject(1).put("points", -1))),
                Arguments.of("couponTemplates[0].amountOffFen",
                        edit(root -> root.getJsonArray("couponTemplates").getJsonObject(0)
                                .put("amountOffFen", 0))),
                Arguments.of("couponTemplates[2].percentOff",
                        edit(root -> root.getJsonArray("couponTemplates").getJsonObject(2)
                                .put("percentOff", 100))),
                Arguments.of("couponTemplates[1].kind",
                        edit(root -> root.getJsonArray("couponTemplates").getJsonObject(1)
                                .put("kind", "FREE_LUNCH"))),
                Arguments.of("couponTemplates[3].scope.categories",
                        edit(root -> root.getJsonArray("couponTemplates").getJsonObject(3)
                                .getJsonObject("scope").put("categories",
                                        new JsonArray().add("bakery")))),
                Arguments.of("couponExchanges[0].couponTemplateId",
                        edit(root -> root.getJsonArray("couponExchanges").getJsonObject(0)
                                .put("couponTemplateId", "nope"))),
                Arguments.of("couponExchanges[1].stock",
                        edit(root -> root.getJsonArray("couponExchanges").getJsonObject(1)
                                .put("stock", 0))),
                Arguments.of("couponExchanges[1].stock",
                        edit(root -> root.getJsonArray("couponExchanges").getJsonObject(1)
                                .put("stock", "plenty"))),
                Arguments.of("couponExchanges[1].id",
                        edit(root -> root.getJsonArray("couponExchanges").getJsonObject(0)
                                .put("id", "gift-thermos-limited"))),
                Arguments.of("couponExchanges[0].id",
                        edit(root -> root.getJsonArray("couponExchanges").getJsonObject(0)
                                .put("id", "points{500}"))),
                Arguments.of("stores[0].zone",
                        edit(root -> root.getJsonArray("stores").getJsonObject(0)
                                .put("zone", "Mars/Olympus"))),
                Arguments.of("stores[1].openedOn",
                        edit(root -> root.getJsonArray("stores").getJsonObject(1)
                                .put("openedOn", "yesterday"))),
                Arguments.of("storeGroups.bakery",
                        edit(root -> root.getJsonObject("storeGroups").put("bakery",
                                new JsonObject()))),
                Arguments.of("engagement.checkInStreakDays",
                        edit(root -> root.getJsonObject("engagement")
                                .put("checkInStreakDays", 0))),
                Arguments.of("chainId", edit(root -> root.remove("chainId"))),
                Arguments.of("$", "[1, 2]"),
                Arguments.of("$", "{ not json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFields")
    void eachBrokenFieldIsNamedByItsPath(String path, String json) {
        RulesJsonResult result = RulesJson.parse(json);

        assertThat(result).isInstanceOf(RulesJsonResult.Invalid.class);
        assertThat(((RulesJsonResult.Invalid) result).problems()).extracting(RulesProblem::path)
                .contains(path);
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() throws IOException {
        JsonObject root = new JsonObject(demoJson());
        root.getJsonObject("redemption").put("pointsPerYuan", "many");
        root.getJsonObject("expiry").put("months", "twelve");
        RulesJsonResult result = RulesJson.parse(root.encode());
        assertThat(((RulesJsonResult.Invalid) result).problems()).extracting(RulesProblem::path)
                .contains("redemption.pointsPerYuan", "expiry.months");
    }

    private static String edit(Consumer<JsonObject> change) {
        try {
            JsonObject root = new JsonObject(demoJson());
            change.accept(root);
            return root.encode();
        } catch (IOException missing) {
            throw new IllegalStateException(missing);
        }
    }
}
