package io.kassa.engine.server.postgres;

import io.kassa.engine.core.ledger.LedgerAccount;
import io.kassa.engine.server.admin.AdminProblem;
import io.kassa.engine.server.admin.AdminStore;
import io.kassa.engine.server.admin.ApiRole;
import io.kassa.engine.server.admin.PhoneNumbers;
import io.kassa.engine.server.admin.PointsExchange;
import io.kassa.engine.server.checkout.TimeOrderedIds;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@link AdminStore} on PostgreSQL. Each change is one transaction: the rows it changes, a
 * balanced ledger transaction where points or money move, an audit row (before and after), an
 * outbox row {@code RELOAD_MEMBER} so the relay drops the member's hot copy (the next use
 * loads the truth), and for idempotent writes an {@code admin_operation} row whose primary key
 * turns a retry into a read of the first answer.
 */
public final class PgAdminStore implements AdminStore {

    /** Where adjusted points come from / go to (the chain's side of the points unit). */
    static final String ADJUSTMENT_ACCOUNT = "chain/points_adjustments";

    /** Where registration points come from. */
    static final String ENGAGEMENT_ACCOUNT = "chain/points_engagement";

    /** Where points exchanged for coupons go (the chain's side of the points unit). */
    static final String EXCHANGE_ACCOUNT = "chain/points_exchanges";

    /** The quota row's check: an exchange past the stock fails on it. */
    static final String QUOTA_CONSTRAINT = "points_exchange_quota_not_oversold";

    private static final String MEMBER_COLUMNS = """
            m.member_id, m.member_code, m.phone, m.home_store_id, m.tier, m.birth_month,
            m.completed_orders, m.last_order_on, m.registered_at,
            coalesce((select sum(points_remaining) from points_lot p
                       where p.member_id = m.member_id and p.expires_on > current_date), 0)
                as points,
            coalesce((select balance_fen from stored_value_balance s
                       where s.member_id = m.member_id), 0) as stored_value_fen""";

    static final String INSERT_AUDIT = """
            insert into admin_audit (at, actor, role, action, object_type, object_id, before,
                                     after, request_id)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)""";

    private final Pool pool;
    private final Clock clock;
    private final TimeOrderedIds ids;
    private final SecureRandom random = new SecureRandom();

    public PgAdminStore(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
        this.ids = new TimeOrderedIds(clock);
    }

    @Override
    public Future<Optional<StoredKey>> apiKey(String keyId) {
        return pool.preparedQuery("select * from admin_api_key where key_id = $1")
                .execute(Tuple.of(keyId)).map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<StoredKey>empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new StoredKey(row.getString("key_id"),
                            row.getBuffer("secret_hash").getBytes(), row.getString("name"),
                            ApiRole.valueOf(row.getString("role")),
                            Set.of(row.getArrayOfStrings("store_ids")),
                            row.getBoolean("disabled")));
                });
    }

    @Override
    public Future<Void> createApiKey(StoredKey key, Audit audit) {
        JsonObject after = new JsonObject().put("keyId", key.keyId()).put("name", key.name())
                .put("role", key.role().name())
                .put("storeIds", new JsonArray(List.copyOf(new java.util.TreeSet<>(
                        key.storeIds()))));
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        insert into admin_api_key (key_id, secret_hash, name, role, store_ids,
                                                   created_at, created_by)
                        values ($1, $2, $3, $4, $5, $6, $7)""")
                .execute(Tuple.of(key.keyId(), Buffer.buffer(key.secretHash()), key.name(),
                        key.role().name(), key.storeIds().toArray(String[]::new), now(),
                        audit.actor()))
                .compose(done -> audit(connection, audit, "api-key", key.keyId(), null, after)));
    }

    @Override
    public Future<List<StoredKey>> apiKeys() {
        return pool.query("select * from admin_api_key order by created_at, key_id").execute()
                .map(rows -> {
                    List<StoredKey> keys = new ArrayList<>();
                    for (Row row : rows) {
                        keys.add(new StoredKey(row.getString("key_id"), new byte[0],
                                row.getString("name"), ApiRole.valueOf(row.getString("role")),
                                Set.of(row.getArrayOfStrings("store_ids")),
                                row.getBoolean("disabled")));
                    }
                    return keys;
                });
    }

    @Override
    public Future<Boolean> disableApiKey(String keyId, Audit audit) {
        return pool.withTransaction(connection -> connection.preparedQuery(
                        "update admin_api_key set disabled = true where key_id = $1"
                                + " returning (select disabled from admin_api_key"
                                + " where key_id = $1) as was_disabled")
                .execute(Tuple.of(keyId)).compose(rows -> {
                    if (rows.rowCount() == 0) {
                        return Future.succeededFuture(false);
                    }
                    boolean was = rows.iterator().next().getBoolean("was_disabled");
                    return audit(connection, audit, "api-key", keyId,
                            new JsonObject().put("disabled", was),
                            new JsonObject().put("disabled", true)).map(true);
                }));
    }

    @Override
    public Future<List<long[]>> bonusRules() {
        return pool.query("select threshold_fen, bonus_fen from stored_value_bonus_rule"
                + " order by threshold_fen").execute().map(rows -> {
                    List<long[]> rules = new ArrayList<>();
                    for (Row row : rows) {
                        rules.add(new long[] {row.getLong(0), row.getLong(1)});
                    }
                    return rules;
                });
    }

    @Override
    public Future<Member> registerMember(NewMember member, Optional<NewLot> registrationLot,
            Audit audit) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        insert into member (member_id, member_code, phone, home_store_id,
                                            birth_month, registered_at)
                        values ($1, $2, $3, $4, $5, $6)""")
                .execute(Tuple.of(member.memberId(), member.memberCode(), member.phone(),
                        member.homeStoreId(), member.birthMonth().orElse(null), now()))
                .recover(failure -> Future.failedFuture(uniqueViolation(failure)
                        ? AdminProblem.conflict("member-exists",
                                "a member with this phone number is registered already")
                        : failure))
                .compose(done -> connection.preparedQuery(
                        "insert into stored_value_balance values ($1, 0)")
                        .execute(Tuple.of(member.memberId())))
                .compose(done -> registrationLot.isEmpty() ? Future.succeededFuture()
                        : insertLot(connection, member.memberId(), registrationLot.get())
                                .compose(lot -> pointsTransaction(connection,
                                        "REGISTRATION_POINTS", member.memberId(),
                                        registrationLot.get().points(), ENGAGEMENT_ACCOUNT,
                                        "registration")))
                .compose(done -> reloadMember(connection, member.memberId(), "register"))
                .compose(done -> memberIn(connection, member.memberId()))
                .compose(created -> audit(connection, audit, "member", member.memberId(), null,
                        memberJson(created.orElseThrow())).map(created.orElseThrow())));
    }

    @Override
    public Future<Optional<Member>> member(String memberId) {
        return memberIn(pool, "m.member_id = $1", memberId);
    }

    @Override
    public Future<Optional<Member>> memberByPhone(String phone) {
        return memberIn(pool, "m.phone = $1", phone);
    }

    @Override
    public Future<Optional<Member>> memberByCode(String memberCode) {
        return memberIn(pool, "m.member_code = $1", memberCode);
    }

    private Future<Optional<Member>> memberIn(SqlConnection connection, String memberId) {
        return connection.preparedQuery("select " + MEMBER_COLUMNS
                        + " from member m where m.member_id = $1")
                .execute(Tuple.of(memberId)).map(PgAdminStore::firstMember);
    }

    private static Future<Optional<Member>> memberIn(Pool pool, String condition, String value) {
        return pool.preparedQuery("select " + MEMBER_COLUMNS + " from member m where "
                + condition).execute(Tuple.of(value)).map(PgAdminStore::firstMember);
    }

    private static Optional<Member> firstMember(io.vertx.sqlclient.RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new Member(row.getString("member_id"), row.getString("member_code"),
                Optional.ofNullable(row.getString("phone")),
                Optional.ofNullable(row.getString("home_store_id")), row.getString("tier"),
                Optional.ofNullable(row.getShort("birth_month")).map(Short::intValue),
                row.getLong("points"), row.getLong("stored_value_fen"),
                row.getInteger("completed_orders"),
                Optional.ofNullable(row.getLocalDate("last_order_on")),
                row.getOffsetDateTime("registered_at").toInstant()));
    }

    @Override
    public Future<List<PointsMovement>> pointsHistory(String memberId, Instant from,
            Instant to, int limit) {
        return pool.preparedQuery("""
                        select t.transaction_id, t.kind, t.created_at, t.order_id, n.note,
                               -sum(e.amount) as points
                          from ledger_entry e
                          join ledger_transaction t using (transaction_id)
                          left join admin_ledger_note n using (transaction_id)
                         where e.account = $1 and t.created_at >= $2 and t.created_at < $3
                         group by t.transaction_id, t.kind, t.created_at, t.order_id, n.note
                         order by t.created_at, t.transaction_id
                         limit $4""")
                .execute(Tuple.of(LedgerAccount.memberPoints(memberId).path(), utc(from),
                        utc(to), limit))
                .map(rows -> {
                    List<PointsMovement> movements = new ArrayList<>();
                    for (Row row : rows) {
                        movements.add(new PointsMovement(row.getUUID("transaction_id").toString(),
                                row.getString("kind"),
                                row.getOffsetDateTime("created_at").toInstant(),
                                row.getLong("points"),
                                Optional.ofNullable(row.getUUID("order_id"))
                                        .map(UUID::toString),
                                Optional.ofNullable(row.getString("note"))));
                    }
                    return movements;
                });
    }

    @Override
    public Future<JsonObject> adjustPoints(String memberId, long delta, Optional<NewLot> lot,
            LocalDate today, String reason, Audit audit) {
        return idempotent("POINTS_ADJUSTMENT", audit, connection -> lockMember(connection,
                memberId).compose(before -> {
                    Future<Void> lots = delta > 0
                            ? insertLot(connection, memberId, lot.orElseThrow())
                            : drawLots(connection, memberId, -delta, today);
                    return lots.compose(done -> pointsTransaction(connection,
                                    "POINTS_ADJUSTMENT", memberId, delta, ADJUSTMENT_ACCOUNT,
                                    reason))
                            .compose(transaction -> reloadMember(connection, memberId,
                                    "adjust-" + transaction)
                                    .compose(done -> memberIn(connection, memberId))
                                    .compose(after -> {
                                        JsonObject result = new JsonObject()
                                                .put("memberId", memberId)
                                                .put("transactionId", transaction.toString())
                                                .put("points", delta).put("reason", reason)
                                                .put("pointsBefore", before.points())
                                                .put("pointsAfter", after.orElseThrow().points());
                                        return audit(connection, audit, "member", memberId,
                                                balancesJson(before),
                                                balancesJson(after.orElseThrow())
                                                        .put("reason", reason))
                                                .map(result);
                                    }));
                }));
    }

    @Override
    public Future<JsonObject> topUp(String memberId, String storeId, long amountFen,
            Audit audit) {
        return idempotent("STORED_VALUE_TOP_UP", audit, connection -> lockMember(connection,
                memberId).compose(before -> {
                    UUID transaction = ids.next();
                    // The one top-up path (bonus rules, ledger, balance, hot copy reload),
                    // shared with terminals; the admin's money is booked as TOP_UP.
                    return PgStoredValueTopUps.credit(connection, transaction, now(), memberId,
                                    storeId, "TOP_UP", amountFen, "top-up at " + storeId,
                                    "admin-top-up-" + transaction)
                            .compose(credit -> memberIn(connection, memberId).compose(after -> {
                                JsonObject result = new JsonObject().put("memberId", memberId)
                                        .put("transactionId", transaction.toString())
                                        .put("amountFen", amountFen)
                                        .put("bonusFen", credit.bonusFen())
                                        .put("storedValueFen", after.orElseThrow()
                                                .storedValueFen());
                                return audit(connection, audit, "member", memberId,
                                        balancesJson(before), balancesJson(after.orElseThrow()))
                                        .map(result);
                            }));
                }));
    }

    @Override
    public Future<List<String>> issueCoupons(String templateId, List<String> memberIds,
            Instant validFrom, Instant validUntil, Audit audit) {
        List<String> couponIds = new ArrayList<>(memberIds.size());
        for (int index = 0; index < memberIds.size(); index++) {
            couponIds.add(newCouponId());
        }
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        insert into coupon (coupon_id, template_id, member_id, state, valid_from,
                                            valid_until, issued_at)
                        select c, $3, m, 'AVAILABLE', $4, $5, $6
                          from unnest($1::text[], $2::text[]) as i(c, m)""")
                .execute(Tuple.of(couponIds.toArray(String[]::new),
                        memberIds.toArray(String[]::new), templateId, utc(validFrom),
                        utc(validUntil), now()))
                .recover(failure -> Future.failedFuture(foreignKeyViolation(failure)
                        ? AdminProblem.notFound("a member") : failure))
                .compose(done -> {
                    List<Future<Void>> writes = new ArrayList<>();
                    for (int index = 0; index < memberIds.size(); index++) {
                        String member = memberIds.get(index);
                        writes.add(reloadMember(connection, member, "coupon-"
                                + couponIds.get(index)));
                        writes.add(audit(connection, audit, "coupon", couponIds.get(index),
                                null, new JsonObject().put("templateId", templateId)
                                        .put("memberId", member)
                                        .put("validUntil", validUntil.toString())));
                    }
                    return Future.all(writes);
                })
                .map(done -> couponIds));
    }

    @Override
    public Future<PointsExchange.Outcome> exchangePoints(PointsExchange.Request request,
            Audit audit) {
        String memberId = request.memberId();
        String couponId = newCouponId();
        return pool.withTransaction(connection -> lockMember(connection, memberId)
                // The member's lock also serializes two attempts of one exchange id: the
                // second finds the first's row here and answers it.
                .compose(before -> exchangeIn(connection, request.exchangeId())
                        .compose(recorded -> recorded.isPresent()
                                ? Future.succeededFuture(request.replayOf(recorded.get()))
                                : exchangeAnew(connection, request, couponId, before, audit))))
                .recover(failure -> {
                    if (failure instanceof ExchangeRefused refused) {
                        return Future.succeededFuture(refused.outcome);
                    }
                    if (checkViolation(failure, QUOTA_CONSTRAINT)) {
                        return Future.succeededFuture(
                                new PointsExchange.SoldOut(request.stock().orElse(0)));
                    }
                    if (uniqueViolation(failure, "points_exchange_pkey")) {
                        // The same id, used concurrently for another member's exchange.
                        return pointsExchange(request.exchangeId()).map(found ->
                                request.replayOf(found.orElseThrow(() ->
                                        new IllegalStateException("exchange "
                                                + request.exchangeId() + " conflicted but is"
                                                + " not recorded", failure))));
                    }
                    return Future.failedFuture(failure);
                });
    }

    /** The exchange's writes; the quota row last, so its lock is held only for the commit. */
    private Future<PointsExchange.Outcome> exchangeAnew(SqlConnection connection,
            PointsExchange.Request request, String couponId, Member before, Audit audit) {
        String memberId = request.memberId();
        long cost = request.pointsCost();
        PointsExchange.InsufficientPoints insufficient =
                new PointsExchange.InsufficientPoints(before.points(), cost);
        if (before.points() < cost) {
            return Future.failedFuture(new ExchangeRefused(insufficient));
        }
        return drawLots(connection, memberId, cost, request.today())
                .recover(failure -> Future.failedFuture(failure instanceof AdminProblem problem
                        && problem.slug().equals("insufficient-points")
                        ? new ExchangeRefused(insufficient) : failure))
                .compose(drawn -> pointsTransaction(connection, "POINTS_EXCHANGE", memberId,
                        -cost, EXCHANGE_ACCOUNT, "exchange " + request.offerId() + " ("
                                + request.exchangeId() + ")"))
                .compose(transaction -> connection.preparedQuery("""
                                insert into coupon (coupon_id, template_id, member_id, state,
                                                    valid_from, valid_until, issued_at)
                                values ($1, $2, $3, 'AVAILABLE', $4, $5, $6)""")
                        .execute(Tuple.of(couponId, request.couponTemplateId(), memberId,
                                utc(request.validFrom()), utc(request.validUntil()), now()))
                        .compose(done -> reloadMember(connection, memberId,
                                "exchange-" + request.exchangeId()))
                        .compose(done -> memberIn(connection, memberId))
                        .map(Optional::orElseThrow)
                        .compose(after -> {
                            PointsExchange exchange = new PointsExchange(request.exchangeId(),
                                    memberId, request.offerId(), couponId, cost, after.points());
                            return connection.preparedQuery("""
                                            insert into points_exchange (exchange_id, member_id,
                                                offer_id, coupon_id, points_spent, points_after,
                                                transaction_id, actor, created_at)
                                            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)""")
                                    .execute(Tuple.tuple().addString(request.exchangeId())
                                            .addString(memberId).addString(request.offerId())
                                            .addString(couponId).addLong(cost)
                                            .addLong(after.points()).addUUID(transaction)
                                            .addString(audit.actor()).addOffsetDateTime(now()))
                                    .compose(done -> audit(connection, audit, "member", memberId,
                                            balancesJson(before), balancesJson(after)
                                                    .put("exchangeId", request.exchangeId())
                                                    .put("offerId", request.offerId())
                                                    .put("couponId", couponId)
                                                    .put("pointsSpent", cost)))
                                    .compose(done -> countOnQuota(connection, request))
                                    .map(taken -> (PointsExchange.Outcome)
                                            new PointsExchange.Exchanged(exchange, false, taken));
                        }));
    }

    /** One more unit of a limited offer's quota; 0 for an unlimited offer. */
    private Future<Long> countOnQuota(SqlConnection connection, PointsExchange.Request request) {
        if (request.stock().isEmpty()) {
            return Future.succeededFuture(0L);
        }
        // The stock follows the rules in force; a stock lowered below what was taken makes
        // every further exchange fail the check (sold out), never rewrites what was taken.
        return connection.preparedQuery("""
                        insert into points_exchange_quota (offer_id, stock, taken, updated_at)
                        values ($1, $2, 1, $3)
                        on conflict (offer_id) do update
                           set taken = points_exchange_quota.taken + 1,
                               stock = excluded.stock, updated_at = excluded.updated_at
                        returning taken""")
                .execute(Tuple.of(request.offerId(), request.stock().getAsLong(), now()))
                .map(rows -> rows.iterator().next().getLong("taken"));
    }

    @Override
    public Future<Optional<PointsExchange>> pointsExchange(String exchangeId) {
        return pool.withConnection(connection -> exchangeIn(connection, exchangeId));
    }

    private static Future<Optional<PointsExchange>> exchangeIn(SqlConnection connection,
            String exchangeId) {
        return connection.preparedQuery("select * from points_exchange where exchange_id = $1")
                .execute(Tuple.of(exchangeId)).map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<PointsExchange>empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new PointsExchange(row.getString("exchange_id"),
                            row.getString("member_id"), row.getString("offer_id"),
                            row.getString("coupon_id"), row.getLong("points_spent"),
                            row.getLong("points_after")));
                });
    }

    @Override
    public Future<Long> quotaTaken(String offerId) {
        return pool.preparedQuery("select taken from points_exchange_quota where offer_id = $1")
                .execute(Tuple.of(offerId)).map(rows -> rows.size() == 0 ? 0L
                        : rows.iterator().next().getLong("taken"));
    }

    /** A refusal decided inside the transaction: it rolls back, then answers the outcome. */
    private static final class ExchangeRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient PointsExchange.Outcome outcome;

        ExchangeRefused(PointsExchange.Outcome outcome) {
            super(outcome.toString(), null, false, false);
            this.outcome = outcome;
        }
    }

    @Override
    public Future<Optional<Order>> order(String orderId) {
        UUID id;
        try {
            id = UUID.fromString(orderId);
        } catch (IllegalArgumentException notAUuid) {
            return Future.succeededFuture(Optional.empty());
        }
        return pool.preparedQuery("select * from sales_order where order_id = $1")
                .execute(Tuple.of(id)).map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<Order>empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new Order(orderId, row.getString("store_id"),
                            row.getString("terminal_id"), row.getString("sale_id"),
                            Optional.ofNullable(row.getString("member_id")),
                            row.getString("status"), row.getLong("subtotal_fen"),
                            row.getLong("discount_fen"), row.getLong("payable_fen"),
                            row.getLong("points_earned"), row.getLong("points_spent"),
                            row.getOffsetDateTime("committed_at").toInstant()));
                });
    }

    @Override
    public Future<List<AuditEntry>> audit(Instant from, Instant to, int limit) {
        return pool.preparedQuery("""
                        select * from admin_audit where at >= $1 and at < $2
                         order by audit_id limit $3""")
                .execute(Tuple.of(utc(from), utc(to), limit)).map(rows -> {
                    List<AuditEntry> entries = new ArrayList<>();
                    for (Row row : rows) {
                        entries.add(new AuditEntry(row.getLong("audit_id"),
                                row.getOffsetDateTime("at").toInstant(), row.getString("actor"),
                                row.getString("role"), row.getString("action"),
                                row.getString("object_type"), row.getString("object_id"),
                                json(row.getValue("before")), json(row.getValue("after"))));
                    }
                    return entries;
                });
    }

    @Override
    public Future<Void> recordAudit(Audit audit, String objectType, String objectId,
            JsonObject before, JsonObject after) {
        return pool.withConnection(connection -> audit(connection, audit, objectType, objectId,
                before, after));
    }

    // ---- building blocks, all inside the caller's transaction ----

    private interface Work {
        Future<JsonObject> run(SqlConnection connection);
    }

    /**
     * Runs {@code work} once per (kind, request id): a retry answers the first result. The
     * operation row is inserted first, so two concurrent retries serialize on its key and the
     * loser's transaction rolls back having written nothing.
     */
    private Future<JsonObject> idempotent(String kind, Audit audit, Work work) {
        return pool.preparedQuery(
                        "select result from admin_operation where kind = $1 and request_id = $2")
                .execute(Tuple.of(kind, audit.requestId())).compose(rows -> {
                    if (rows.size() > 0) {
                        return Future.succeededFuture(json(rows.iterator().next()
                                .getValue("result")).put("replayed", true));
                    }
                    return pool.withTransaction(connection -> connection.preparedQuery("""
                                    insert into admin_operation (kind, request_id, actor, result,
                                                                 created_at)
                                    values ($1, $2, $3, '{}'::jsonb, $4)""")
                            .execute(Tuple.of(kind, audit.requestId(), audit.actor(), now()))
                            .compose(done -> work.run(connection))
                            .compose(result -> connection.preparedQuery("""
                                    update admin_operation set result = $3
                                     where kind = $1 and request_id = $2""")
                                    .execute(Tuple.of(kind, audit.requestId(), result))
                                    .map(result.copy().put("replayed", false))))
                            .recover(failure -> uniqueViolation(failure)
                                    ? idempotent(kind, audit, work)
                                    : Future.failedFuture(failure));
                });
    }

    private Future<Member> lockMember(SqlConnection connection, String memberId) {
        return connection.preparedQuery("select member_id from member where member_id = $1"
                        + " for update").execute(Tuple.of(memberId))
                .compose(rows -> rows.size() == 0
                        ? Future.failedFuture(AdminProblem.notFound("member " + memberId))
                        : memberIn(connection, memberId).map(Optional::orElseThrow));
    }

    private Future<Void> insertLot(SqlConnection connection, String memberId, NewLot lot) {
        return connection.preparedQuery("""
                        insert into points_lot (lot_id, member_id, points_remaining, earned_on,
                                                expires_on)
                        values ($1, $2, $3, $4, $5)""")
                .execute(Tuple.of(lot.lotId(), memberId, lot.points(), lot.earnedOn(),
                        lot.expiresOn())).mapEmpty();
    }

    /** Takes {@code points} from live lots, soonest expiring first; refuses if too few. */
    private Future<Void> drawLots(SqlConnection connection, String memberId, long points,
            LocalDate today) {
        return connection.preparedQuery("""
                        select lot_id, points_remaining from points_lot
                         where member_id = $1 and points_remaining > 0 and expires_on > $2
                         order by expires_on, lot_id for update""")
                .execute(Tuple.of(memberId, today)).compose(rows -> {
                    List<String> lotIds = new ArrayList<>();
                    List<Long> remaining = new ArrayList<>();
                    long left = points;
                    for (Row row : rows) {
                        if (left == 0) {
                            break;
                        }
                        long take = Math.min(left, row.getLong("points_remaining"));
                        lotIds.add(row.getString("lot_id"));
                        remaining.add(row.getLong("points_remaining") - take);
                        left -= take;
                    }
                    if (left > 0) {
                        return Future.failedFuture(AdminProblem.conflict("insufficient-points",
                                "the member has " + (points - left) + " live points, fewer than "
                                        + points));
                    }
                    return connection.preparedQuery("""
                                    update points_lot p set points_remaining = d.remaining
                                      from unnest($1::text[], $2::int8[]) as d(lot_id, remaining)
                                     where p.lot_id = d.lot_id""")
                            .execute(Tuple.tuple().addArrayOfString(lotIds.toArray(String[]::new))
                                    .addArrayOfLong(remaining.toArray(Long[]::new)))
                            .mapEmpty();
                });
    }

    /** Points to the member (positive) or back from the member (negative), balanced. */
    private Future<UUID> pointsTransaction(SqlConnection connection, String kind,
            String memberId, long points, String counterAccount, String note) {
        UUID transaction = ids.next();
        return ledger(connection, transaction, kind,
                List.of(LedgerAccount.memberPoints(memberId).path(), counterAccount),
                List.of(-points, points), "POINTS", note).map(transaction);
    }

    private Future<Void> ledger(SqlConnection connection, UUID transaction, String kind,
            List<String> accounts, List<Long> amounts, String unit, String note) {
        return PgLedgerWrites.transaction(connection, transaction, kind, accounts, amounts, unit,
                note, now());
    }

    private Future<Void> reloadMember(SqlConnection connection, String memberId,
            String operationId) {
        return PgLedgerWrites.reloadMember(connection, memberId, "admin-" + operationId)
                .mapEmpty();
    }

    private Future<Void> audit(SqlConnection connection, Audit audit, String objectType,
            String objectId, JsonObject before, JsonObject after) {
        return connection.preparedQuery(INSERT_AUDIT).execute(Tuple.of(now(), audit.actor(),
                        audit.role().name(), audit.action(), objectType, objectId, before, after)
                        .addString(audit.requestId()))
                .mapEmpty();
    }

    /** A member as the audit log records it: the phone number masked. */
    static JsonObject memberJson(Member member) {
        return balancesJson(member).put("memberCode", member.memberCode())
                .put("phone", member.phone().map(PhoneNumbers::mask).orElse(null))
                .put("homeStoreId", member.homeStoreId().orElse(null));
    }

    private static JsonObject balancesJson(Member member) {
        return new JsonObject().put("points", member.points())
                .put("storedValueFen", member.storedValueFen());
    }

    private String newCouponId() {
        byte[] bytes = new byte[9];
        random.nextBytes(bytes);
        return "CP" + java.util.HexFormat.of().formatHex(bytes).toUpperCase(java.util.Locale.ROOT);
    }

    private static JsonObject json(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof JsonObject object ? object : new JsonObject(value.toString());
    }

    private static boolean uniqueViolation(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    private static boolean uniqueViolation(Throwable failure, String constraint) {
        return uniqueViolation(failure)
                && constraint.equals(((PgException) failure).getConstraint());
    }

    private static boolean checkViolation(Throwable failure, String constraint) {
        return failure instanceof PgException pg && "23514".equals(pg.getSqlState())
                && constraint.equals(pg.getConstraint());
    }

    private static boolean foreignKeyViolation(Throwable failure) {
        return failure instanceof PgException pg && "23503".equals(pg.getSqlState());
    }

    private OffsetDateTime now() {
        return utc(clock.instant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
