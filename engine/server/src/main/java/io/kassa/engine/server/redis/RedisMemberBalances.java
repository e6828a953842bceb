package io.kassa.engine.server.redis;

import io.kassa.engine.core.points.LotDraw;
import io.kassa.engine.core.points.PointsLot;
import io.kassa.engine.server.checkout.MemberBalances;
import io.kassa.engine.server.checkout.MemberDirectory.CouponRecord;
import io.kassa.engine.server.checkout.MemberProfile;
import io.kassa.engine.server.checkout.ProfileUpdate;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@link MemberBalances} on Redis, one Lua script per operation (see {@code resources/redis}).
 * Every key of a member carries the hash tag {@code {m:<member id>}}, so a Redis Cluster keeps
 * a member's keys on one shard and each script stays atomic there.
 *
 * <pre>
 * kassa:{m:ID}:bal         hash  gen, sv, sv_held, pts_held; the profile: pv (version), mc
 *                                (member code), ph (phone), tier, trk (tier rank), life
 *                                (lifetime points), ord (orders), lod (last order, epoch day),
 *                                bm (birth month, 0 for none)
 * kassa:{m:ID}:lots        zset  lot id scored by expiry (epoch day, exclusive)
 * kassa:{m:ID}:lot         hash  lot id -> points:earnedDay:birthdayYear
 * kassa:{m:ID}:cpn         hash  coupon id -> A | H:hold | R:hold
 * kassa:{m:ID}:cpi         hash  coupon id -> fromMillis:untilMillis:amountOffFen:templateId
 * kassa:{m:ID}:hold:HOLD   hash  st (H|C|R), pts, sv, draws, cpn, dl, gen
 * </pre>
 *
 * <p>The profile and the coupons' terms let a quote or checkout read nothing from PostgreSQL
 * (ADR 0014); a member loaded without them (an older engine) has no {@code pv}, and its
 * readers take the profile from PostgreSQL.
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
    private final RedisScript profile = RedisScript.fromResource("profile");
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
        return List.of(balanceKey(memberId), prefix + "lots", prefix + "lot", prefix + "cpn");
    }

    /** The member's balance hash, which also carries the profile. */
    static String balanceKey(String memberId) {
        return "kassa:{m:" + memberId + "}:bal";
    }

    static String holdKey(String memberId, String holdId) {
        return "kassa:{m:" + memberId + "}:hold:" + holdId;
    }

    static List<String> holdKeys(String memberId, String holdId) {
        List<String> keys = new ArrayList<>(memberKeys(memberId));
        keys.add(holdKey(memberId, holdId));
        return keys;
    }

    /** The member's keys with the coupons' terms: what load, read and invalidate touch. */
    static List<String> profileKeys(String memberId) {
        List<String> keys = new ArrayList<>(memberKeys(memberId));
        keys.add("kassa:{m:" + memberId + "}:cpi");
        return keys;
    }

    /** The profile's fields in the balance hash, in the order read.lua answers them. */
    static final String VERSION = "pv";
    static final String MEMBER_CODE = "mc";
    static final String PHONE = "ph";
    static final String TIER = "tier";
    static final String TIER_RANK = "trk";
    static final String LIFETIME_POINTS = "life";
    static final String ORDERS = "ord";
    static final String LAST_ORDER_DAY = "lod";
    static final String BIRTH_MONTH = "bm";

    @Override
    public Future<Optional<HotMember>> read(String memberId) {
        return read.run(redis, profileKeys(memberId), List.of())
                .map(reply -> hotMember(memberId, reply));
    }

    /** read.lua's reply as a member, empty when the member is not loaded. */
    private static Optional<HotMember> hotMember(String memberId, Response reply) {
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
                longOf(reply.get(2)), longOf(reply.get(3)), lots, coupons,
                hotProfile(memberId, reply.get(6), reply.get(7))));
    }

    @Override
    public Future<Optional<HotMemberAndHold>> readWithHold(String memberId, String holdId) {
        List<String> keys = profileKeys(memberId);
        keys.add(holdKey(memberId, holdId));
        return read.run(redis, keys, List.of()).map(reply ->
                hotMember(memberId, reply).map(member -> new HotMemberAndHold(member,
                        holdView(reply.get(8)))));
    }

    /**
     * The profile fields and coupon terms of a read.lua reply, empty when the member was
     * loaded without a profile (no version).
     */
    private static Optional<HotProfile> hotProfile(String memberId, Response fields,
            Response terms) {
        if (fields == null || fields.get(0) == null) {
            return Optional.empty();
        }
        String phone = text(fields.get(2));
        String lastOrderDay = text(fields.get(7));
        int birthMonth = (int) longOf(fields.get(8));
        MemberProfile profile = new MemberProfile(memberId, text(fields.get(1)),
                text(fields.get(3)), longOf(fields.get(5)),
                birthMonth == 0 ? Optional.empty() : Optional.of(Month.of(birthMonth)),
                (int) longOf(fields.get(6)),
                lastOrderDay.isEmpty() ? Optional.empty()
                        : Optional.of(LocalDate.ofEpochDay(Long.parseLong(lastOrderDay))),
                phone.isEmpty() ? Optional.empty() : Optional.of(phone));
        List<CouponRecord> coupons = new ArrayList<>(terms.size() / 2);
        for (int index = 0; index < terms.size(); index += 2) {
            coupons.add(couponRecord(memberId, terms.get(index).toString(),
                    terms.get(index + 1).toString()));
        }
        return Optional.of(new HotProfile(profile, (int) longOf(fields.get(4)),
                longOf(fields.get(0)), coupons));
    }

    /** A coupon's terms as the hot copy keeps them: fromMillis:untilMillis:amountOff:template. */
    static String couponTerms(CouponRecord coupon) {
        return coupon.validFrom().toEpochMilli() + ":" + coupon.validUntil().toEpochMilli() + ":"
                + (coupon.amountOffFen().isPresent() ? coupon.amountOffFen().getAsLong() : "")
                + ":" + coupon.templateId();
    }

    private static CouponRecord couponRecord(String memberId, String couponId, String terms) {
        String[] fields = terms.split(":", 4);
        if (fields.length != 4) {
            throw new IllegalStateException("malformed coupon terms from Redis: " + couponId
                    + "=" + terms);
        }
        return new CouponRecord(couponId, fields[3], Optional.of(memberId),
                Instant.ofEpochMilli(Long.parseLong(fields[0])),
                Instant.ofEpochMilli(Long.parseLong(fields[1])),
                fields[2].isEmpty() ? OptionalLong.empty()
                        : OptionalLong.of(Long.parseLong(fields[2])));
    }

    private static String text(Response value) {
        return value == null ? "" : value.toString();
    }

    @Override
    public Future<Optional<HoldView>> hold(String memberId, String holdId) {
        return redis.hmget(List.of(holdKey(memberId, holdId), "st", "pts", "sv",
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
        Map<String, String> terms = new HashMap<>();
        member.profile().ifPresent(profile -> profile.coupons().forEach(coupon ->
                terms.put(coupon.couponId(), couponTerms(coupon))));
        arguments.add(Integer.toString(member.couponStates().size()));
        member.couponStates().forEach((couponId, state) -> {
            arguments.add(couponId);
            arguments.add(state);
            arguments.add(terms.getOrDefault(couponId, ""));
        });
        member.profile().ifPresent(hot -> {
            MemberProfile profile = hot.profile();
            addField(arguments, VERSION, Long.toString(hot.version()));
            addField(arguments, MEMBER_CODE, profile.memberCode());
            addField(arguments, PHONE, profile.phone().orElse(""));
            addField(arguments, BIRTH_MONTH,
                    Integer.toString(profile.birthMonth().map(Month::getValue).orElse(0)));
            addStanding(arguments, profile.tierName(), hot.tierRank(),
                    profile.lifetimeEarnedPoints(), profile.completedOrders(),
                    profile.lastOrderOn());
        });
        return load.run(redis, profileKeys(member.memberId()), arguments).mapEmpty();
    }

    /** The fields of the profile a sale or refund moves, as load.lua and profile.lua take them. */
    private static void addStanding(List<String> arguments, String tier, int tierRank,
            long lifetimePoints, int orders, Optional<LocalDate> lastOrderOn) {
        addField(arguments, TIER, tier);
        addField(arguments, TIER_RANK, Integer.toString(tierRank));
        addField(arguments, LIFETIME_POINTS, Long.toString(lifetimePoints));
        addField(arguments, ORDERS, Integer.toString(orders));
        addField(arguments, LAST_ORDER_DAY,
                lastOrderOn.map(day -> Long.toString(day.toEpochDay())).orElse(""));
    }

    private static void addField(List<String> arguments, String field, String value) {
        arguments.add(field);
        arguments.add(value);
    }

    @Override
    public Future<Void> applyProfile(ProfileUpdate update) {
        return profile.run(redis, List.of(balanceKey(update.memberId())),
                profileArguments(update)).mapEmpty();
    }

    private static List<String> profileArguments(ProfileUpdate update) {
        List<String> arguments = new ArrayList<>(11);
        arguments.add(Long.toString(update.version()));
        addStanding(arguments, update.tierName(), update.tierRank(),
                update.lifetimeEarnedPoints(), update.completedOrders(), update.lastOrderOn());
        return arguments;
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
        Future<FinishResult> committed = commit.run(redis, holdKeys(hold.memberId(),
                hold.holdId()), commitArguments(hold)).map(RedisMemberBalances::toCommitResult);
        return hold.profile().isEmpty() ? committed
                : committed.compose(result -> applyProfile(hold.profile().get()).map(result));
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
        // The profile the sale's transaction left goes in the same round trip, after the
        // commit; should it not arrive, the outbox relay puts PostgreSQL's in place.
        return commit.runInPipeline(client, redis, List.of(profile), () -> {
            List<Request> requests = new ArrayList<>(3);
            requests.add(commit.request(keys, arguments));
            requests.add(Request.cmd(Command.ZREM).arg(HOLD_INDEX_KEY).arg(entry.encoded()));
            hold.profile().ifPresent(update -> requests.add(profile.request(
                    List.of(balanceKey(hold.memberId())), profileArguments(update))));
            return requests;
        }).map(replies -> toCommitResult(replies.get(0)));
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
        return invalidate.run(redis, profileKeys(memberId), List.of())
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
