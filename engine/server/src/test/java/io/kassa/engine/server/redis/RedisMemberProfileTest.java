package io.kassa.engine.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.points.PointsLot;
import io.kassa.engine.server.checkout.MemberBalances.HotMember;
import io.kassa.engine.server.checkout.MemberBalances.HotProfile;
import io.kassa.engine.server.checkout.MemberBalances.InvalidateResult;
import io.kassa.engine.server.checkout.MemberBalances.MemberRecord;
import io.kassa.engine.server.checkout.MemberDirectory.CouponRecord;
import io.kassa.engine.server.checkout.MemberProfile;
import io.kassa.engine.server.checkout.ProfileUpdate;
import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The member's profile and coupon terms in the hot copy (load.lua, read.lua, profile.lua)
 * against a real Redis: a loaded profile reads back exactly, a profile update is taken only
 * over an older version, never creates a member and never gives a profile to a member loaded
 * without one, and a reload drops the coupon terms with the rest. Each test has its member.
 */
class RedisMemberProfileTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);
    private static final String GENERATION = "gen-profile-test";
    private static Vertx vertx;
    private static Redis client;
    private static RedisMemberBalances balances;

    @BeforeAll
    static void connect() {
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(TestServices.redisUrl()));
        balances = new RedisMemberBalances(client);
    }

    @AfterAll
    static void close() throws Exception {
        client.close();
        await(vertx.close());
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aLoadedProfileAndItsCouponTermsReadBackExactly() throws Exception {
        String member = newMember();
        CouponRecord plain = coupon(member, "cpn-1", "spend-100-get-20", OptionalLong.empty());
        // A red packet's share has its own amount; a template id may hold a colon.
        CouponRecord share = coupon(member, "cpn-2", "packet:share", OptionalLong.of(1_234));
        HotProfile profile = new HotProfile(new MemberProfile(member, "code-" + member, "GOLD",
                12_345, Optional.of(Month.MARCH), 17, Optional.of(TODAY.minusDays(3)),
                Optional.of("13800000000")), 2, 41, List.of(plain, share));
        await(balances.load(GENERATION, new MemberRecord(member, 900, List.of(lot(member)),
                Map.of("cpn-1", "A", "cpn-2", "R:some-order"), Optional.of(profile))));

        HotMember hot = await(balances.read(member)).orElseThrow();
        assertThat(hot.profile().orElseThrow().profile()).isEqualTo(profile.profile());
        assertThat(hot.profile().orElseThrow().tierRank()).isEqualTo(2);
        assertThat(hot.profile().orElseThrow().version()).isEqualTo(41);
        // Coupons come in no particular order: quotes order them by expiry.
        assertThat(hot.profile().orElseThrow().coupons()).containsExactlyInAnyOrder(plain, share);
        assertThat(hot.couponStates()).containsEntry("cpn-1", "A")
                .containsEntry("cpn-2", "R:some-order");
        assertThat(hot.profile().get().answersTo("code-" + member)).isTrue();
        assertThat(hot.profile().get().answersTo("13800000000")).isTrue();
        assertThat(hot.profile().get().answersTo("code-someone-else")).isFalse();
    }

    @Test
    void aMemberWithoutPhoneBirthMonthOrOrdersReadsBackSo() throws Exception {
        String member = newMember();
        HotProfile profile = new HotProfile(new MemberProfile(member, "code-" + member, "NORMAL",
                0, Optional.empty(), 0, Optional.empty(), Optional.empty()), 0, 0, List.of());
        await(balances.load(GENERATION, new MemberRecord(member, 0, List.of(), Map.of(),
                Optional.of(profile))));

        assertThat(await(balances.read(member)).orElseThrow().profile()).contains(profile);
    }

    @Test
    void aProfileIsTakenOnlyOverAnOlderVersion() throws Exception {
        String member = loadWithProfile(5);

        await(balances.applyProfile(update(member, 4, "DIAMOND", 99_999)));
        assertThat(standing(member)).isEqualTo("SILVER/1 2500 pts 3 orders v5");
        await(balances.applyProfile(update(member, 5, "DIAMOND", 99_999)));
        assertThat(standing(member)).isEqualTo("SILVER/1 2500 pts 3 orders v5");

        await(balances.applyProfile(update(member, 6, "GOLD", 10_100)));
        assertThat(standing(member)).isEqualTo("GOLD/2 10100 pts 4 orders v6");
        HotProfile after = await(balances.read(member)).orElseThrow().profile().orElseThrow();
        assertThat(after.profile().lastOrderOn()).contains(TODAY);
        // What a sale does not move stays: identity, birth month, coupon terms.
        assertThat(after.profile().memberCode()).isEqualTo("code-" + member);
        assertThat(after.profile().birthMonth()).contains(Month.JULY);
        assertThat(after.coupons()).extracting(CouponRecord::couponId).containsExactly("cpn-x");
    }

    @Test
    void aProfileUpdateNeverCreatesAMember() throws Exception {
        String member = newMember();
        await(balances.applyProfile(update(member, 9, "GOLD", 10_000)));
        assertThat(await(balances.read(member))).isEmpty();
    }

    @Test
    void aMemberLoadedWithoutAProfileIsNotGivenOne() throws Exception {
        String member = newMember();
        await(balances.load(GENERATION, new MemberRecord(member, 100, List.of(), Map.of())));
        await(balances.applyProfile(update(member, 9, "GOLD", 10_000)));
        HotMember hot = await(balances.read(member)).orElseThrow();
        assertThat(hot.profile()).isEmpty();
        assertThat(hot.storedValueFen()).isEqualTo(100);
    }

    @Test
    void aReloadDropsTheProfileAndTheCouponTerms() throws Exception {
        String member = loadWithProfile(3);
        assertThat(await(balances.invalidate(member))).isEqualTo(InvalidateResult.INVALIDATED);
        assertThat(await(balances.read(member))).isEmpty();
        // Loaded again without the coupon: its terms are not left behind.
        await(balances.load(GENERATION, new MemberRecord(member, 0, List.of(), Map.of(),
                Optional.of(new HotProfile(profile(member), 1, 3, List.of())))));
        assertThat(await(balances.read(member)).orElseThrow().profile().orElseThrow().coupons())
                .isEmpty();
    }

    private static String loadWithProfile(long version) throws Exception {
        String member = newMember();
        HotProfile profile = new HotProfile(profile(member), 1, version,
                List.of(coupon(member, "cpn-x", "cash-5", OptionalLong.empty())));
        await(balances.load(GENERATION, new MemberRecord(member, 0, List.of(),
                Map.of("cpn-x", "A"), Optional.of(profile))));
        return member;
    }

    private static MemberProfile profile(String member) {
        return new MemberProfile(member, "code-" + member, "SILVER", 2_500,
                Optional.of(Month.JULY), 3, Optional.of(TODAY.minusDays(10)), Optional.empty());
    }

    private static ProfileUpdate update(String member, long version, String tier,
            long lifetime) {
        int rank = switch (tier) {
            case "GOLD" -> 2;
            case "DIAMOND" -> 3;
            default -> 1;
        };
        return new ProfileUpdate(member, version, tier, rank, lifetime, 4, Optional.of(TODAY));
    }

    private static String standing(String member) throws Exception {
        HotProfile hot = await(balances.read(member)).orElseThrow().profile().orElseThrow();
        return hot.profile().tierName() + "/" + hot.tierRank() + " "
                + hot.profile().lifetimeEarnedPoints() + " pts "
                + hot.profile().completedOrders() + " orders v" + hot.version();
    }

    private static CouponRecord coupon(String member, String id, String template,
            OptionalLong amountOff) {
        return new CouponRecord(id, template, Optional.of(member),
                Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-31T16:00:00Z"),
                amountOff);
    }

    private static PointsLot lot(String member) {
        return new PointsLot("lot-" + member, 300, TODAY.minusDays(5), TODAY.plusDays(300), 0);
    }

    private static String newMember() {
        return "M-profile-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
