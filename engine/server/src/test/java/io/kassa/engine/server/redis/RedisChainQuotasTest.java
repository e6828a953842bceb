package io.kassa.engine.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.admin.ChainQuotas.Take;
import io.kassa.engine.server.admin.ChainQuotas.Verdict;
import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two quota scripts against a real Redis, one fresh quota per test: units held up to the
 * stock and not one more (N and N+1), retries sharing their hold, holds ending at their
 * deadline, settles that only ever raise the count, and counts of another generation treated
 * as unknown.
 */
class RedisChainQuotasTest {

    private static final String GENERATION = "gen-quota-test";
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant HOLD_UNTIL = NOW.plusSeconds(30);

    private static Vertx vertx;
    private static Redis client;
    private static RedisAPI redis;
    private static RedisChainQuotas quotas;
    private String quota;

    @BeforeAll
    static void connect() {
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(TestServices.redisUrl()));
        redis = RedisAPI.api(client);
        quotas = new RedisChainQuotas(redis);
    }

    @AfterAll
    static void close() throws Exception {
        client.close();
        await(vertx.close());
    }

    @BeforeEach
    void freshQuota() {
        quota = "test-" + UUID.randomUUID();
    }

    @AfterEach
    void forgetQuota() throws Exception {
        await(redis.del(RedisChainQuotas.keys(quota)));
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Take take(String exchange, long stock) throws Exception {
        return await(quotas.take(quota, GENERATION, exchange, stock, NOW, HOLD_UNTIL));
    }

    @Test
    void anUnseededQuotaIsUnknownUntilSeeded() throws Exception {
        assertThat(take("x-1", 5).verdict()).isEqualTo(Verdict.UNKNOWN);
        await(quotas.seed(quota, GENERATION, 0));
        assertThat(take("x-1", 5).verdict()).isEqualTo(Verdict.TAKEN);
        assertThat(RedisChainQuotas.keys(quota)).allMatch(key -> key.startsWith(
                "kassa:quota:{offer:" + quota + "}"));
    }

    @Test
    void unitsAreHeldUpToTheStockAndNotOneMore() throws Exception {
        await(quotas.seed(quota, GENERATION, 0));
        for (int index = 0; index < 3; index++) {
            assertThat(take("x-" + index, 3).verdict()).isEqualTo(Verdict.TAKEN);
        }
        Take refused = take("x-3", 3);
        assertThat(refused.verdict()).isEqualTo(Verdict.SOLD_OUT);
        assertThat(refused.complete()).isTrue();
        // A retry of an exchange in flight shares its hold: not refused, not counted twice.
        assertThat(take("x-1", 3).verdict()).isEqualTo(Verdict.TAKEN);
        // A unit given back is free again.
        await(quotas.released(quota, GENERATION, "x-2"));
        assertThat(take("x-3", 3).verdict()).isEqualTo(Verdict.TAKEN);
        assertThat(take("x-4", 3).verdict()).isEqualTo(Verdict.SOLD_OUT);
    }

    @Test
    void committedExchangesAreKnownAsDoneAndTheCountOnlyRises() throws Exception {
        await(quotas.seed(quota, GENERATION, 0));
        assertThat(take("x-1", 2).verdict()).isEqualTo(Verdict.TAKEN);
        assertThat(take("x-2", 2).verdict()).isEqualTo(Verdict.TAKEN);
        // Settles arrive out of order: the later count stands.
        await(quotas.committed(quota, GENERATION, "x-2", 2));
        await(quotas.committed(quota, GENERATION, "x-1", 1));
        assertThat(await(redis.hget("kassa:quota:{offer:" + quota + "}", "committed"))
                .toLong()).isEqualTo(2);
        assertThat(take("x-1", 2).verdict()).isEqualTo(Verdict.DONE);
        Take refused = take("x-3", 2);
        assertThat(refused.verdict()).isEqualTo(Verdict.SOLD_OUT);
        assertThat(refused.complete()).isTrue();
        // A seed never lowers a known count.
        await(quotas.seed(quota, GENERATION, 0));
        assertThat(take("x-3", 2).verdict()).isEqualTo(Verdict.SOLD_OUT);
    }

    @Test
    void aCountReseededFromPostgreSQLCannotTellARetryFromANewExchange() throws Exception {
        await(quotas.seed(quota, GENERATION, 2));
        Take refused = take("x-9", 2);
        assertThat(refused.verdict()).isEqualTo(Verdict.SOLD_OUT);
        // The done ids of the two committed exchanges are not known here.
        assertThat(refused.complete()).isFalse();
    }

    @Test
    void postgreSQLSayingSoldOutFillsTheQuota() throws Exception {
        await(quotas.seed(quota, GENERATION, 0));
        assertThat(take("x-1", 10).verdict()).isEqualTo(Verdict.TAKEN);
        await(quotas.soldOut(quota, GENERATION, "x-1", 10));
        assertThat(take("x-2", 10).verdict()).isEqualTo(Verdict.SOLD_OUT);
        assertThat(await(redis.zcard("kassa:quota:{offer:" + quota + "}:holds")).toLong())
                .isZero();
    }

    @Test
    void aHoldEndsAtItsDeadline() throws Exception {
        await(quotas.seed(quota, GENERATION, 0));
        assertThat(take("x-1", 1).verdict()).isEqualTo(Verdict.TAKEN);
        assertThat(take("x-2", 1).verdict()).isEqualTo(Verdict.SOLD_OUT);
        Instant later = HOLD_UNTIL.plusMillis(1);
        assertThat(await(quotas.take(quota, GENERATION, "x-2", 1, later,
                later.plusSeconds(30))).verdict()).isEqualTo(Verdict.TAKEN);
    }

    @Test
    void aCountOfAnotherGenerationIsUnknownAndReseedingForgetsItsHoldsAndDoneIds()
            throws Exception {
        await(quotas.seed(quota, GENERATION, 0));
        assertThat(take("x-1", 2).verdict()).isEqualTo(Verdict.TAKEN);
        await(quotas.committed(quota, GENERATION, "x-1", 1));
        assertThat(take("x-2", 2).verdict()).isEqualTo(Verdict.TAKEN);

        String next = GENERATION + "-next";
        assertThat(await(quotas.take(quota, next, "x-3", 2, NOW, HOLD_UNTIL)).verdict())
                .isEqualTo(Verdict.UNKNOWN);
        // A settle in another generation changes nothing but its hold.
        await(quotas.committed(quota, next, "x-2", 2));
        assertThat(await(redis.sismember("kassa:quota:{offer:" + quota + "}:done", "x-2"))
                .toInteger()).isZero();
        await(quotas.seed(quota, next, 0));
        List<Verdict> verdicts = new ArrayList<>();
        for (String exchange : List.of("x-1", "x-3", "x-4")) {
            verdicts.add(await(quotas.take(quota, next, exchange, 2, NOW, HOLD_UNTIL))
                    .verdict());
        }
        // x-1 is no longer known as done, and the old generation's hold is gone.
        assertThat(verdicts).containsExactly(Verdict.TAKEN, Verdict.TAKEN, Verdict.SOLD_OUT);
    }
}
