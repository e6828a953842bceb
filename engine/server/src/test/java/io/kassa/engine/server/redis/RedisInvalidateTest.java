package io.kassa.engine.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.points.PointsLot;
import io.kassa.engine.server.checkout.MemberBalances.HoldRequest;
import io.kassa.engine.server.checkout.MemberBalances.InvalidateResult;
import io.kassa.engine.server.checkout.MemberBalances.MemberRecord;
import io.kassa.engine.server.checkout.MemberBalances.ReserveResult;
import io.kassa.engine.server.checkout.HotCopy;
import io.kassa.engine.server.checkout.MemberDirectory;
import io.kassa.engine.server.checkout.Outbox;
import io.kassa.engine.server.checkout.OutboxRelay;
import io.kassa.engine.server.checkout.ProfileUpdate;
import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
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
 * How an admin change reaches the hot copy: the outbox row RELOAD_MEMBER drops the member's
 * hot state (invalidate.lua) so the next use loads the truth, is refused while a sale of the
 * member holds points (the relay keeps the row and retries), and is idempotent.
 */
class RedisInvalidateTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);
    private static final String GENERATION = "gen-invalidate-test";
    private static Vertx vertx;
    private static Redis client;
    private static RedisMemberBalances balances;

    @BeforeAll
    static void connect() {
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(TestServices.redisUrl()));
        balances = new RedisMemberBalances(RedisAPI.api(client));
    }

    @AfterAll
    static void close() throws Exception {
        client.close();
        await(vertx.close());
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A hot copy for a relay that redoes reloads alone: they need nothing of PostgreSQL. */
    static HotCopy withoutPostgres() {
        MemberDirectory none = new MemberDirectory() {
            @Override
            public Future<Optional<MemberWithCoupons>> findWithCoupons(String code, Instant at) {
                return Future.failedFuture(new AssertionError("no PostgreSQL in this test"));
            }

            @Override
            public Future<MemberRecord> balances(String memberId) {
                return Future.failedFuture(new AssertionError("no PostgreSQL in this test"));
            }

            @Override
            public Future<Optional<ProfileUpdate>> profile(String memberId) {
                return Future.failedFuture(new AssertionError("no PostgreSQL in this test"));
            }

            @Override
            public Future<List<String>> memberIds(String afterMemberId, int limit) {
                return Future.failedFuture(new AssertionError("no PostgreSQL in this test"));
            }
        };
        return new HotCopy(balances, none, null);
    }

    /** An outbox of one row, remembering what the relay marked applied. */
    static final class OneRow implements Outbox {
        final Pending row;
        final List<Long> applied = new ArrayList<>();

        OneRow(String memberId) {
            row = new Pending(7, OutboxRelay.KIND_RELOAD_MEMBER, memberId, "admin-x",
                    new JsonObject());
        }

        @Override
        public void markApplied(long outboxId) {
            applied.add(outboxId);
        }

        @Override
        public Future<List<Pending>> pending(Duration olderThan, int limit) {
            return Future.succeededFuture(applied.isEmpty() ? List.of(row) : List.of());
        }

        @Override
        public Future<Void> markAppliedNow(List<Long> outboxIds) {
            applied.addAll(outboxIds);
            return Future.succeededFuture();
        }
    }

    @Test
    void reloadWaitsForSalesInFlightThenDropsTheMember() throws Exception {
        String member = "M-inv-" + UUID.randomUUID().toString().substring(0, 8);
        await(balances.load(GENERATION, new MemberRecord(member, 5_000, List.of(new PointsLot(
                "lot-" + member, 800, TODAY.minusDays(10), TODAY.plusMonths(6), 0)), Map.of())));
        ReserveResult held = await(balances.reserve(new HoldRequest(member, "hold-1", GENERATION,
                100, 0, List.of(), TODAY, Instant.now().plusSeconds(60))));
        assertThat(held).isInstanceOf(ReserveResult.Reserved.class);

        OneRow outbox = new OneRow(member);
        OutboxRelay relay = new OutboxRelay(outbox, balances, withoutPostgres());
        assertThat(await(relay.relayOnce(Duration.ZERO))).isZero();
        assertThat(outbox.applied).isEmpty();
        assertThat(await(balances.read(member))).isPresent();

        await(balances.release(member, "hold-1"));
        assertThat(await(relay.relayOnce(Duration.ZERO))).isEqualTo(1);
        assertThat(outbox.applied).containsExactly(7L);
        assertThat(await(balances.read(member))).isEmpty();
        assertThat(await(balances.invalidate(member))).isEqualTo(InvalidateResult.NOT_LOADED);
    }

    @Test
    void invalidateIsRefusedWhileStoredValueIsHeld() throws Exception {
        String member = "M-inv-" + UUID.randomUUID().toString().substring(0, 8);
        await(balances.load(GENERATION, new MemberRecord(member, 5_000, List.of(), Map.of())));
        await(balances.reserve(new HoldRequest(member, "hold-sv", GENERATION, 0, 1_000,
                List.of(), TODAY, Instant.now().plusSeconds(60))));
        assertThat(await(balances.invalidate(member))).isEqualTo(InvalidateResult.BUSY);
        await(balances.release(member, "hold-sv"));
        assertThat(await(balances.invalidate(member))).isEqualTo(InvalidateResult.INVALIDATED);
        assertThat(await(balances.invalidate(member))).isEqualTo(InvalidateResult.NOT_LOADED);
    }
}
