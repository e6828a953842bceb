package io.kassa.engine.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.points.PointsLot;
import io.kassa.engine.server.checkout.MemberBalances.FinishResult;
import io.kassa.engine.server.checkout.MemberBalances.HoldCommit;
import io.kassa.engine.server.checkout.MemberBalances.HoldEntry;
import io.kassa.engine.server.checkout.MemberBalances.HoldRequest;
import io.kassa.engine.server.checkout.MemberBalances.HotMemberAndHold;
import io.kassa.engine.server.checkout.MemberBalances.MemberRecord;
import io.kassa.engine.server.checkout.MemberBalances.ReserveResult;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The round trips a member checkout saves: the balances and the sale's hold read in one
 * script call, the hold's index entry pipelined with its reserve, and its removal with its
 * commit — with the same outcomes as the calls made one by one, also when Redis has forgotten
 * the scripts. Each test uses its own member and sale.
 */
class RedisPipelinedHoldsTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);
    private static final String GENERATION = "gen-pipelined";
    private static Vertx vertx;
    private static Redis client;
    private static RedisAPI redis;
    private static RedisMemberBalances balances;

    @BeforeAll
    static void connect() {
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(TestServices.redisUrl()).setMaxPoolSize(8)
                .setMaxPoolWaiting(200));
        redis = RedisAPI.api(client);
        balances = new RedisMemberBalances(client);
    }

    @AfterAll
    static void close() throws Exception {
        client.close();
        await(vertx.close());
    }

    @Test
    void indexAndReserveIndexesTheHoldAndPlacesIt() throws Exception {
        String member = loadMember(1_000, Map.of("c1", "A"), lot("a", 300));
        HoldEntry entry = entry(member, "h1");
        Instant deadline = Instant.now().plusSeconds(120);

        ReserveResult result = await(balances.indexAndReserve(entry,
                hold(member, "h1", 100, 400, deadline, "c1")));

        assertThat(result).isInstanceOf(ReserveResult.Reserved.class);
        assertThat(indexScore(entry)).contains(deadline.toEpochMilli());
        HotMemberAndHold hot = await(balances.readWithHold(member, "h1")).orElseThrow();
        assertThat(hot.member().storedValueFen()).isEqualTo(600);
        assertThat(hot.member().storedValueHeldFen()).isEqualTo(400);
        assertThat(hot.member().couponStates().get("c1")).startsWith("H:");
        assertThat(hot.hold()).hasValueSatisfying(view -> {
            assertThat(view.state()).isEqualTo("H");
            assertThat(view.points()).isEqualTo(100);
            assertThat(view.storedValueFen()).isEqualTo(400);
            assertThat(view.couponIds()).containsExactly("c1");
            assertThat(view.generation()).isEqualTo(GENERATION);
        });
    }

    @Test
    void aRefusedReserveLeavesTheIndexEntryForTheCallerToRemove() throws Exception {
        String member = loadMember(100, Map.of(), lot("a", 50));
        HoldEntry entry = entry(member, "h1");

        ReserveResult result = await(balances.indexAndReserve(entry,
                hold(member, "h1", 0, 500, Instant.now().plusSeconds(120))));

        assertThat(result).isEqualTo(new ReserveResult.InsufficientStoredValue(100));
        assertThat(indexScore(entry)).isPresent();
        assertThat(await(balances.readWithHold(member, "h1")).orElseThrow().hold()).isEmpty();
        await(balances.unindexHold(entry));
        assertThat(indexScore(entry)).isEmpty();
    }

    @Test
    void commitAndUnindexCommitsTheHoldAndForgetsItsEntryOnce() throws Exception {
        String member = loadMember(1_000, Map.of(), lot("a", 300));
        HoldEntry entry = entry(member, "h1");
        await(balances.indexAndReserve(entry, hold(member, "h1", 100, 400,
                Instant.now().plusSeconds(120))));

        assertThat(await(balances.commitAndUnindex(commit(member, "h1"), entry)))
                .isEqualTo(FinishResult.DONE);

        assertThat(indexScore(entry)).isEmpty();
        HotMemberAndHold hot = await(balances.readWithHold(member, "h1")).orElseThrow();
        assertThat(hot.member().storedValueHeldFen()).isZero();
        assertThat(hot.member().pointsHeld()).isZero();
        assertThat(hot.member().lots()).extracting(PointsLot::lotId)
                .containsExactly("a", "earned-h1");
        assertThat(hot.hold().orElseThrow().state()).isEqualTo("C");
        // A replay (the outbox relay after a lost answer) changes nothing.
        assertThat(await(balances.commitAndUnindex(commit(member, "h1"), entry)))
                .isEqualTo(FinishResult.ALREADY_DONE);
        assertThat(await(balances.read(member)).orElseThrow()).isEqualTo(hot.member());
    }

    @Test
    void readWithHoldAnswersNoHoldForANewSaleAndNothingForAMemberNotLoaded()
            throws Exception {
        String member = loadMember(700, Map.of(), lot("a", 30));
        HotMemberAndHold hot = await(balances.readWithHold(member, "never-held")).orElseThrow();
        assertThat(hot.hold()).isEmpty();
        assertThat(hot.member()).isEqualTo(await(balances.read(member)).orElseThrow());
        assertThat(await(balances.readWithHold("nobody-" + UUID.randomUUID(), "h1"))).isEmpty();
    }

    @Test
    void pipelinesReloadTheScriptsRedisForgot() throws Exception {
        String member = loadMember(1_000, Map.of(), lot("a", 300));
        HoldEntry entry = entry(member, "h1");
        await(redis.script(List.of("FLUSH")));
        assertThat(await(balances.indexAndReserve(entry, hold(member, "h1", 10, 10,
                Instant.now().plusSeconds(120))))).isInstanceOf(ReserveResult.Reserved.class);
        assertThat(indexScore(entry)).isPresent();

        await(redis.script(List.of("FLUSH")));
        assertThat(await(balances.commitAndUnindex(commit(member, "h1"), entry)))
                .isEqualTo(FinishResult.DONE);
        assertThat(indexScore(entry)).isEmpty();
        assertThat(await(balances.read(member)).orElseThrow().storedValueFen()).isEqualTo(990);
    }

    private static Optional<Long> indexScore(HoldEntry entry) throws Exception {
        Response score = await(redis.zscore(RedisMemberBalances.HOLD_INDEX_KEY,
                entry.encoded()));
        return Optional.ofNullable(score).map(value -> (long) Double.parseDouble(
                value.toString()));
    }

    private static String loadMember(long storedValueFen, Map<String, String> coupons,
            PointsLot... lots) throws Exception {
        String member = "m-" + UUID.randomUUID();
        await(balances.load(GENERATION,
                new MemberRecord(member, storedValueFen, List.of(lots), coupons)));
        return member;
    }

    private static HoldEntry entry(String member, String holdId) {
        return new HoldEntry(member, holdId, new SaleKey("store-p", "T1", member + holdId));
    }

    private static PointsLot lot(String id, long points) {
        return new PointsLot(id, points, TODAY.minusDays(10), TODAY.plusDays(30), 0);
    }

    private static HoldRequest hold(String member, String holdId, long points,
            long storedValueFen, Instant deadline, String... coupons) {
        return new HoldRequest(member, holdId, GENERATION, points, storedValueFen,
                List.of(coupons), TODAY, deadline);
    }

    private static HoldCommit commit(String member, String holdId) {
        return new HoldCommit(member, holdId, TODAY, Optional.empty(), List.of(
                new PointsLot("earned-" + holdId, 5, TODAY, TODAY.plusDays(365), 0)));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
