package io.kassa.engine.server.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.admin.AdminStore;
import io.kassa.engine.server.admin.ApiRole;
import io.kassa.engine.server.admin.PointsExchange;
import io.kassa.engine.server.admin.PointsExchanges;
import io.kassa.engine.server.http.admin.ExchangeRush.Sent;
import io.kassa.engine.server.postgres.PgAdminStore;
import io.kassa.engine.server.postgres.PgInvariants;
import io.kassa.engine.server.redis.RedisChainQuotas;
import io.kassa.engine.server.testing.Http;
import io.kassa.engine.server.testing.TestEngine;
import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chain-wide quota when Redis is wrong: Redis wiped (FLUSHDB) between two rushes and again
 * in the middle of the second still gives exactly the stock, PostgreSQL's check refusing what
 * a reseeded Redis let through; and a Redis whose count was set behind lets one exchange
 * through that PostgreSQL refuses as sold out, after which Redis knows the quota is full; with
 * Redis unreachable, PostgreSQL alone keeps the quota. Works in this JVM's own Redis database,
 * which it flushes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuotaRedisLossTest {

    static final String GIFT = PointsExchangeTest.GIFT;
    static final String QUOTA_KEY = "kassa:quota:{offer:" + GIFT + "}";

    private static TestEngine engine;
    private static Http http;
    private static ExchangeRush rush;
    private static Redis redisClient;
    private static RedisAPI redis;
    private static List<String> members;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.start("quota_loss");
        http = new Http(engine.engine().httpPort());
        rush = new ExchangeRush(engine, http);
        redisClient = Redis.createClient(engine.engine().vertx(),
                new RedisOptions().setConnectionString(TestServices.redisUrl()));
        redis = RedisAPI.api(redisClient);
        // Enough points for every exchange a member could win.
        members = rush.members("S002", 50, 30_000, "7");
    }

    @AfterAll
    static void stop() {
        redisClient.close();
        engine.close();
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static void flush() {
        try {
            await(redis.flushdb(List.of()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(1)
    void redisWipedBetweenAndDuringRushesStillGivesExactlyTheStock() throws Exception {
        List<Sent> first = rush.send(GIFT, members, rush.keys(50), 50, "wave-one", 50, 0,
                null);
        assertThat(ExchangeRush.count(first, 201)).isEqualTo(50);
        assertThat(engine.count("select taken from points_exchange_quota")).isEqualTo(50);

        flush();
        List<Sent> second = rush.send(GIFT, members, rush.keys(600), 600, "wave-two", 100,
                100, QuotaRedisLossTest::flush);

        ExchangeRush.onlyExchangedOrSoldOut(second);
        assertThat(ExchangeRush.count(second, 201)).isEqualTo(50);
        assertThat(ExchangeRush.count(second, 409)).isEqualTo(550);
        assertThat(engine.count("select taken from points_exchange_quota")).isEqualTo(100);
        assertThat(engine.count("select count(*) from points_exchange")).isEqualTo(100);
        assertThat(engine.count("select count(*) from coupon where template_id = 'gift-thermos'"))
                .isEqualTo(100);
        List<Sent> all = new ArrayList<>(first);
        all.addAll(second);
        for (String member : members) {
            long exchanged = all.stream().filter(sent -> sent.memberId().equals(member)
                    && sent.reply().status() == 201).count();
            assertThat(engine.count("select sum(points_remaining) from points_lot"
                    + " where member_id = '" + member + "'")).as(member)
                    .isEqualTo(100 + 30_000 - 2_000 * exchanged);
        }
        assertThat(await(new PgInvariants(engine.engine().pool()).check())).isEmpty();

        // Redis, reseeded from PostgreSQL, now refuses at once.
        Http.Reply late = rush.exchange(rush.hq(), members.get(0), GIFT,
                "after-the-waves");
        assertThat(late.status()).as(late.body()).isEqualTo(409);
    }

    @Test
    @Order(2)
    void aRedisCountBehindPostgreSQLIsRefusedByTheCheckAndCorrected() throws Exception {
        // Once the hot copy settled on a generation after the flushes and Redis knows the
        // quota in it (a refused exchange seeds it), lie to Redis: nothing committed.
        org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> {
            rush.exchange(rush.hq(), members.get(1), GIFT, "seed-the-quota");
            Response generation = await(redis.get("kassa:generation"));
            Response quota = await(redis.hget(QUOTA_KEY, "gen"));
            return generation != null && quota != null
                    && generation.toString().equals(quota.toString());
        });
        await(redis.hset(List.of(QUOTA_KEY, "committed", "0")));
        await(redis.del(List.of(QUOTA_KEY + ":done")));
        long points = engine.count("select sum(points_remaining) from points_lot"
                + " where member_id = '" + members.get(2) + "'");

        Http.Reply refused = rush.exchange(rush.hq(), members.get(2), GIFT,
                "redis-said-yes");

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().getString("type")).endsWith("/sold-out");
        // PostgreSQL wrote nothing of it, and Redis now counts the quota full.
        assertThat(engine.count("select taken from points_exchange_quota")).isEqualTo(100);
        assertThat(engine.count("select count(*) from points_exchange where exchange_id ="
                + " 'redis-said-yes'")).isZero();
        assertThat(engine.count("select sum(points_remaining) from points_lot"
                + " where member_id = '" + members.get(2) + "'")).isEqualTo(points);
        assertThat(await(redis.hget(QUOTA_KEY, "committed")).toLong()).isEqualTo(100);
        assertThat(await(redis.zcard(QUOTA_KEY + ":holds")).toLong()).isZero();
        assertThat(await(new PgInvariants(engine.engine().pool()).check())).isEmpty();
    }

    @Test
    @Order(3)
    void withRedisUnreachablePostgreSQLAloneKeepsTheQuota() throws Exception {
        // A Redis client to a port nothing listens on: every quota call fails.
        Redis nowhere = Redis.createClient(engine.engine().vertx(),
                new RedisOptions().setConnectionString("redis://127.0.0.1:1"));
        try {
            Clock clock = Clock.systemUTC();
            PointsExchanges exchanges = new PointsExchanges(
                    new PgAdminStore(engine.engine().pool(), clock),
                    new RedisChainQuotas(RedisAPI.api(nowhere)),
                    () -> Optional.of("any-generation"), clock);
            List<Future<PointsExchange.Outcome>> outcomes = new ArrayList<>();
            for (int index = 0; index < 6; index++) {
                Instant now = clock.instant();
                outcomes.add(exchanges.exchange(new PointsExchange.Request(
                        "no-redis-" + index, members.get(index), "gift-without-redis", 2_000,
                        "gift-thermos", OptionalLong.of(2), now, now.plusSeconds(3_600),
                        LocalDate.now(clock)), new AdminStore.Audit("test", ApiRole.HQ_ADMIN,
                        "member.points.exchange", "no-redis-" + index)));
            }
            long exchanged = 0;
            long soldOut = 0;
            for (Future<PointsExchange.Outcome> outcome : outcomes) {
                PointsExchange.Outcome result = await(outcome);
                exchanged += result instanceof PointsExchange.Exchanged ? 1 : 0;
                soldOut += result instanceof PointsExchange.SoldOut ? 1 : 0;
            }
            assertThat(exchanged).isEqualTo(2);
            assertThat(soldOut).isEqualTo(4);
            assertThat(engine.count("select taken from points_exchange_quota"
                    + " where offer_id = 'gift-without-redis'")).isEqualTo(2);
            assertThat(await(new PgInvariants(engine.engine().pool()).check())).isEmpty();
        } finally {
            nowhere.close();
        }
    }
}
