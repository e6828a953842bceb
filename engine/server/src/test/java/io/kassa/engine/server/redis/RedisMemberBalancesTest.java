package io.kassa.engine.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.points.LotDraw;
import io.kassa.engine.core.points.PointsLot;
import io.kassa.engine.server.checkout.MemberBalances.FinishResult;
import io.kassa.engine.server.checkout.MemberBalances.HoldCommit;
import io.kassa.engine.server.checkout.MemberBalances.HoldRequest;
import io.kassa.engine.server.checkout.MemberBalances.HotMember;
import io.kassa.engine.server.checkout.MemberBalances.MemberRecord;
import io.kassa.engine.server.checkout.MemberBalances.ReserveResult;
import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis scripts against a real Redis: reserve is all or nothing and draws the lots that
 * expire first; commit and release are idempotent and exact inverses where they should be;
 * concurrent holds never overspend and a coupon is held once. Each test uses its own member.
 */
class RedisMemberBalancesTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);
    private static final String GENERATION = "gen-test";
    private static Vertx vertx;
    private static Redis client;
    private static RedisAPI redis;
    private static RedisMemberBalances balances;

    @BeforeAll
    static void connect() {
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(TestServices.redisUrl()).setMaxPoolSize(24)
                .setMaxPoolWaiting(200));
        redis = RedisAPI.api(client);
        balances = new RedisMemberBalances(redis);
    }

    @AfterAll
    static void close() throws Exception {
        client.close();
        await(vertx.close());
    }

    @Test
    void loadedStateReadsBackExactly() throws Exception {
        String member = loadMember(5_000, Map.of("c1", "A", "c2", "R:old"),
                lot("a", 300, 10), lot("b", 200, 400));
        HotMember hot = await(balances.read(member)).orElseThrow();
        assertThat(hot.generation()).isEqualTo(GENERATION);
        assertThat(hot.storedValueFen()).isEqualTo(5_000);
        assertThat(hot.lots()).containsExactly(lot("a", 300, 10), lot("b", 200, 400));
        assertThat(hot.couponStates()).containsEntry("c1", "A").containsEntry("c2", "R:old");
        assertThat(await(balances.read("nobody-" + UUID.randomUUID()))).isEmpty();
    }

    @Test
    void reserveDrawsTheLotsThatExpireFirstTiesByLotId() throws Exception {
        String member = loadMember(0, Map.of(),
                lot("z", 100, 30), lot("late", 500, 300), lot("a", 100, 30), lot("gone", 999, 0));
        ReserveResult result = await(balances.reserve(hold(member, "h1", 250, 0)));
        assertThat(result).isInstanceOf(ReserveResult.Reserved.class);
        assertThat(((ReserveResult.Reserved) result).draws()).extracting(LotDraw::lotId,
                LotDraw::points).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", 100L),
                        org.assertj.core.groups.Tuple.tuple("z", 100L),
                        org.assertj.core.groups.Tuple.tuple("late", 50L));
        HotMember hot = await(balances.read(member)).orElseThrow();
        assertThat(hot.livePointsOn(TODAY)).isEqualTo(450);
        assertThat(hot.pointsHeld()).isEqualTo(250);
        // The expired lot was never spendable and is still there for the expiry job.
        assertThat(hot.lots()).extracting(PointsLot::lotId).contains("gone");
    }

    @Test
    void reserveIsAllOrNothing() throws Exception {
        String member = loadMember(1_000, Map.of("c1", "A", "c2", "R:x"), lot("a", 100, 30));
        HotMember before = await(balances.read(member)).orElseThrow();
        assertThat(await(balances.reserve(hold(member, "h1", 101, 0))))
                .isEqualTo(new ReserveResult.InsufficientPoints(100));
        assertThat(await(balances.reserve(hold(member, "h2", 50, 1_001))))
                .isEqualTo(new ReserveResult.InsufficientStoredValue(1_000));
        assertThat(await(balances.reserve(hold(member, "h3", 50, 10, "c1", "c2"))))
                .isEqualTo(new ReserveResult.CouponUnavailable("c2", "R:x"));
        assertThat(await(balances.reserve(hold(member, "h4", 50, 10, "c9"))))
                .isEqualTo(new ReserveResult.CouponUnavailable("c9", "UNKNOWN"));
        assertThat(await(balances.read(member)).orElseThrow()).isEqualTo(before);
    }

    @Test
    void aRetriedReserveFindsTheExistingHoldAndTakesNothingTwice() throws Exception {
        String member = loadMember(1_000, Map.of(), lot("a", 100, 30));
        ReserveResult first = await(balances.reserve(hold(member, "h1", 60, 500)));
        ReserveResult again = await(balances.reserve(hold(member, "h1", 60, 500)));
        assertThat(again).isEqualTo(new ReserveResult.Existing("H",
                ((ReserveResult.Reserved) first).draws()));
        HotMember hot = await(balances.read(member)).orElseThrow();
        assertThat(hot.livePointsOn(TODAY)).isEqualTo(40);
        assertThat(hot.storedValueFen()).isEqualTo(500);
    }

    @Test
    void releaseRestoresExactlyAndIsIdempotent() throws Exception {
        String member = loadMember(1_000, Map.of("c1", "A"), lot("a", 100, 30),
                lot("b", 50, 60));
        HotMember before = await(balances.read(member)).orElseThrow();
        await(balances.reserve(hold(member, "h1", 120, 300, "c1")));
        assertThat(await(balances.release(member, "h1"))).isEqualTo(FinishResult.DONE);
        assertThat(await(balances.read(member)).orElseThrow()).isEqualTo(before);
        assertThat(await(balances.release(member, "h1"))).isEqualTo(FinishResult.ALREADY_DONE);
        assertThat(await(balances.commit(commit(member, "h1")))).isEqualTo(FinishResult.CONFLICT);
        assertThat(await(balances.read(member)).orElseThrow()).isEqualTo(before);
    }

    @Test
    void commitMakesTheHoldFinalAddsEarnedLotsAndIsIdempotent() throws Exception {
        String member = loadMember(1_000, Map.of("c1", "A"), lot("a", 100, 30),
                lot("b", 50, 60));
        await(balances.reserve(hold(member, "h1", 120, 300, "c1")));
        HoldCommit commit = new HoldCommit(member, "h1", TODAY, Optional.empty(),
                List.of(lot("earned", 77, 365)));
        assertThat(await(balances.commit(commit))).isEqualTo(FinishResult.DONE);
        assertThat(await(balances.commit(commit))).isEqualTo(FinishResult.ALREADY_DONE);
        HotMember hot = await(balances.read(member)).orElseThrow();
        assertThat(hot.storedValueFen()).isEqualTo(700);
        assertThat(hot.storedValueHeldFen()).isZero();
        assertThat(hot.pointsHeld()).isZero();
        assertThat(hot.lots()).containsExactly(lot("b", 30, 60), lot("earned", 77, 365));
        assertThat(hot.couponStates().get("c1")).startsWith("R:");
        assertThat(await(balances.release(member, "h1"))).isEqualTo(FinishResult.CONFLICT);
        assertThat(await(balances.commit(commit(member, "never-held"))))
                .isEqualTo(FinishResult.NO_HOLD);
    }

    @Test
    void rollingCommitRestartsTheClockOfEveryLiveLot() throws Exception {
        String member = loadMember(0, Map.of(), lot("a", 100, 30), lot("b", 50, 400),
                lot("dead", 10, 0));
        await(balances.reserve(hold(member, "h1", 40, 0)));
        LocalDate restart = TODAY.plusMonths(12);
        await(balances.commit(new HoldCommit(member, "h1", TODAY, Optional.of(restart),
                List.of())));
        HotMember hot = await(balances.read(member)).orElseThrow();
        assertThat(hot.lots()).extracting(PointsLot::lotId, PointsLot::expiresOn)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("dead", TODAY),
                        org.assertj.core.groups.Tuple.tuple("a", restart),
                        org.assertj.core.groups.Tuple.tuple("b", TODAY.plusDays(400)));
    }

    @Test
    void reserveRefusesAnUnloadedMemberAndAStaleGeneration() throws Exception {
        assertThat(await(balances.reserve(hold("unloaded-" + UUID.randomUUID(), "h", 1, 0))))
                .isEqualTo(new ReserveResult.NotLoaded());
        String member = loadMember(0, Map.of(), lot("a", 100, 30));
        HoldRequest stale = new HoldRequest(member, "h", "gen-other", 1, 0, List.of(), TODAY,
                Instant.now().plusSeconds(60));
        assertThat(await(balances.reserve(stale)))
                .isEqualTo(new ReserveResult.StaleGeneration(GENERATION));
    }

    @Test
    void aHoldOfALostGenerationIsNeitherFoundNorCommittedNorReleased() throws Exception {
        String member = loadMember(1_000, Map.of(), lot("a", 100, 30));
        await(balances.reserve(hold(member, "h1", 40, 300)));
        // The hot copy is lost and the member reloaded from PostgreSQL in a new generation.
        MemberRecord durable = new MemberRecord(member, 1_000, List.of(lot("a", 100, 30)),
                Map.of());
        await(balances.load("gen-next", durable));
        assertThat(await(balances.commit(commit(member, "h1")))).isEqualTo(FinishResult.NO_HOLD);
        assertThat(await(balances.release(member, "h1"))).isEqualTo(FinishResult.NO_HOLD);
        HoldRequest again = new HoldRequest(member, "h1", "gen-next", 40, 300, List.of(), TODAY,
                Instant.now().plusSeconds(60));
        assertThat(await(balances.reserve(again))).isInstanceOf(ReserveResult.Reserved.class);
        HotMember hot = await(balances.read(member)).orElseThrow();
        assertThat(hot.storedValueFen()).isEqualTo(700);
        assertThat(hot.storedValueHeldFen()).isEqualTo(300);
        assertThat(hot.livePointsOn(TODAY)).isEqualTo(60);
    }

    @Test
    void scriptsAreReloadedAfterRedisForgetsThem() throws Exception {
        String member = loadMember(100, Map.of(), lot("a", 100, 30));
        await(redis.script(List.of("FLUSH")));
        assertThat(await(balances.reserve(hold(member, "h1", 10, 10))))
                .isInstanceOf(ReserveResult.Reserved.class);
    }

    @Test
    void fiftyConcurrentHoldsNeverOverspend() throws Exception {
        // 50 holds of 30 points and 200 fen against 1,000 points and 6,000 fen: exactly 30
        // fit the stored value, 33 would fit the points, so stored value decides.
        String member = loadMember(6_000, Map.of(), lot("a", 600, 30), lot("b", 400, 90));
        List<Future<ReserveResult>> results = new ArrayList<>();
        for (int sale = 0; sale < 50; sale++) {
            results.add(balances.reserve(hold(member, "h" + sale, 30, 200)));
        }
        int reserved = 0;
        for (Future<ReserveResult> result : results) {
            if (await(result) instanceof ReserveResult.Reserved) {
                reserved++;
            }
        }
        assertThat(reserved).isEqualTo(30);
        HotMember hot = await(balances.read(member)).orElseThrow();
        assertThat(hot.storedValueFen()).isZero();
        assertThat(hot.livePointsOn(TODAY)).isEqualTo(1_000 - 30 * 30);
        assertThat(hot.pointsHeld()).isEqualTo(30 * 30);
    }

    @Test
    void oneCouponHeldFromTwentyConnectionsAtOnceIsHeldOnce() throws Exception {
        String member = loadMember(0, Map.of("c1", "A"));
        List<Future<ReserveResult>> results = new ArrayList<>();
        for (int sale = 0; sale < 20; sale++) {
            results.add(balances.reserve(hold(member, "h" + sale, 0, 0, "c1")));
        }
        long reserved = 0;
        for (Future<ReserveResult> result : results) {
            if (await(result) instanceof ReserveResult.Reserved) {
                reserved++;
            }
        }
        assertThat(reserved).isEqualTo(1);
    }

    private static String loadMember(long storedValueFen, Map<String, String> coupons,
            PointsLot... lots) throws Exception {
        String member = "m-" + UUID.randomUUID();
        await(balances.load(GENERATION,
                new MemberRecord(member, storedValueFen, List.of(lots), coupons)));
        return member;
    }

    private static PointsLot lot(String id, long points, int daysLeft) {
        return new PointsLot(id, points, TODAY.minusDays(10), TODAY.plusDays(daysLeft), 0);
    }

    private static HoldRequest hold(String member, String holdId, long points,
            long storedValueFen, String... coupons) {
        return new HoldRequest(member, holdId, GENERATION, points, storedValueFen,
                List.of(coupons), TODAY, Instant.now().plusSeconds(60));
    }

    private static HoldCommit commit(String member, String holdId) {
        return new HoldCommit(member, holdId, TODAY, Optional.empty(), List.of());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
