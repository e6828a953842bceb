package io.kassa.engine.server.redis;

import io.kassa.engine.server.admin.ChainQuotas;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link ChainQuotas} on Redis: one atomic script takes a unit ({@code quota_take.lua}), one
 * settles it ({@code quota_settle.lua}). Every key of a quota carries the hash tag {@code
 * {offer:<id>}}, so a Redis Cluster keeps them on one shard and each script stays atomic.
 *
 * <pre>
 * kassa:quota:{offer:ID}        hash  gen (the hot copy's generation), committed
 *                                     (PostgreSQL's count, as last told)
 * kassa:quota:{offer:ID}:holds  zset  exchange id scored by its hold's deadline (epoch millis)
 * kassa:quota:{offer:ID}:done   set   exchange ids known committed
 * </pre>
 */
public final class RedisChainQuotas implements ChainQuotas {

    /** Longest wait for a quota script; past it the caller goes to PostgreSQL alone. */
    public static final long CALL_TIMEOUT_MILLIS = 2_000;

    private final RedisAPI redis;
    private final RedisScript take = RedisScript.fromResource("quota_take");
    private final RedisScript settle = RedisScript.fromResource("quota_settle");

    public RedisChainQuotas(RedisAPI redis) {
        this.redis = redis;
    }

    static List<String> keys(String quotaId) {
        String state = "kassa:quota:{offer:" + quotaId + "}";
        return List.of(state, state + ":holds", state + ":done");
    }

    @Override
    public Future<Take> take(String quotaId, String generation, String holdId, long stock,
            Instant now, Instant holdUntil) {
        return take.run(redis, keys(quotaId), List.of(holdId, Long.toString(stock),
                        Long.toString(now.toEpochMilli()), Long.toString(holdUntil.toEpochMilli()),
                        generation))
                .timeout(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .map(RedisChainQuotas::parseTake);
    }

    static Take parseTake(Response reply) {
        String verdict = reply.get(0).toString();
        return switch (verdict) {
            case "TAKEN" -> new Take(Verdict.TAKEN, false);
            case "SOLD_OUT" -> new Take(Verdict.SOLD_OUT, reply.get(1).toInteger() == 1);
            case "DONE" -> new Take(Verdict.DONE, false);
            case "UNKNOWN" -> new Take(Verdict.UNKNOWN, false);
            default -> throw new IllegalStateException("quota_take answered " + reply);
        };
    }

    @Override
    public Future<Void> committed(String quotaId, String generation, String holdId,
            long takenInPostgres) {
        return settle(quotaId, generation, holdId, "COMMITTED", takenInPostgres);
    }

    @Override
    public Future<Void> released(String quotaId, String generation, String holdId) {
        return settle(quotaId, generation, holdId, "RELEASED", 0);
    }

    @Override
    public Future<Void> soldOut(String quotaId, String generation, String holdId, long stock) {
        return settle(quotaId, generation, holdId, "SOLD_OUT", stock);
    }

    @Override
    public Future<Void> seed(String quotaId, String generation, long takenInPostgres) {
        return settle(quotaId, generation, "", "SEED", takenInPostgres);
    }

    private Future<Void> settle(String quotaId, String generation, String holdId, String mode,
            long count) {
        return settle.run(redis, keys(quotaId), List.of(holdId, mode, Long.toString(count),
                        generation))
                .timeout(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).mapEmpty();
    }
}
