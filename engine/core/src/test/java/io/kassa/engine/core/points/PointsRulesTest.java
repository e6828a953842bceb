package io.kassa.engine.core.points;

import static io.kassa.engine.core.DemoChain.line;
import static io.kassa.engine.core.TestSupport.accepted;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.DemoChain;
import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.quote.Quote;
import io.kassa.engine.core.quote.QuoteEngine;
import io.kassa.engine.core.quote.QuoteRequest;
import io.kassa.engine.core.rules.EngagementRewards;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table tests for earning: each category rate, each tier and campaign multiplier, each bonus,
 * tier crossing and the non-checkout events, each row a quote on the demo chain.
 */
class PointsRulesTest {

    /** 2024-05-16, a Thursday in May: no campaign for a member born in January. */
    private static final ZonedDateTime PLAIN_DAY = DemoChain.THURSDAY;

    private static MemberSnapshot member(String tier, long lifetime, int orders, Month birth) {
        return new MemberSnapshot("M1", tier, lifetime, PointsWallet.EMPTY, 0,
                Optional.of(birth), orders, Optional.empty());
    }

    private static Quote quote(List<BasketLine> basket, MemberSnapshot member, ZonedDateTime at,
            String store) {
        return accepted(QuoteEngine.quote(DemoChain.rules(), new QuoteRequest(store, at, basket,
                Optional.of(member), List.of(), 0)));
    }

    static Stream<Arguments> earning() {
        MemberSnapshot normal = member("NORMAL", 0, 1, Month.JANUARY);
        return Stream.of(
                Arguments.of("1 point per yuan", List.of(line("G", "general", 9_999, 1)),
                        normal, PLAIN_DAY, 99L),
                Arguments.of("fresh 1 point per 2 yuan", List.of(line("F", "fresh", 9_999, 1)),
                        normal, PLAIN_DAY, 49L),
                Arguments.of("high-margin 2 per yuan", List.of(line("H", "high-margin", 1_050,
                        1)), normal, PLAIN_DAY, 21L),
                Arguments.of("tobacco earns nothing", List.of(line("T", "tobacco", 9_000, 1)),
                        normal, PLAIN_DAY, 0L),
                Arguments.of("shoes 20 per item", List.of(line("S", "shoes", 50_00, 3)),
                        normal, PLAIN_DAY, 60L),
                Arguments.of("SILVER x1.2", List.of(line("G", "general", 10_000, 1)),
                        member("SILVER", 2_000, 1, Month.JANUARY), PLAIN_DAY, 120L),
                Arguments.of("GOLD x1.5", List.of(line("G", "general", 10_000, 1)),
                        member("GOLD", 10_000, 1, Month.JANUARY), PLAIN_DAY, 150L),
                Arguments.of("DIAMOND x2", List.of(line("G", "general", 10_000, 1)),
                        member("DIAMOND", 50_000, 1, Month.JANUARY), PLAIN_DAY, 200L),
                Arguments.of("member day Wednesday x2", List.of(line("G", "general", 10_000, 1)),
                        normal, DemoChain.WEDNESDAY, 200L),
                Arguments.of("birthday month x2", List.of(line("G", "general", 10_000, 1)),
                        member("NORMAL", 0, 1, Month.MAY), PLAIN_DAY, 200L),
                Arguments.of("holiday x3 (National Day, a Tuesday)", List.of(line("G", "general",
                        10_000, 1)), normal, ZonedDateTime.of(2024, 10, 1, 12, 0, 0, 0,
                        DemoChain.SHANGHAI), 300L),
                Arguments.of("store anniversary x2 (S001 opened 2015-06-18)", List.of(line("G",
                        "general", 10_000, 1)), normal, ZonedDateTime.of(2024, 6, 18, 12, 0, 0,
                        0, DemoChain.SHANGHAI), 200L),
                Arguments.of("multipliers multiply: DIAMOND x member day x birthday",
                        List.of(line("G", "general", 10_000, 1)),
                        member("DIAMOND", 50_000, 1, Month.MAY), DemoChain.WEDNESDAY, 800L),
                Arguments.of("spend bonus 500 yuan: +500", List.of(line("G", "general", 50_000,
                        1)), normal, PLAIN_DAY, 1_000L),
                Arguments.of("spend bonus only the highest: 1000 yuan +1200",
                        List.of(line("G", "general", 100_000, 1)), normal, PLAIN_DAY, 2_200L),
                Arguments.of("first order net >= 100 yuan: +300", List.of(line("G", "general",
                        10_000, 1)), member("NORMAL", 0, 0, Month.JANUARY), PLAIN_DAY, 400L),
                Arguments.of("first order under 100 yuan: no bonus", List.of(line("G", "general",
                        9_999, 1)), member("NORMAL", 0, 0, Month.JANUARY), PLAIN_DAY, 99L),
                Arguments.of("bonuses are not multiplied", List.of(line("G", "general", 50_000,
                        1)), member("DIAMOND", 50_000, 1, Month.JANUARY), PLAIN_DAY, 1_500L),
                Arguments.of("one floor over the sum, not per line: 3 x 0.5 = 1.5 -> 1",
                        List.of(line("F1", "fresh", 100, 1), line("F2", "fresh", 100, 1),
                                line("F3", "fresh", 100, 1)), normal, PLAIN_DAY, 1L),
                Arguments.of("floor of the sum beats per-line floors: 3 x 0.99 -> 2",
                        List.of(line("G1", "general", 99, 1), line("G2", "general", 99, 1),
                                line("G3", "general", 99, 1)), normal, PLAIN_DAY, 2L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("earning")
    void earnsExactlyPerTheRules(String name, List<BasketLine> basket, MemberSnapshot member,
            ZonedDateTime at, long expectedPoints) {
        assertThat(quote(basket, member, at, DemoChain.STORE).pointsToEarn())
                .isEqualTo(expectedPoints);
    }

    @Test
    void storeGroupOverrideMakesApparelEarnPerItem() {
        List<BasketLine> basket = List.of(line("A", "apparel", 19_900, 2));
        MemberSnapshot normal = member("NORMAL", 0, 1, Month.JANUARY);
        assertThat(quote(basket, normal, PLAIN_DAY, DemoChain.STORE).pointsToEarn())
                .isEqualTo(398);
        assertThat(quote(basket, normal, PLAIN_DAY, DemoChain.CLOTHING_STORE).pointsToEarn())
                .isEqualTo(20);
    }

    @Test
    void crossingAThresholdUpgradesFromTheNextOrder() {
        MemberSnapshot nearSilver = member("NORMAL", 1_950, 1, Month.JANUARY);
        Quote quote = quote(List.of(line("G", "general", 10_000, 1)), nearSilver, PLAIN_DAY,
                DemoChain.STORE);

        assertThat(quote.earning().combinedMultiplier().toString()).isEqualTo("1");
        TierProgress progress = quote.tierProgress().orElseThrow();
        assertThat(progress.tierBefore()).isEqualTo("NORMAL");
        assertThat(progress.tierAfter()).isEqualTo("SILVER");
        assertThat(progress.upgraded()).isTrue();
        assertThat(progress.lifetimePointsAfter()).isEqualTo(2_050);
        assertThat(progress.nextTier()).contains("GOLD");
        assertThat(progress.pointsToNextTier()).isEqualTo(7_950);
    }

    @Test
    void notReachingTheThresholdShowsWhatIsMissing() {
        Quote quote = quote(List.of(line("G", "general", 10_000, 1)),
                member("NORMAL", 100, 1, Month.JANUARY), PLAIN_DAY, DemoChain.STORE);
        TierProgress progress = quote.tierProgress().orElseThrow();
        assertThat(progress.upgraded()).isFalse();
        assertThat(progress.pointsToNextTier()).isEqualTo(1_800);
    }

    @Test
    void pointsPaidShareEarnsNothing() {
        MemberSnapshot rich = new MemberSnapshot("M1", "NORMAL", 0, new PointsWallet(List.of(
                new PointsLot("L", 10_000, LocalDate.of(2024, 1, 1), LocalDate.of(2025, 1, 1),
                        0))), 0, Optional.of(Month.JANUARY), 1, Optional.empty());
        Quote quote = accepted(QuoteEngine.quote(DemoChain.rules(), new QuoteRequest(
                DemoChain.STORE, PLAIN_DAY, List.of(line("G", "general", 10_000, 1)),
                Optional.of(rich), List.of(), 2_000)));
        assertThat(quote.pointsToRedeem()).isEqualTo(2_000);
        assertThat(quote.pointsToEarn()).isEqualTo(80);
    }

    @Test
    void pointsWishIsHeldToTheCapAndTheBalance() {
        MemberSnapshot some = new MemberSnapshot("M1", "NORMAL", 0, new PointsWallet(List.of(
                new PointsLot("L", 1_500, LocalDate.of(2024, 1, 1), LocalDate.of(2025, 1, 1),
                        0))), 0, Optional.of(Month.JANUARY), 1, Optional.empty());
        Quote capped = accepted(QuoteEngine.quote(DemoChain.rules(), new QuoteRequest(
                DemoChain.STORE, PLAIN_DAY, List.of(line("G", "general", 5_001, 1)),
                Optional.of(some), List.of(), 9_999)));
        assertThat(capped.pointsCapPoints()).isEqualTo(1_000);
        assertThat(capped.pointsToRedeem()).isEqualTo(1_000);
        Quote byBalance = accepted(QuoteEngine.quote(DemoChain.rules(), new QuoteRequest(
                DemoChain.STORE, PLAIN_DAY, List.of(line("G", "general", 50_000, 1)),
                Optional.of(some), List.of(), 9_999)));
        assertThat(byBalance.pointsToRedeem()).isEqualTo(1_500);
    }

    @Test
    void engagementEventsEarnTheirPoints() {
        EngagementRewards rewards = DemoChain.rules().engagement();
        assertThat(EngagementPoints.award(rewards, "M1", new EngagementEvent.Registration()))
                .extracting(EngagementAward::points).containsExactly(100L);
        assertThat(EngagementPoints.award(rewards, "M2", new EngagementEvent.Referral("M1",
                "M2"))).extracting(EngagementAward::memberId, EngagementAward::points)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("M1", 100L),
                        org.assertj.core.groups.Tuple.tuple("M2", 50L));
        assertThat(EngagementPoints.award(rewards, "M1", new EngagementEvent.CheckIn(3)))
                .extracting(EngagementAward::points).containsExactly(5L);
        assertThat(EngagementPoints.award(rewards, "M1", new EngagementEvent.CheckIn(7)))
                .extracting(EngagementAward::points).containsExactly(35L);
        assertThat(EngagementPoints.award(rewards, "M1", new EngagementEvent.Review()))
                .extracting(EngagementAward::points).containsExactly(10L);
        assertThat(EngagementPoints.award(rewards, "M1", new EngagementEvent.Share()))
                .extracting(EngagementAward::points).containsExactly(10L);
    }

    @Test
    void nonMemberEarnsNothing() {
        Quote quote = accepted(QuoteEngine.quote(DemoChain.rules(), new QuoteRequest(
                DemoChain.STORE, PLAIN_DAY, List.of(line("G", "general", 10_000, 1)),
                Optional.empty(), List.of(), 0)));
        assertThat(quote.pointsToEarn()).isZero();
        assertThat(quote.tierProgress()).isEmpty();
    }
}
