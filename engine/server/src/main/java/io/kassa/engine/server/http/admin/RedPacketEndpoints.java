package io.kassa.engine.server.http.admin;

import io.kassa.engine.core.coupon.CouponBenefit;
import io.kassa.engine.core.coupon.CouponKind;
import io.kassa.engine.core.coupon.CouponTemplate;
import io.kassa.engine.core.coupon.RedPacketSplit;
import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.server.admin.AdminProblem;
import io.kassa.engine.server.admin.AdminStore;
import io.kassa.engine.server.admin.ApiPrincipal;
import io.kassa.engine.server.admin.PhoneNumbers;
import io.kassa.engine.server.admin.RedPacket;
import io.kassa.engine.server.admin.RedPacketStore;
import io.kassa.engine.server.http.admin.AdminRoutes.Reply;
import io.kassa.engine.server.metrics.KassaMetrics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Split red packets (拼手气红包) through the admin API: a packet made for a member (the sharer),
 * its amount cut at once into random shares by the core's {@link RedPacketSplit}; friends who
 * open it each get the next share as a coupon of its amount, on the terms of the chain's
 * {@code SPLIT_RED_PACKET} template; at most one share per member, never more openings than
 * shares, nothing opened after the deadline.
 *
 * <pre>
 * POST /red-packets                      {requestId, sharerMemberId, templateId, shares,
 *                                         amountFen?, minimumShareFen?, openHours?}
 *                                        HQ; store manager for its stores' members
 * GET  /red-packets/{packetId}           the packet and its opened shares (phones masked)
 *                                        everyone (store manager: its stores' packets)
 * POST /red-packets/{packetId}/openings  {memberId}
 *                                        HQ; store manager for its stores' members, on its
 *                                        stores' packets
 * </pre>
 */
final class RedPacketEndpoints {

    /** How long a packet may be opened unless the request says: a day, as the wallets do. */
    static final long OPEN_HOURS_DEFAULT = 24;

    /** The longest a packet may stay open: a week. */
    static final long OPEN_HOURS_MAX = 7 * 24;

    /** A share's coupon validity when its template names none. */
    static final int COUPON_VALIDITY_DAYS_DEFAULT = 30;

    static final String PACKET_ID = "RP[0-9A-F]{16}";

    private final RedPacketStore packets;
    private final AdminStore admin;
    private final Supplier<ChainRules> rules;
    private final Clock clock;
    private final KassaMetrics metrics;
    private final SecureRandom random = new SecureRandom();

    RedPacketEndpoints(RedPacketStore packets, AdminStore admin, Supplier<ChainRules> rules,
            Clock clock, KassaMetrics metrics) {
        this.packets = packets;
        this.admin = admin;
        this.rules = rules;
        this.clock = clock;
        this.metrics = metrics;
    }

    Future<Reply> create(RoutingContext context, ApiPrincipal principal) {
        JsonInput input = JsonInput.of(AdminRoutes.body(context), Set.of("requestId",
                "sharerMemberId", "templateId", "shares", "amountFen", "minimumShareFen",
                "openHours"));
        String requestId = input.text("requestId", AdminRoutes.REQUEST_ID);
        String sharerId = input.text("sharerMemberId", AdminRoutes.ID);
        String templateId = input.text("templateId", AdminRoutes.ID);
        int shares = (int) input.integer("shares", 1, RedPacketSplit.SHARES_MAX);
        Optional<Long> amount = input.optionalInteger("amountFen", 1,
                RedPacketSplit.AMOUNT_FEN_MAX);
        long minimumShareFen = input.optionalInteger("minimumShareFen", 1,
                RedPacketSplit.AMOUNT_FEN_MAX).orElse(1L);
        long openHours = input.optionalInteger("openHours", 1, OPEN_HOURS_MAX)
                .orElse(OPEN_HOURS_DEFAULT);
        CouponTemplate template = redPacketTemplate(templateId);
        long amountFen = amount.orElseGet(() -> ((CouponBenefit.AmountOff) template.benefit())
                .amountFen());
        if (amountFen > RedPacketSplit.AMOUNT_FEN_MAX) {
            throw AdminProblem.unprocessable("packet-over-limit", "template " + templateId
                    + " holds " + amountFen + " fen; a packet holds at most "
                    + RedPacketSplit.AMOUNT_FEN_MAX + " fen");
        }
        long seed = random.nextLong();
        Decision<List<Long>> split = RedPacketSplit.split(amountFen, shares, minimumShareFen,
                seed);
        if (split instanceof Decision.Rejected<List<Long>> rejected) {
            throw AdminProblem.unprocessable("packet-below-minimum",
                    rejected.rejection().explanation());
        }
        List<Long> shareAmounts = ((Decision.Accepted<List<Long>>) split).value();
        return member(sharerId, principal, true).compose(sharer -> {
            Instant now = clock.instant();
            return packets.create(new RedPacket.New(newPacketId(), requestId, templateId,
                    sharer.memberId(), sharer.homeStoreId(), amountFen, minimumShareFen, seed,
                    shareAmounts, now, now.plus(Duration.ofHours(openHours))),
                    AdminRoutes.audit(principal, "red-packet.create", Optional.of(requestId)));
        }).map(creation -> {
            if (creation instanceof RedPacket.RequestIdReused reused) {
                throw AdminProblem.conflict("request-id-reused", "requestId " + requestId
                        + " made packet " + reused.packet().packetId() + " with other terms");
            }
            RedPacket.Created created = (RedPacket.Created) creation;
            if (!created.replayed()) {
                metrics.redPacketCreated(created.packet().amountFen());
            }
            JsonObject body = packetJson(created.packet());
            return created.replayed() ? Reply.ok(body) : Reply.created(body);
        });
    }

    Future<Reply> show(RoutingContext context, ApiPrincipal principal) {
        return readablePacket(context, principal).map(packet -> Reply.ok(packetJson(packet)));
    }

    Future<Reply> open(RoutingContext context, ApiPrincipal principal) {
        JsonInput input = JsonInput.of(AdminRoutes.body(context), Set.of("memberId"));
        String memberId = input.text("memberId", AdminRoutes.ID);
        return readablePacket(context, principal).compose(packet -> {
            CouponTemplate template = rules.get().couponTemplate(packet.templateId())
                    .orElseThrow(() -> AdminProblem.unprocessable("unknown-template",
                            "the packet's coupon template " + packet.templateId()
                                    + " is no longer in the chain's rules"));
            int days = template.validityDays() > 0 ? template.validityDays()
                    : COUPON_VALIDITY_DAYS_DEFAULT;
            return member(memberId, principal, true).compose(opener -> packets.open(
                    new RedPacket.OpenRequest(packet.packetId(), opener.memberId(),
                            template.templateId(), Duration.ofDays(days), clock.instant()),
                    AdminRoutes.audit(principal, "red-packet.open", Optional.empty())));
        }).map(opened -> {
            if (opened instanceof RedPacket.ShareOpened share) {
                metrics.redPacketOpening(share.replayed() ? "replayed" : "opened",
                        share.replayed() ? 0 : share.opening().amountFen());
                String packetId = context.pathParam("packetId");
                JsonObject body = openingJson(share.opening()).put("packetId", packetId)
                        .put("openedShares", share.openedCount());
                return share.replayed() ? Reply.ok(body) : Reply.created(body);
            }
            if (opened instanceof RedPacket.Empty empty) {
                metrics.redPacketOpening("empty", 0);
                throw AdminProblem.conflict("packet-empty", "all " + empty.shares()
                        + " shares of the packet are opened");
            }
            if (opened instanceof RedPacket.Expired expired) {
                metrics.redPacketOpening("expired", 0);
                throw new AdminProblem(410, "packet-expired", "The packet has closed",
                        "the packet could be opened until " + expired.openUntil());
            }
            throw AdminProblem.notFound("red packet " + context.pathParam("packetId"));
        });
    }

    // ---- helpers ----

    private CouponTemplate redPacketTemplate(String templateId) {
        CouponTemplate template = rules.get().couponTemplate(templateId).orElseThrow(() ->
                AdminProblem.unprocessable("unknown-template", "the chain has no coupon template "
                        + templateId));
        if (template.kind() != CouponKind.SPLIT_RED_PACKET
                || !(template.benefit() instanceof CouponBenefit.AmountOff)) {
            throw AdminProblem.unprocessable("not-a-red-packet-template", "template "
                    + templateId + " is a " + template.kind() + ", not a SPLIT_RED_PACKET");
        }
        return template;
    }

    /** A packet the caller may see: another store's is 404, as if it did not exist. */
    private Future<RedPacket> readablePacket(RoutingContext context, ApiPrincipal principal) {
        String packetId = context.pathParam("packetId");
        if (packetId == null || !packetId.matches(PACKET_ID)) {
            throw AdminProblem.notFound("red packet " + packetId);
        }
        return packets.packet(packetId).map(found -> found
                .filter(packet -> principal.readsStore(packet.storeId()))
                .orElseThrow(() -> AdminProblem.notFound("red packet " + packetId)));
    }

    /** A member the caller may see (404 otherwise) and, for {@code write}, change (403). */
    private Future<AdminStore.Member> member(String memberId, ApiPrincipal principal,
            boolean write) {
        return admin.member(memberId).map(found -> {
            AdminStore.Member member = found
                    .filter(candidate -> principal.readsStore(candidate.homeStoreId()))
                    .orElseThrow(() -> AdminProblem.notFound("member " + memberId));
            if (write && !principal.writesStore(member.homeStoreId())) {
                throw AdminProblem.forbidden("this key cannot give red packets to members");
            }
            return member;
        });
    }

    private JsonObject packetJson(RedPacket packet) {
        Instant now = clock.instant();
        String state = packet.openings().size() == packet.shares() ? "EMPTY"
                : packet.isOpenAt(now) ? "OPEN" : "EXPIRED";
        JsonArray openings = new JsonArray();
        packet.openings().forEach(opening -> openings.add(openingJson(opening)));
        return new JsonObject().put("packetId", packet.packetId())
                .put("templateId", packet.templateId())
                .put("sharerMemberId", packet.sharerMemberId())
                .put("storeId", packet.storeId().orElse(null))
                .put("amountFen", packet.amountFen()).put("shares", packet.shares())
                .put("minimumShareFen", packet.minimumShareFen())
                .put("createdAt", packet.createdAt().toString())
                .put("openUntil", packet.openUntil().toString()).put("state", state)
                .put("openedShares", packet.openings().size())
                .put("openedFen", packet.openedFen()).put("openings", openings);
    }

    /** An opened share: the opener's phone masked, as everywhere in the API. */
    private static JsonObject openingJson(RedPacket.Opening opening) {
        return new JsonObject().put("shareNumber", opening.shareNumber())
                .put("memberId", opening.memberId())
                .put("phone", opening.phone().map(PhoneNumbers::mask).orElse(null))
                .put("amountFen", opening.amountFen()).put("couponId", opening.couponId())
                .put("openedAt", opening.openedAt().toString());
    }

    private String newPacketId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return "RP" + HexFormat.of().formatHex(bytes).toUpperCase(Locale.ROOT);
    }
}
