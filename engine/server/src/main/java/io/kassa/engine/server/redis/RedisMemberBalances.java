package io.kassa.engine.server.redis;

import io.kassa.engine.core.points.LotDraw;
import io.kassa.engine.core.points.PointsLot;
import io.kassa.engine.server.checkout.MemberBalances;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link MemberBalances} on Redis, one Lua script per operation (see {@code resources/redis}).
 * Every key of a member carries the hash tag {@code {m:<member id>}}, so a Redis Cluster keeps
 * a member's keys on one shard and each script stays atomic there.
 *
 * <pre>
 * kassa:{m:ID}:bal         hash  gen, sv, sv_held, pts_held
 * kassa:{m:ID}:lots        zset  lot id scored by expiry (epoch day, exclusive)
 * kassa:{m:ID}:lot         hash  lot id -> points:earnedDay:birthdayYear
 * kassa:{m:ID}:cpn         hash  coupon id -> A | H:hold | R:hold
 * kassa:{m:ID}:hold:HOLD   hash  st (H|C|R), pts, sv, draws, cpn, dl, gen
 * </pre>
 *
 * <p>Built on the {@link Redis} client, a checkout's hold index entry and its reserve go in
 * one pipeline, and so do its commit and the entry's removal: one round trip each.
 */
public final class RedisMemberBalances implements MemberBalances,
        io.kassa.engine.server.checkout.RefundBalances {

    /** How long a finished hold is remembered, so that late retries stay idempotent. */
    public static final long FINISHED_HOLD_RETENTION_SECONDS = 7 * 24 * 3600;

    private final RedisAPI redis;
    private final RedisScript reserve = RedisScript.fromResource("reserve");
    private final RedisScript commit = RedisScript.fromResource("commit");
    private final RedisScript release = RedisScript.fromResource("release");
    private final RedisScript load = RedisScript.fromResource("load");
    private final RedisScript read = RedisScript.fromResource("read");
    private final RedisScript expire = RedisScript.fromResource("expire");
    private final RedisScript extend = RedisScript.fromResource("extend");
    private final RedisScript invalidate = RedisScript.fromResource("invalidate");
    private final RedisScript refundReserve = RedisScript.fromResource("refund_reserve");
    private final RedisScript refundCommit = RedisScript.fromResource("refund_commit");

    /** Pipelines, when present: the index entries go in the same round trip as the scripts. */
    private final Redis client;

    /** Every call its own round trip (the index entries too). */
    public RedisMemberBalances(RedisAPI redis) {
        this.redis = redis;
        this.client = null;
    }

    /** Pipelines each hold's index entry with its reserve, and its removal with its commit. */
    public RedisMemberBalances(Redis client) {
        this.redis = RedisAPI.api(client);
        this.client = client;
    }

    /** The one global key: which generation of PostgreSQL's truth this Redis holds. */
    static final String GENERATION_KEY = "kassa:generation";

    @Override
    public Future<Optional<String>> generation() {
        return redis.get(GENERATION_KEY).map(value -> Optional.ofNullable(value)
                .map(Response::toString));
    }

    @Override
    public Future<Void> publishGeneration(String generation) {
        return redis.set(List.of(GENERATION_KEY, generation)).mapEmpty();
    }

    /** Every hold that may be open, scored by its deadline (epoch millis). */
    static final String HOLD_INDEX_KEY = "kassa:holds";

    @Override
    public Future<Void> indexHold(HoldEntry entry, java.time.Instant deadline) {
        return redis.zadd(List.of(HOLD_INDEX_KEY, Long.toString(deadline.toEpochMilli()),
                entry.encoded())).mapEmpty();
    }

    @Override
    public Future<List<HoldEntry>> holdsDueBefore(java.time.Instant now, int limit) {
        return redis.zrangebyscore(List.of(HOLD_INDEX_KEY, "-inf",
                Long.toString(now.toEpochMilli()), "LIMIT", "0", Integer.toString(limit)))
                .map(reply -> {
                    List<HoldEntry> entries = new ArrayList<>();
                    for (Response entry : reply) {
                        entries.add(HoldEntry.decode(entry.toString()));
                    }
                    return entries;
                });
    }

    @Override
    public Future<Void> unindexHold(HoldEntry entry) {
        return redis.zrem(List.of(HOLD_INDEX_KEY, entry.encoded())).mapEmpty();
    }

    static List<String> memberKeys(String memberId) {
        String prefix = "kassa:{m:" + memberId + "}:";
        return List.of(prefix + "bal", prefix + "lots", prefix + "lot", prefix + "cpn");
    }

    static List<String> holdKeys(String memberId, String holdId) {
        List<String> keys = new ArrayList<>(memberKeys(memberId));
        keys.add("kassa:{m:" + memberId + "}:hold:" + holdId);
        return keys;
    }

    @Override
    public Future<Optional<HotMember>> read(String memberId) {
        return read.run(redis, memberKeys(memberId), List.of())
                .map(RedisMemberBalances::hotMember);
    }

    /** read.lua's reply as a member, empty when the member is not loaded. */
    private static Optional<HotMember> hotMember(Response reply) {
        String generation = reply.get(0).toString();
        if (generation.isEmpty()) {
            return Optional.empty();
        }
        List<PointsLot> lots = new ArrayList<>();
        Response lotList = reply.get(4);
        for (int index = 0; index < lotList.size(); index += 3) {
            lots.add(parseLot(lotList.get(index).toString(),
                    lotList.get(index + 1).toString(), lotList.get(index + 2).toLong()));
        }
        Map<String, String> coupons = new HashMap<>();
        Response couponList = reply.get(5);
        for (int index = 0; index < couponList.size(); index += 2) {
            coupons.put(couponList.get(index).toString(),
                    couponList.get(index + 1).toString());
        }
        return Optional.of(new HotMember(generation, longOf(reply.get(1)),
                longOf(reply.get(2)), longOf(reply.get(3)), lots, coupons));
    }

    @Override
    public Future<Optional<HotMemberAndHold>> readWithHold(String memberId, String holdId) {
        return read.run(redis, holdKeys(memberId, holdId), List.of()).map(reply ->
                hotMember(reply).map(member -> new HotMemberAndHold(member,
                        holdView(reply.get(6)))));
    }

    @Override
    public Future<Optional<HoldView>> hold(String memberId, String holdId) {
        return redis.hmget(List.of(holdKeys(memberId, holdId).get(4), "st", "pts", "sv",
                "draws", "cpn", "gen")).map(RedisMemberBalances::holdView);
    }

    /** A hold's fields st, pts, sv, draws, cpn, gen as HMGET answers them. */
    private static Optional<HoldView> holdView(Response reply) {
        if (reply == null || reply.size() == 0 || reply.get(0) == null) {
            return Optional.empty();
        }
        String coupons = reply.get(4) == null ? "" : reply.get(4).toString();
        return Optional.of(new HoldView(reply.get(0).toString(),
                longOf(reply.get(1)), longOf(reply.get(2)),
                parseDraws(reply.get(3) == null ? "" : reply.get(3).toString()),
                coupons.isEmpty() ? List.of() : List.of(coupons.split(",")),
                reply.get(5) == null ? "" : reply.get(5).toString()));
    }

    @Override
    public Future<Void> load(String generation, MemberRecord member) {
        List<String> arguments = new ArrayList<>();
        arguments.add(generation);
        arguments.add(Long.toString(member.storedValueFen()));
        arguments.add(Integer.toString(member.lots().size()));
        for (PointsLot lot : member.lots()) {
            arguments.add(lot.lotId());
            arguments.add(Long.toString(lot.points()));
            arguments.add(Long.toString(lot.expiresOn().toEpochDay()));
            arguments.add(lot.earnedOn().toEpochDay() + ":" + lot.birthdayExtendedYear());
        }
        member.couponStates().forEach((couponId, state) -> {
            arguments.add(couponId);
            arguments.add(state);
        });
        return load.run(redis, memberKeys(member.memberId()), arguments).mapEmpty();
    }

    @Override
    public Future<ReserveResult> reserve(HoldRequest request) {
        return reserve.run(redis, holdKeys(request.memberId(), request.holdId()),
                reserveArguments(request)).map(RedisMemberBalances::toReserveResult);
    }

    /**
     * ZADD of the index entry, then reserve.lua, in one pipeline: Redis runs them in this
     * order on the connection, so the entry exists before the hold does.
     */
    @Override
    public Future<ReserveResult> indexAndReserve(HoldEntry entry, HoldRequest request) {
        if (client == null) {
            return MemberBalances.super.indexAndReserve(entry, request);
        }
        List<String> keys = holdKeys(request.memberId(), request.holdId());
        List<String> arguments = reserveArguments(request);
        return reserve.runInPipeline(client, redis, () -> List.of(
                        indexRequest(entry, request.deadline()),
                        reserve.request(keys, arguments)))
                .map(replies -> toReserveResult(replies.get(1)))
                // A failed index entry fails the pipeline even if the script ran: write the
                // entry again, so that a hold placed all the same is found by the janitor.
                .recover(failure -> indexHold(entry, request.deadline())
                        .transform(again -> Future.failedFuture(failure)));
    }

    private static List<String> reserveArguments(HoldRequest request) {
        List<String> arguments = new ArrayList<>(5 + request.couponIds().size());
        arguments.add(request.generation());
        arguments.add(Long.toString(request.points()));
        arguments.add(Long.toString(request.storedValueFen()));
        arguments.add(Long.toString(request.today().toEpochDay()));
        arguments.add(Long.toString(request.deadline().toEpochMilli()));
        arguments.addAll(request.couponIds());
        return arguments;
    }

    private static Request indexRequest(HoldEntry entry, java.time.Instant deadline) {
        return Request.cmd(Command.ZADD).arg(HOLD_INDEX_KEY).arg(deadline.toEpochMilli())
                .arg(entry.encoded());
    }

    private static ReserveResult toReserveResult(Response reply) {
        String outcome = reply.get(0).toString();
        switch (outcome) {
            case "RESERVED":
                return new ReserveResult.Reserved(parseDraws(reply.get(1).toString()));
            case "EXISTS":
                return new ReserveResult.Existing(reply.get(1).toString(),
                        parseDraws(reply.get(2).toString()));
            case "NOT_LOADED":
                return new ReserveResult.NotLoaded();
            case "STALE_GENERATION":
                return new ReserveResult.StaleGeneration(reply.get(1).toString());
            case "INSUFFICIENT_POINTS":
                return new ReserveResult.InsufficientPoints(reply.get(1).toLong());
            case "INSUFFICIENT_STORED_VALUE":
                return new ReserveResult.InsufficientStoredValue(reply.get(1).toLong());
            case "COUPON_UNAVAILABLE":
                return new ReserveResult.CouponUnavailable(reply.get(1).toString(),
                        reply.get(2).toString());
            default:
                throw new IllegalStateException("reserve.lua answered " + reply);
        }
    }

    @Override
    public Future<FinishResult> commit(HoldCommit hold) {
        return commit.run(redis, holdKeys(hold.memberId(), hold.holdId()),
                commitArguments(hold)).map(RedisMemberBalances::toCommitResult);
    }

    /**
     * commit.lua, then ZREM of the index entry, in one pipeline. The sale is in PostgreSQL
     * already, so the entry goes whatever the script answers: should the commit fail, the
     * outbox relay (not the janitor) finishes the hold.
     */
    @Override
    public Future<FinishResult> commitAndUnindex(HoldCommit hold, HoldEntry entry) {
        if (client == null) {
            return MemberBalances.super.commitAndUnindex(hold, entry);
        }
        List<String> keys = holdKeys(hold.memberId(), hold.holdId());
        List<String> arguments = commitArguments(hold);
        return commit.runInPipeline(client, redis, () -> List.of(
                        commit.request(keys, arguments),
                        Request.cmd(Command.ZREM).arg(HOLD_INDEX_KEY).arg(entry.encoded())))
                .map(replies -> toCommitResult(replies.get(0)));
    }

    private static List<String> commitArguments(HoldCommit hold) {
        List<String> arguments = new ArrayList<>();
        arguments.add(Long.toString(hold.today().toEpochDay()));
        arguments.add(Long.toString(hold.restartExpiryOn().map(LocalDate::toEpochDay).orElse(0L)));
        arguments.add(Long.toString(FINISHED_HOLD_RETENTION_SECONDS));
        for (PointsLot lot : hold.earnedLots()) {
            arguments.add(lot.lotId());
            arguments.add(Long.toString(lot.points()));
            arguments.add(Long.toString(lot.expiresOn().toEpochDay()));
            arguments.add(Long.toString(lot.earnedOn().toEpochDay()));
        }
        return arguments;
    }

    private static FinishResult toCommitResult(Response reply) {
        return switch (reply.get(0).toString()) {
            case "COMMITTED" -> FinishResult.DONE;
            case "ALREADY_COMMITTED" -> FinishResult.ALREADY_DONE;
            case "NO_HOLD" -> FinishResult.NO_HOLD;
            case "RELEASED" -> FinishResult.CONFLICT;
            default -> throw new IllegalStateException("commit.lua answered " + reply);
        };
    }

    @Override
    public Future<FinishResult> release(String memberId, String holdId) {
        return release.run(redis, holdKeys(memberId, holdId),
                        List.of(Long.toString(FINISHED_HOLD_RETENTION_SECONDS)))
                .map(reply -> switch (reply.get(0).toString()) {
                    case "RELEASED" -> FinishResult.DONE;
                    case "ALREADY_RELEASED" -> FinishResult.ALREADY_DONE;
                    case "NO_HOLD" -> FinishResult.NO_HOLD;
                    case "COMMITTED" -> FinishResult.CONFLICT;
                    default -> throw new IllegalStateException("release.lua answered " + reply);
                });
    }

    @Override
    public Future<Integer> expireLots(String memberId, LocalDate today, List<String> lotIds) {
        List<String> arguments = new ArrayList<>(1 + lotIds.size());
        arguments.add(Long.toString(today.toEpochDay()));
        arguments.addAll(lotIds);
        return expire.run(redis, memberKeys(memberId), arguments).map(Response::toInteger);
    }

    @Override
    public Future<Integer> extendLots(String memberId, int year,
            Map<String, LocalDate> newExpiries) {
        List<String> arguments = new ArrayList<>(1 + 2 * newExpiries.size());
        arguments.add(Integer.toString(year));
        newExpiries.forEach((lotId, expiry) -> {
            arguments.add(lotId);
            arguments.add(Long.toString(expiry.toEpochDay()));
        });
        return extend.run(redis, memberKeys(memberId), arguments).map(Response::toInteger);
    }

    @Override
    public Future<InvalidateResult> invalidate(String memberId) {
        return invalidate.run(redis, memberKeys(memberId), List.of())
                .map(reply -> InvalidateResult.valueOf(reply.get(0).toString()));
    }

    @Override
    public Future<RefundReserve> reserveRefund(String memberId, String holdId,
            String generation, Map<String, Long> takes) {
        List<String> arguments = new ArrayList<>(1 + 2 * takes.size());
        arguments.add(generation);
        takes.forEach((lotId, points) -> {
            arguments.add(lotId);
            arguments.add(Long.toString(points));
        });
        return refundReserve.run(redis, holdKeys(memberId, holdId), arguments)
                .map(reply -> switch (reply.get(0).toString()) {
                    case "RESERVED" -> new RefundReserve.Reserved();
                    case "EXISTS" -> new RefundReserve.Existing(reply.get(1).toString());
                    case "NOT_LOADED" -> new RefundReserve.NotLoaded();
                    case "STALE_GENERATION" ->
                            new RefundReserve.StaleGeneration(reply.get(1).toString());
                    case "CHANGED" -> new RefundReserve.Changed(reply.get(1).toString());
                    default -> throw new IllegalStateException(
                            "refund_reserve.lua answered " + reply);
                });
    }

    @Override
    public Future<FinishResult> commitRefund(RefundCommit commit) {
        List<String> arguments = new ArrayList<>();
        arguments.add(Long.toString(FINISHED_HOLD_RETENTION_SECONDS));
        arguments.add(Long.toString(commit.storedValueBackFen()));
        arguments.add(Integer.toString(commit.lotsGaining().size()));
        for (PointsLot lot : commit.lotsGaining()) {
            arguments.add(lot.lotId());
            arguments.add(Long.toString(lot.points()));
            arguments.add(Long.toString(lot.expiresOn().toEpochDay()));
            arguments.add(lot.earnedOn().toEpochDay() + ":" + lot.birthdayExtendedYear());
        }
        arguments.addAll(commit.couponIds());
        return refundCommit.run(redis, holdKeys(commit.memberId(), commit.holdId()), arguments)
                .map(reply -> switch (reply.get(0).toString()) {
                    case "COMMITTED" -> FinishResult.DONE;
                    case "ALREADY_COMMITTED" -> FinishResult.ALREADY_DONE;
                    case "NO_HOLD" -> FinishResult.NO_HOLD;
                    case "RELEASED" -> FinishResult.CONFLICT;
                    default -> throw new IllegalStateException(
                            "refund_commit.lua answered " + reply);
                });
    }

    /** Parses "lotId=points=expiryDay=earnedDay=birthdayYear;..." as written by reserve.lua. */
    static List<LotDraw> parseDraws(String draws) {
        List<LotDraw> parsed = new ArrayList<>();
        if (draws.isEmpty()) {
            return parsed;
        }
        for (String draw : draws.split(";")) {
            String[] fields = draw.split("=");
            if (fields.length != 5) {
                throw new IllegalStateException("malformed draw from Redis: " + draw);
            }
            parsed.add(new LotDraw(fields[0], Long.parseLong(fields[1]),
                    LocalDate.ofEpochDay(Long.parseLong(fields[3])),
                    LocalDate.ofEpochDay(Long.parseLong(fields[2])),
                    Integer.parseInt(fields[4])));
        }
        return parsed;
    }

    private static PointsLot parseLot(String lotId, String value, long expiryDay) {
        String[] fields = value.split(":");
        if (fields.length != 3) {
            throw new IllegalStateException("malformed lot from Redis: " + lotId + "=" + value);
        }
        return new PointsLot(lotId, Long.parseLong(fields[0]),
                LocalDate.ofEpochDay(Long.parseLong(fields[1])), LocalDate.ofEpochDay(expiryDay),
                Integer.parseInt(fields[2]));
    }

    private static long longOf(Response value) {
        return value == null ? 0 : Long.parseLong(value.toString());
    }
}
