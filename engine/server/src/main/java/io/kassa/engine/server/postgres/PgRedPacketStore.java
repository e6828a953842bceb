package io.kassa.engine.server.postgres;

import io.kassa.engine.server.admin.AdminProblem;
import io.kassa.engine.server.admin.AdminStore.Audit;
import io.kassa.engine.server.admin.RedPacket;
import io.kassa.engine.server.admin.RedPacketStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link RedPacketStore} on PostgreSQL (schema V70). An opening locks the packet's row
 * ({@code for update}): openers of one packet, from any node, take their turns there, each
 * finding its own share or the next free one, and the packet's count of openings is checked
 * never to pass its shares. Openers of different packets never wait on each other.
 */
public final class PgRedPacketStore implements RedPacketStore {

    /** The unique key that refuses a second share to one member. */
    static final String ONCE_PER_MEMBER = "red_packet_share_once_per_member";

    private static final String PACKET_COLUMNS = """
            packet_id, request_id, template_id, sharer_member_id, store_id, amount_fen, shares,
            minimum_share_fen, opened, open_until, created_at""";

    /** {@code %s} is the column the packet is found by (a unique one). */
    private static final String PACKET_WITH_OPENINGS = """
            select p.packet_id, p.request_id, p.template_id, p.sharer_member_id, p.store_id,
                   p.amount_fen, p.shares, p.minimum_share_fen, p.opened, p.open_until,
                   p.created_at, s.share_number, s.member_id, m.phone,
                   s.amount_fen as share_amount_fen, s.coupon_id, s.opened_at
              from red_packet p
              left join red_packet_share s
                     on s.packet_id = p.packet_id and s.member_id is not null
              left join member m on m.member_id = s.member_id
             where p.%s = $1
             order by s.opened_at, s.share_number""";

    private final Pool pool;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public PgRedPacketStore(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    @Override
    public Future<RedPacket.Creation> create(RedPacket.New packet, Audit audit) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        insert into red_packet (packet_id, request_id, template_id,
                            sharer_member_id, store_id, amount_fen, shares, minimum_share_fen,
                            seed, open_until, actor, created_at)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                        on conflict (request_id) do nothing
                        returning packet_id""")
                .execute(Tuple.tuple().addString(packet.packetId()).addString(packet.requestId())
                        .addString(packet.templateId()).addString(packet.sharerMemberId())
                        .addString(packet.storeId().orElse(null)).addLong(packet.amountFen())
                        .addInteger(packet.shareAmountsFen().size())
                        .addLong(packet.minimumShareFen()).addLong(packet.seed())
                        .addOffsetDateTime(utc(packet.openUntil())).addString(audit.actor())
                        .addOffsetDateTime(utc(packet.createdAt())))
                .compose(rows -> rows.rowCount() == 0
                        // The request id was used first (perhaps concurrently, now committed).
                        ? Future.succeededFuture(false)
                        : insertShares(connection, packet)
                                .compose(done -> audit(connection, audit, packet.packetId(),
                                        null, new JsonObject()
                                                .put("templateId", packet.templateId())
                                                .put("sharerMemberId", packet.sharerMemberId())
                                                .put("storeId", packet.storeId().orElse(null))
                                                .put("amountFen", packet.amountFen())
                                                .put("shares", packet.shareAmountsFen().size())
                                                .put("minimumShareFen",
                                                        packet.minimumShareFen())
                                                .put("openUntil",
                                                        packet.openUntil().toString())))
                                .map(true)))
                .recover(failure -> Future.failedFuture(foreignKeyViolation(failure)
                        ? AdminProblem.notFound("member " + packet.sharerMemberId()) : failure))
                .compose(made -> packetWhere(pool, "request_id", packet.requestId())
                        .map(found -> {
                            RedPacket recorded = found.orElseThrow(() -> new IllegalStateException(
                                    "packet of request " + packet.requestId()
                                            + " is not recorded"));
                            if (made) {
                                return new RedPacket.Created(recorded, false);
                            }
                            return packet.sameAs(recorded)
                                    ? new RedPacket.Created(recorded, true)
                                    : new RedPacket.RequestIdReused(recorded);
                        }));
    }

    private static Future<Void> insertShares(SqlConnection connection, RedPacket.New packet) {
        int count = packet.shareAmountsFen().size();
        Integer[] numbers = new Integer[count];
        for (int index = 0; index < count; index++) {
            numbers[index] = index + 1;
        }
        return connection.preparedQuery("""
                        insert into red_packet_share (packet_id, share_number, amount_fen)
                        select $1, n, a from unnest($2::int4[], $3::int8[]) as s(n, a)""")
                .execute(Tuple.tuple().addString(packet.packetId()).addArrayOfInteger(numbers)
                        .addArrayOfLong(packet.shareAmountsFen().toArray(Long[]::new)))
                .mapEmpty();
    }

    @Override
    public Future<Optional<RedPacket>> packet(String packetId) {
        return packetWhere(pool, "packet_id", packetId);
    }

    /**
     * The packet and its openings in one statement, so one snapshot: read in two, an opening
     * committed between them would show a packet whose count disagrees with its shares.
     */
    private static Future<Optional<RedPacket>> packetWhere(SqlClient client, String column,
            String value) {
        return client.preparedQuery(PACKET_WITH_OPENINGS.formatted(column))
                .execute(Tuple.of(value))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return Optional.empty();
                    }
                    Row first = null;
                    List<RedPacket.Opening> openings = new ArrayList<>(rows.rowCount());
                    for (Row row : rows) {
                        first = first == null ? row : first;
                        if (row.getString("member_id") != null) {
                            openings.add(opening(row));
                        }
                    }
                    return Optional.of(packet(first, openings));
                });
    }

    private static RedPacket.Opening opening(Row row) {
        return new RedPacket.Opening(row.getInteger("share_number"), row.getString("member_id"),
                Optional.ofNullable(row.getString("phone")), row.getLong("share_amount_fen"),
                row.getString("coupon_id"), row.getOffsetDateTime("opened_at").toInstant());
    }

    private static RedPacket packet(Row row, List<RedPacket.Opening> openings) {
        RedPacket packet = new RedPacket(row.getString("packet_id"), row.getString("request_id"),
                row.getString("template_id"), row.getString("sharer_member_id"),
                Optional.ofNullable(row.getString("store_id")), row.getLong("amount_fen"),
                row.getInteger("shares"),
                row.getLong("minimum_share_fen"),
                row.getOffsetDateTime("open_until").toInstant(),
                row.getOffsetDateTime("created_at").toInstant(), openings);
        if (packet.openings().size() != row.getInteger("opened")) {
            throw new IllegalStateException("packet " + packet.packetId() + " counts "
                    + row.getInteger("opened") + " openings but has "
                    + packet.openings().size());
        }
        return packet;
    }

    @Override
    public Future<RedPacket.Opened> open(RedPacket.OpenRequest request, Audit audit) {
        return open(request, audit, true);
    }

    private Future<RedPacket.Opened> open(RedPacket.OpenRequest request, Audit audit,
            boolean mayRetry) {
        return pool.withTransaction(connection -> connection.preparedQuery("select "
                        + PACKET_COLUMNS + " from red_packet where packet_id = $1 for update")
                .execute(Tuple.of(request.packetId()))
                .compose(rows -> rows.rowCount() == 0
                        ? Future.succeededFuture(new RedPacket.Missing())
                        : openLocked(connection, rows.iterator().next(), request, audit)))
                .recover(failure -> {
                    if (mayRetry && uniqueViolation(failure, ONCE_PER_MEMBER)) {
                        // The packet's lock makes this unreachable; were it reached, the
                        // member's share is recorded, and a second attempt answers it.
                        return open(request, audit, false);
                    }
                    return Future.failedFuture(foreignKeyViolation(failure)
                            ? AdminProblem.notFound("member " + request.memberId()) : failure);
                });
    }

    /** With the packet's row locked: the member's share, or the next free one. */
    private Future<RedPacket.Opened> openLocked(SqlConnection connection, Row packet,
            RedPacket.OpenRequest request, Audit audit) {
        int shares = packet.getInteger("shares");
        int opened = packet.getInteger("opened");
        return connection.preparedQuery("""
                        select s.share_number, s.member_id, m.phone,
                               s.amount_fen as share_amount_fen, s.coupon_id, s.opened_at
                          from red_packet_share s join member m using (member_id)
                         where s.packet_id = $1 and s.member_id = $2""")
                .execute(Tuple.of(request.packetId(), request.memberId()))
                .compose(mine -> {
                    if (mine.rowCount() > 0) {
                        return Future.succeededFuture(new RedPacket.ShareOpened(
                                opening(mine.iterator().next()), true, opened));
                    }
                    Instant openUntil = packet.getOffsetDateTime("open_until").toInstant();
                    if (!request.at().isBefore(openUntil)) {
                        return Future.succeededFuture(new RedPacket.Expired(openUntil));
                    }
                    if (opened >= shares) {
                        return Future.succeededFuture(new RedPacket.Empty(shares));
                    }
                    return takeShare(connection, request, opened + 1, audit);
                });
    }

    private Future<RedPacket.Opened> takeShare(SqlConnection connection,
            RedPacket.OpenRequest request, int shareNumber, Audit audit) {
        String couponId = newCouponId();
        Instant at = request.at();
        Instant until = at.plus(request.couponValidity());
        return connection.preparedQuery("""
                        select amount_fen from red_packet_share
                         where packet_id = $1 and share_number = $2""")
                .execute(Tuple.of(request.packetId(), shareNumber))
                .compose(rows -> {
                    long amountFen = rows.iterator().next().getLong("amount_fen");
                    return connection.preparedQuery("""
                                    insert into coupon (coupon_id, template_id, member_id, state,
                                                        valid_from, valid_until, issued_at,
                                                        amount_off_fen)
                                    values ($1, $2, $3, 'AVAILABLE', $4, $5, $6, $7)""")
                            .execute(Tuple.tuple().addString(couponId)
                                    .addString(request.templateId())
                                    .addString(request.memberId()).addOffsetDateTime(utc(at))
                                    .addOffsetDateTime(utc(until)).addOffsetDateTime(now())
                                    .addLong(amountFen))
                            .compose(done -> connection.preparedQuery("""
                                            update red_packet_share
                                               set member_id = $3, coupon_id = $4, opened_at = $5
                                             where packet_id = $1 and share_number = $2
                                               and member_id is null""")
                                    .execute(Tuple.of(request.packetId(), shareNumber,
                                            request.memberId(), couponId, utc(at))))
                            .compose(updated -> {
                                if (updated.rowCount() != 1) {
                                    return Future.failedFuture(new IllegalStateException(
                                            "share " + shareNumber + " of packet "
                                                    + request.packetId() + " was taken"));
                                }
                                return connection.preparedQuery("""
                                                update red_packet set opened = opened + 1
                                                 where packet_id = $1""")
                                        .execute(Tuple.of(request.packetId()));
                            })
                            .compose(done -> PgLedgerWrites.reloadMember(connection,
                                    request.memberId(), "red-packet-" + couponId))
                            .compose(done -> audit(connection, audit, request.packetId(),
                                    new JsonObject().put("opened", shareNumber - 1),
                                    new JsonObject().put("opened", shareNumber)
                                            .put("shareNumber", shareNumber)
                                            .put("memberId", request.memberId())
                                            .put("amountFen", amountFen)
                                            .put("couponId", couponId)))
                            .compose(done -> connection.preparedQuery("""
                                            select phone from member where member_id = $1""")
                                    .execute(Tuple.of(request.memberId())))
                            .map(phone -> new RedPacket.ShareOpened(new RedPacket.Opening(
                                    shareNumber, request.memberId(), Optional.ofNullable(
                                            phone.iterator().next().getString("phone")),
                                    amountFen, couponId, at), false, shareNumber));
                });
    }

    private Future<Void> audit(SqlConnection connection, Audit audit, String packetId,
            JsonObject before, JsonObject after) {
        return connection.preparedQuery(PgAdminStore.INSERT_AUDIT).execute(Tuple.of(now(),
                        audit.actor(), audit.role().name(), audit.action(), "red-packet",
                        packetId, before, after).addString(audit.requestId()))
                .mapEmpty();
    }

    private String newCouponId() {
        byte[] bytes = new byte[9];
        random.nextBytes(bytes);
        return "CP" + HexFormat.of().formatHex(bytes).toUpperCase(Locale.ROOT);
    }

    private static boolean uniqueViolation(Throwable failure, String constraint) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
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
