package io.kassa.engine.server.http.admin;

import io.kassa.engine.core.coupon.CouponTemplate;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.rules.CouponExchangeOffer;
import io.kassa.engine.server.rules.RulesCatalogue;
import io.kassa.engine.core.rules.Store;
import io.kassa.engine.server.admin.AdminProblem;
import io.kassa.engine.server.admin.AdminStore;
import io.kassa.engine.server.admin.ApiPrincipal;
import io.kassa.engine.server.admin.ApiRole;
import io.kassa.engine.server.admin.PhoneNumbers;
import io.kassa.engine.server.admin.PointsExchange;
import io.kassa.engine.server.admin.PointsExchanges;
import io.kassa.engine.server.admin.RedPacketStore;
import io.kassa.engine.server.admin.Reports;
import io.kassa.engine.server.metrics.KassaMetrics;
import io.kassa.engine.server.terminal.TerminalCredential;
import io.kassa.engine.server.terminal.TerminalRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API at {@code /api/v1} (every route is described in {@code openapi.json}, served at
 * {@code /api/v1/openapi.json}). Each request: API key (401), rate limit per key (429), role
 * (403), object-level check (an object outside a store manager's stores is 404, so that
 * guessing ids tells nothing), strict body (400 on an unknown field), then the work; every
 * refusal is an RFC 9457 {@code application/problem+json} response.
 */
public final class AdminRoutes {

    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);

    public static final String BASE = "/api/v1";

    /** Largest request body read. */
    public static final int BODY_BYTES_MAX = 16 * 1024;
    /** The whole rules document of a chain with many stores and campaigns fits in this. */
    public static final int RULES_BODY_BYTES_MAX = 1024 * 1024;

    /** Most members one bulk issuance reaches. */
    public static final int BULK_MEMBERS_MAX = 1_000;

    /** Most rows a list answers. */
    public static final int LIST_ROWS_MAX = 500;

    /** Widest time range a history or report reads. */
    public static final Duration RANGE_MAX = Duration.ofDays(366);

    /** Largest single points adjustment, either way. */
    public static final long ADJUSTMENT_POINTS_MAX = 1_000_000;

    /** Largest single top-up: 50,000 yuan. */
    public static final long TOP_UP_FEN_MAX = 5_000_000;

    static final String ID = "[A-Za-z0-9_.:-]{1,64}";
    static final String PHONE = "\\+?[0-9]{6,15}";
    static final String REQUEST_ID = "[A-Za-z0-9_.:-]{8,64}";
    static final String PROBLEM_BASE = "https://kassa.example/problems/";
    static final String PRINCIPAL = "kassa.admin.principal";

    private final AdminStore store;
    private final Reports reports;
    private final TerminalRegistry terminals;
    private final Supplier<ChainRules> rules;
    private final ConfigurationEndpoints configuration;
    private final PointsExchanges exchanges;
    private final RedPacketEndpoints redPackets;
    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final KassaMetrics metrics;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final String openApi;

    public AdminRoutes(AdminStore store, Reports reports, TerminalRegistry terminals,
            RulesCatalogue catalogue, ApiKeys keys, RateLimiter limiter, KassaMetrics metrics,
            Clock clock, PointsExchanges exchanges, RedPacketStore redPackets) {
        this.store = store;
        this.reports = reports;
        this.terminals = terminals;
        this.rules = catalogue.live();
        this.configuration = new ConfigurationEndpoints(catalogue);
        this.exchanges = exchanges;
        this.redPackets = new RedPacketEndpoints(redPackets, store, this.rules, clock,
                metrics);
        this.keys = keys;
        this.limiter = limiter;
        this.metrics = metrics;
        this.clock = clock;
        this.openApi = resource("/api/openapi.json");
    }

    /** What a handler answers: a status and a JSON body. */
    record Reply(int status, Object body) {
        static Reply ok(Object body) {
            return new Reply(200, body);
        }

        static Reply created(Object body) {
            return new Reply(201, body);
        }
    }

    interface Handler {
        Future<Reply> handle(RoutingContext context, ApiPrincipal principal);
    }

    public void mount(Router router) {
        router.get(BASE + "/openapi.json").handler(context -> context.response()
                .putHeader("Content-Type", "application/json").end(openApi));
        // The rules document may be far larger than any other body: its own limit, read first.
        router.put(BASE + "/rules").handler(BodyHandler.create(false)
                .setBodyLimit(RULES_BODY_BYTES_MAX));
        router.route(BASE + "/*").handler(BodyHandler.create(false).setBodyLimit(BODY_BYTES_MAX));
        router.route(BASE + "/*").handler(this::authenticate);

        get("/stores", this::stores);
        get("/stores/:storeId", this::store);
        get("/store-groups", this::storeGroups);
        post("/members", this::registerMember);
        get("/members", this::findMember);
        get("/members/:memberId", this::member);
        get("/members/:memberId/points-history", this::pointsHistory);
        post("/members/:memberId/points-adjustments", this::adjustPoints);
        post("/members/:memberId/stored-value-top-ups", this::topUp);
        post("/members/:memberId/coupons", this::issueCoupon);
        post("/members/:memberId/points-exchanges", this::exchangePoints);
        post("/coupon-issuances", this::issueInBulk);
        post("/red-packets", redPackets::create);
        get("/red-packets/:packetId", redPackets::show);
        post("/red-packets/:packetId/openings", redPackets::open);
        get("/orders/:orderId", this::order);
        post("/terminals", this::provisionTerminal);
        get("/terminals/:terminalId", this::terminal);
        post("/terminals/:terminalId/rotate", this::rotateTerminal);
        post("/terminals/:terminalId/disable", (c, p) -> setDisabled(c, p, true));
        post("/terminals/:terminalId/enable", (c, p) -> setDisabled(c, p, false));
        get("/reports/coupon-redemption", this::couponReport);
        get("/reports/points-liability", this::liabilityReport);
        get("/reports/points-expiring", this::expiringReport);
        get("/reports/repurchase", this::repurchaseReport);
        get("/analytics/rfm", this::rfm);
        get("/analytics/dormant-members", this::dormant);
        get("/coupon-templates", this::couponTemplates);
        get("/campaigns", this::campaigns);
        get("/stored-value-bonus-rules", this::bonusRules);
        post("/api-keys", this::createKey);
        get("/api-keys", this::listKeys);
        post("/api-keys/:keyId/disable", this::disableKey);
        get("/audit", this::audit);
        get("/rules", configuration::current);
        put("/rules", configuration::replace);
        put("/coupon-templates/:templateId", configuration::putCouponTemplate);
        put("/campaigns/:campaignId", configuration::putCampaign);
        mountDeclared(router);

        // Anything else under the base path: a problem, not vertx-web's HTML page; a known
        // path with another method is 405 with the methods it has.
        router.route(BASE + "/*").handler(context -> {
            String path = context.request().path().substring(BASE.length());
            Set<String> allowed = new TreeSet<>();
            for (Object[] declared : routes) {
                String pattern = ((String) declared[1]).replaceAll(":[A-Za-z]+", "[^/]+");
                if (path.matches(pattern)) {
                    allowed.add(declared[0].toString());
                }
            }
            if (!allowed.isEmpty()) {
                context.response().putHeader("Allow", String.join(", ", allowed));
                problem(context, new AdminProblem(405, "method-not-allowed",
                        "Method not allowed", context.request().method() + " is not served on "
                                + path + "; allowed: " + allowed));
                return;
            }
            problem(context, new AdminProblem(404, "no-such-route", "No such route",
                    context.request().method() + " " + context.request().path()
                            + " is not part of this API (see " + BASE + "/openapi.json)"));
        });
        router.route(BASE + "/*").failureHandler(this::failure);
    }

    private void get(String path, Handler handler) {
        route(HttpMethod.GET, path, handler);
    }

    private void post(String path, Handler handler) {
        route(HttpMethod.POST, path, handler);
    }

    private void put(String path, Handler handler) {
        route(HttpMethod.PUT, path, handler);
    }

    private final List<Object[]> routes = new ArrayList<>();

    /**
     * Every route served under {@link #BASE} once mounted, as "VERB /path" with
     * {@code :parameters} (openapi.json aside): what the OpenAPI document and the authorization
     * matrix are checked against.
     */
    public List<String> declaredRoutes() {
        List<String> declared = new ArrayList<>(routes.size());
        for (Object[] route : routes) {
            declared.add(route[0] + " " + route[1]);
        }
        return List.copyOf(declared);
    }

    private void route(HttpMethod method, String path, Handler handler) {
        routes.add(new Object[] {method, path, handler});
    }

    /** Mounts the routes declared so far, each behind the authentication handler. */
    private void mountDeclared(Router target) {
        for (Object[] declared : routes) {
            HttpMethod method = (HttpMethod) declared[0];
            String path = (String) declared[1];
            Handler handler = (Handler) declared[2];
            target.route(method, BASE + path).handler(context -> {
                ApiPrincipal principal = context.get(PRINCIPAL);
                Future<Reply> reply;
                try {
                    reply = handler.handle(context, principal);
                } catch (RuntimeException refused) {
                    reply = Future.failedFuture(refused);
                }
                reply.onComplete(done -> {
                    if (done.succeeded()) {
                        Object body = done.result().body();
                        context.response().setStatusCode(done.result().status())
                                .putHeader("Content-Type", "application/json")
                                .putHeader("Cache-Control", "no-store")
                                .end(body instanceof JsonArray array ? array.encode()
                                        : ((JsonObject) body).encode());
                    } else {
                        context.fail(done.cause());
                    }
                });
            });
        }
    }

    // ---- the pipeline before every handler ----

    private void authenticate(RoutingContext context) {
        String address = "address:" + context.request().remoteAddress().hostAddress();
        keys.authenticate(context.request().getHeader("Authorization")).onComplete(done -> {
            if (done.failed()) {
                // Failed attempts spend the caller's address bucket: guessing keys is slow.
                long waitSeconds = limiter.acquire(address);
                if (waitSeconds > 0) {
                    context.response().putHeader("Retry-After", Long.toString(waitSeconds));
                    problem(context, new AdminProblem(429, "rate-limited", "Too many requests",
                            "too many failed authentications from this address; wait "
                                    + waitSeconds + " s"));
                    return;
                }
                problem(context, done.cause());
                return;
            }
            ApiPrincipal principal = done.result();
            long retryAfterSeconds = limiter.acquire(principal.keyId());
            if (retryAfterSeconds > 0) {
                context.response().putHeader("Retry-After", Long.toString(retryAfterSeconds));
                problem(context, new AdminProblem(429, "rate-limited", "Too many requests",
                        "this key may send more in " + retryAfterSeconds + " s"));
                return;
            }
            if (context.request().method() == HttpMethod.POST
                    || context.request().method() == HttpMethod.PUT) {
                String type = context.request().getHeader("Content-Type");
                if (type == null || !type.toLowerCase(java.util.Locale.ROOT)
                        .startsWith("application/json")) {
                    problem(context, new AdminProblem(415, "unsupported-media-type",
                            "The body must be JSON", "send Content-Type: application/json"));
                    return;
                }
            }
            context.put(PRINCIPAL, principal);
            context.next();
        });
    }

    private void failure(RoutingContext context) {
        Throwable failure = context.failure();
        if (failure == null && context.statusCode() == 413) {
            failure = new AdminProblem(413, "body-too-large", "The body is too large",
                    "at most " + (context.request().path().equals(BASE + "/rules")
                            ? RULES_BODY_BYTES_MAX : BODY_BYTES_MAX) + " bytes");
        } else if (failure == null) {
            failure = new AdminProblem(context.statusCode(), "http-" + context.statusCode(),
                    "The request failed", "status " + context.statusCode());
        }
        problem(context, failure);
    }

    private void problem(RoutingContext context, Throwable failure) {
        AdminProblem problem;
        if (failure instanceof AdminProblem known) {
            problem = known;
        } else if (failure instanceof DecodeException) {
            problem = AdminProblem.badRequest("the body is not valid JSON");
        } else {
            log.error("admin request {} {} failed", context.request().method(),
                    context.request().path(), failure);
            metrics.error("admin", context.request().path() + ": " + failure);
            problem = new AdminProblem(500, "internal", "The request could not be carried out",
                    "an internal error was logged; the request may be retried");
        }
        if (context.response().ended()) {
            return;
        }
        JsonObject body = new JsonObject().put("type", PROBLEM_BASE + problem.slug())
                .put("title", problem.title()).put("status", problem.status())
                .put("detail", problem.getMessage())
                .put("instance", context.request().path());
        problem.extensions().forEach(body::put);
        context.response().setStatusCode(problem.status())
                .putHeader("Content-Type", "application/problem+json")
                .putHeader("Cache-Control", "no-store")
                .end(body.encode());
    }

    // ---- stores ----

    private Future<Reply> stores(RoutingContext context, ApiPrincipal principal) {
        JsonArray stores = new JsonArray();
        for (Store store : rules.get().stores()) {
            if (principal.readsStore(Optional.of(store.storeId()))) {
                stores.add(storeJson(store));
            }
        }
        return Future.succeededFuture(Reply.ok(new JsonObject().put("stores", stores)));
    }

    private Future<Reply> store(RoutingContext context, ApiPrincipal principal) {
        String storeId = context.pathParam("storeId");
        return Future.succeededFuture(rules.get().stores().stream()
                .filter(store -> store.storeId().equals(storeId))
                .filter(store -> principal.readsStore(Optional.of(storeId)))
                .findFirst().map(store -> Reply.ok(storeJson(store)))
                .orElseThrow(() -> AdminProblem.notFound("store " + storeId)));
    }

    private Future<Reply> storeGroups(RoutingContext context, ApiPrincipal principal) {
        requireChainRead(principal);
        Map<String, List<String>> groups = rules.get().stores().stream().collect(
                Collectors.groupingBy(
                Store::groupId, java.util.TreeMap::new,
                Collectors.mapping(Store::storeId, Collectors.toList())));
        JsonArray result = new JsonArray();
        groups.forEach((group, stores) -> result.add(new JsonObject().put("groupId", group)
                .put("storeIds", new JsonArray(stores))
                .put("hasEarningOverrides",
                        rules.get().storeGroupOverrides().containsKey(group))));
        return Future.succeededFuture(Reply.ok(new JsonObject().put("storeGroups", result)));
    }

    private static JsonObject storeJson(Store store) {
        return new JsonObject().put("storeId", store.storeId()).put("groupId", store.groupId())
                .put("zone", store.zone().getId()).put("openedOn", store.openedOn().toString());
    }

    // ---- members ----

    private Future<Reply> registerMember(RoutingContext context, ApiPrincipal principal) {
        JsonInput input = JsonInput.of(body(context),
                Set.of("phone", "homeStoreId", "birthMonth"));
        String phone = input.text("phone", PHONE);
        String homeStoreId = input.text("homeStoreId", ID);
        Optional<Integer> birthMonth = input.optionalInteger("birthMonth", 1, 12)
                .map(Long::intValue);
        Store home = knownStore(homeStoreId);
        if (!principal.writesStore(Optional.of(homeStoreId))) {
            throw AdminProblem.forbidden("this key cannot register members of " + homeStoreId);
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), home.zone());
        long registrationPoints = rules.get().engagement().registration();
        String memberId = "M" + hex(6);
        Optional<AdminStore.NewLot> lot = registrationPoints <= 0 ? Optional.empty()
                : Optional.of(new AdminStore.NewLot("reg-" + memberId, registrationPoints,
                        today, rules.get().expiry().expiryOfLotEarnedOn(today)));
        return store.registerMember(new AdminStore.NewMember(memberId, "MC" + digits(12), phone,
                        homeStoreId, birthMonth), lot, audit(principal, "member.register",
                        Optional.empty()))
                .map(member -> {
                    metrics.pointsAdjusted(registrationPoints);
                    return Reply.created(memberJson(member));
                });
    }

    private Future<Reply> findMember(RoutingContext context, ApiPrincipal principal) {
        String phone = context.queryParams().get("phone");
        String code = context.queryParams().get("code");
        if ((phone == null) == (code == null)) {
            throw AdminProblem.badRequest("give exactly one of the query parameters phone, code");
        }
        if (phone != null && !phone.matches(PHONE) || code != null && !code.matches(ID)) {
            throw AdminProblem.badRequest("phone or code is malformed");
        }
        return (phone != null ? store.memberByPhone(phone) : store.memberByCode(code))
                .map(found -> Reply.ok(memberJson(visible(found, principal, "the member"))));
    }

    private Future<Reply> member(RoutingContext context, ApiPrincipal principal) {
        return readableMember(context, principal).map(member -> Reply.ok(memberJson(member)));
    }

    private Future<Reply> pointsHistory(RoutingContext context, ApiPrincipal principal) {
        Instant to = instantParam(context, "to", clock.instant());
        Instant from = instantParam(context, "from", to.minus(Duration.ofDays(30)));
        checkRange(from, to);
        return readableMember(context, principal).compose(member -> store.pointsHistory(
                member.memberId(), from, to, LIST_ROWS_MAX).map(movements -> {
                    JsonArray list = new JsonArray();
                    for (AdminStore.PointsMovement movement : movements) {
                        list.add(new JsonObject().put("transactionId", movement.transactionId())
                                .put("kind", movement.kind()).put("at", movement.at().toString())
                                .put("points", movement.points())
                                .put("orderId", movement.orderId().orElse(null))
                                .put("note", movement.note().orElse(null)));
                    }
                    return Reply.ok(new JsonObject().put("memberId", member.memberId())
                            .put("from", from.toString()).put("to", to.toString())
                            .put("movements", list));
                }));
    }

    private Future<Reply> adjustPoints(RoutingContext context, ApiPrincipal principal) {
        JsonInput input = JsonInput.of(body(context), Set.of("points", "reason", "requestId"));
        long points = input.integer("points", -ADJUSTMENT_POINTS_MAX, ADJUSTMENT_POINTS_MAX);
        if (points == 0) {
            throw AdminProblem.badRequest("field 'points' must not be 0");
        }
        String reason = input.text("reason", "(?s).{3,200}");
        String requestId = input.text("requestId", REQUEST_ID);
        return writableMember(context, principal).compose(member -> {
            LocalDate today = today(member);
            Optional<AdminStore.NewLot> lot = points > 0
                    ? Optional.of(new AdminStore.NewLot("adj-" + hex(8), points, today,
                            rules.get().expiry().expiryOfLotEarnedOn(today)))
                    : Optional.empty();
            return store.adjustPoints(member.memberId(), points, lot, today, reason,
                    audit(principal, "member.points.adjust", Optional.of(requestId)));
        }).map(result -> {
            if (!result.getBoolean("replayed", false)) {
                metrics.pointsAdjusted(points);
            }
            return Reply.ok(result);
        });
    }

    private Future<Reply> topUp(RoutingContext context, ApiPrincipal principal) {
        JsonInput input = JsonInput.of(body(context), Set.of("amountFen", "storeId",
                "requestId"));
        long amountFen = input.integer("amountFen", 1, TOP_UP_FEN_MAX);
        String storeId = input.text("storeId", ID);
        String requestId = input.text("requestId", REQUEST_ID);
        knownStore(storeId);
        return writableMember(context, principal).compose(member -> {
            if (!principal.writesStore(Optional.of(storeId))) {
                throw AdminProblem.forbidden("this key cannot take top-ups at " + storeId);
            }
            return store.topUp(member.memberId(), storeId, amountFen,
                    audit(principal, "member.stored-value.top-up", Optional.of(requestId)));
        }).map(Reply::ok);
    }

    private Future<Reply> issueCoupon(RoutingContext context, ApiPrincipal principal) {
        JsonInput input = JsonInput.of(body(context), Set.of("templateId"));
        CouponTemplate template = knownTemplate(input.text("templateId", ID));
        return writableMember(context, principal).compose(member -> issue(template,
                List.of(member.memberId()), principal)).map(Reply::created);
    }

    /**
     * Points for a coupon of one of the chain's exchange offers, once per exchange id: 201
     * with the exchange, 200 with the same body for a retry, 422 unknown-offer or
     * insufficient-points, 409 sold-out (a limited offer's chain-wide stock is all taken).
     */
    private Future<Reply> exchangePoints(RoutingContext context, ApiPrincipal principal) {
        JsonInput input = JsonInput.of(body(context), Set.of("offerId", "exchangeId"));
        String offerId = input.text("offerId", ID);
        String exchangeId = input.text("exchangeId", REQUEST_ID);
        CouponExchangeOffer offer = rules.get().couponExchanges().stream()
                .filter(candidate -> candidate.offerId().equals(offerId)).findFirst()
                .orElseThrow(() -> AdminProblem.unprocessable("unknown-offer",
                        "the chain has no exchange offer " + offerId));
        CouponTemplate template = knownTemplate(offer.couponTemplateId());
        return writableMember(context, principal).compose(member -> {
            Instant from = clock.instant();
            int days = template.validityDays() > 0 ? template.validityDays() : 30;
            return exchanges.exchange(new PointsExchange.Request(exchangeId, member.memberId(),
                    offerId, offer.pointsCost(), template.templateId(), offer.stock(), from,
                    from.plus(Duration.ofDays(days)), today(member)), audit(principal,
                    "member.points.exchange", Optional.of(exchangeId)));
        }).map(outcome -> {
            if (outcome instanceof PointsExchange.Exchanged exchanged) {
                PointsExchange done = exchanged.exchange();
                if (offer.limited() && !exchanged.replayed()) {
                    metrics.quotaTaken(offerId);
                }
                JsonObject body = new JsonObject().put("exchangeId", done.exchangeId())
                        .put("offerId", done.offerId()).put("couponId", done.couponId())
                        .put("pointsSpent", done.pointsSpent())
                        .put("pointsAfter", done.pointsAfter());
                return exchanged.replayed() ? Reply.ok(body) : Reply.created(body);
            }
            if (outcome instanceof PointsExchange.SoldOut soldOut) {
                metrics.quotaRefused(offerId);
                throw new AdminProblem(409, "sold-out", "The offer is sold out", "all "
                        + soldOut.stock() + " of offer " + offerId + " are taken");
            }
            PointsExchange.InsufficientPoints lacking = (PointsExchange.InsufficientPoints) outcome;
            throw AdminProblem.unprocessable("insufficient-points", "offer " + offerId
                    + " costs " + lacking.needed() + " points; the member has "
                    + lacking.available() + " live points");
        });
    }

    private Future<Reply> issueInBulk(RoutingContext context, ApiPrincipal principal) {
        if (!principal.writesChain()) {
            throw AdminProblem.forbidden("bulk issuance is for HQ keys");
        }
        JsonInput input = JsonInput.of(body(context), Set.of("templateId", "memberIds",
                "segment", "storeGroup"));
        CouponTemplate template = knownTemplate(input.text("templateId", ID));
        List<String> memberIds = input.texts("memberIds", ID, BULK_MEMBERS_MAX);
        Optional<String> segment = input.optionalText("segment", "dormant");
        Optional<String> storeGroup = input.optionalText("storeGroup", ID);
        if (memberIds.isEmpty() == segment.isEmpty()) {
            throw AdminProblem.badRequest("give either memberIds or segment 'dormant'");
        }
        Future<List<String>> targets;
        if (segment.isPresent()) {
            Set<String> stores = rules.get().stores().stream()
                    .filter(store -> storeGroup.map(store.groupId()::equals).orElse(true))
                    .map(Store::storeId).collect(Collectors.toSet());
            if (stores.isEmpty()) {
                throw AdminProblem.badRequest("no store in group " + storeGroup.orElse(""));
            }
            targets = reports.dormantMembers(stores, clock.instant(),
                    rules.get().dormancyDays(),
                    BULK_MEMBERS_MAX);
        } else {
            if (new TreeSet<>(memberIds).size() != memberIds.size()) {
                throw AdminProblem.badRequest("memberIds has duplicates");
            }
            targets = Future.succeededFuture(memberIds);
        }
        return targets.compose(members -> members.isEmpty()
                ? Future.succeededFuture(new JsonObject().put("templateId",
                        template.templateId()).put("couponIds", new JsonArray()))
                : issue(template, members, principal)).map(Reply::created);
    }

    private Future<JsonObject> issue(CouponTemplate template, List<String> memberIds,
            ApiPrincipal principal) {
        Instant from = clock.instant();
        int days = template.validityDays() > 0 ? template.validityDays() : 30;
        Instant until = from.plus(Duration.ofDays(days));
        return store.issueCoupons(template.templateId(), memberIds, from, until,
                        audit(principal, "coupon.issue", Optional.empty()))
                .map(ids -> new JsonObject().put("templateId", template.templateId())
                        .put("validUntil", until.toString())
                        .put("couponIds", new JsonArray(ids)));
    }

    // ---- orders ----

    private Future<Reply> order(RoutingContext context, ApiPrincipal principal) {
        String orderId = context.pathParam("orderId");
        return store.order(orderId).map(found -> {
            AdminStore.Order order = found.filter(o -> principal.readsStore(
                    Optional.of(o.storeId()))).orElseThrow(() ->
                    AdminProblem.notFound("order " + orderId));
            return Reply.ok(new JsonObject().put("orderId", order.orderId())
                    .put("storeId", order.storeId()).put("terminalId", order.terminalId())
                    .put("saleId", order.saleId()).put("memberId", order.memberId().orElse(null))
                    .put("status", order.status()).put("subtotalFen", order.subtotalFen())
                    .put("discountFen", order.discountFen())
                    .put("payableFen", order.payableFen())
                    .put("pointsEarned", order.pointsEarned())
                    .put("pointsSpent", order.pointsSpent())
                    .put("committedAt", order.committedAt().toString()));
        });
    }

    // ---- terminals ----

    private Future<Reply> provisionTerminal(RoutingContext context, ApiPrincipal principal) {
        JsonInput input = JsonInput.of(body(context), Set.of("storeId", "terminalId"));
        String storeId = input.text("storeId", ID);
        String terminalId = input.text("terminalId", ID);
        knownStore(storeId);
        if (!principal.writesStore(Optional.of(storeId))) {
            throw AdminProblem.forbidden("this key cannot provision terminals of " + storeId);
        }
        return terminals.find(terminalId).compose(existing -> {
            if (existing.isPresent()) {
                throw AdminProblem.conflict("terminal-exists", "terminal " + terminalId
                        + " exists; rotate its secret instead");
            }
            return terminals.provision(storeId, terminalId);
        }).compose(credential -> auditTerminal(principal, "terminal.provision", null, credential)
                .map(Reply.created(secretJson(credential))));
    }

    private Future<Reply> terminal(RoutingContext context, ApiPrincipal principal) {
        return readableTerminal(context, principal).map(credential ->
                Reply.ok(terminalJson(credential)));
    }

    private Future<Reply> rotateTerminal(RoutingContext context, ApiPrincipal principal) {
        return writableTerminal(context, principal).compose(before -> terminals
                .rotate(before.terminalId()).compose(after -> auditTerminal(principal,
                        "terminal.rotate", before, after).map(Reply.ok(secretJson(after)))));
    }

    private Future<Reply> setDisabled(RoutingContext context, ApiPrincipal principal,
            boolean disabled) {
        return writableTerminal(context, principal).compose(before -> terminals
                .setDisabled(before.terminalId(), disabled)
                .compose(done -> terminals.find(before.terminalId()))
                .compose(after -> auditTerminal(principal, disabled ? "terminal.disable"
                        : "terminal.enable", before, after.orElseThrow())
                        .map(Reply.ok(terminalJson(after.orElseThrow())))));
    }

    private Future<TerminalCredential> readableTerminal(RoutingContext context,
            ApiPrincipal principal) {
        String terminalId = context.pathParam("terminalId");
        return terminals.find(terminalId).map(found -> found
                .filter(t -> principal.readsStore(Optional.of(t.storeId())))
                .orElseThrow(() -> AdminProblem.notFound("terminal " + terminalId)));
    }

    private Future<TerminalCredential> writableTerminal(RoutingContext context,
            ApiPrincipal principal) {
        return readableTerminal(context, principal).map(credential -> {
            if (!principal.writesStore(Optional.of(credential.storeId()))) {
                throw AdminProblem.forbidden("this key cannot change terminals");
            }
            return credential;
        });
    }

    private Future<Void> auditTerminal(ApiPrincipal principal, String action,
            TerminalCredential before, TerminalCredential after) {
        return store.recordAudit(audit(principal, action, Optional.empty()), "terminal",
                after.terminalId(), before == null ? null : terminalJson(before),
                terminalJson(after));
    }

    private static JsonObject terminalJson(TerminalCredential credential) {
        return new JsonObject().put("terminalId", credential.terminalId())
                .put("storeId", credential.storeId()).put("disabled", credential.disabled());
    }

    /** The secret is answered here once, and never stored in the audit log. */
    private static JsonObject secretJson(TerminalCredential credential) {
        return terminalJson(credential).put("secret",
                Base64.getEncoder().encodeToString(credential.secret()));
    }

    // ---- reports and analytics ----

    private Future<Reply> couponReport(RoutingContext context, ApiPrincipal principal) {
        requireChainRead(principal);
        Instant to = instantParam(context, "to", clock.instant());
        Instant from = instantParam(context, "from", to.minus(Duration.ofDays(30)));
        checkRange(from, to);
        return reports.couponRedemption(from, to).map(Reply::ok);
    }

    private Future<Reply> liabilityReport(RoutingContext context, ApiPrincipal principal) {
        requireChainRead(principal);
        LocalDate asOf = dateParam(context, "asOf", chainToday());
        return reports.pointsLiability(asOf, rules.get().redemption().pointsPerYuan())
                .map(Reply::ok);
    }

    private Future<Reply> expiringReport(RoutingContext context, ApiPrincipal principal) {
        requireChainRead(principal);
        LocalDate today = dateParam(context, "today", chainToday());
        return reports.pointsExpiringNextMonth(today).map(Reply::ok);
    }

    private Future<Reply> repurchaseReport(RoutingContext context, ApiPrincipal principal) {
        requireChainRead(principal);
        Instant to = instantParam(context, "to", clock.instant());
        Instant from = instantParam(context, "from", to.minus(Duration.ofDays(90)));
        checkRange(from, to);
        return reports.repurchase(from, to).map(Reply::ok);
    }

    private Future<Reply> rfm(RoutingContext context, ApiPrincipal principal) {
        requireChainRead(principal);
        int windowDays = (int) longParam(context, "windowDays", 365, 1, 366);
        return reports.rfm(clock.instant(), windowDays, rules.get().dormancyDays(),
                LIST_ROWS_MAX)
                .map(Reply::ok);
    }

    private Future<Reply> dormant(RoutingContext context, ApiPrincipal principal) {
        requireChainRead(principal);
        String group = context.queryParams().get("storeGroup");
        if (group != null && !group.matches(ID)) {
            throw AdminProblem.badRequest("storeGroup is malformed");
        }
        Set<String> stores = rules.get().stores().stream()
                .filter(store -> group == null || store.groupId().equals(group))
                .map(Store::storeId).collect(Collectors.toSet());
        if (stores.isEmpty()) {
            throw AdminProblem.notFound("store group " + group);
        }
        return reports.dormantMembers(stores, clock.instant(), rules.get().dormancyDays(),
                LIST_ROWS_MAX).map(ids -> Reply.ok(new JsonObject()
                        .put("dormancyDays", rules.get().dormancyDays())
                        .put("memberIds", new JsonArray(ids))));
    }

    // ---- rules (read-only: the chain's rules file is their source for now) ----

    private Future<Reply> couponTemplates(RoutingContext context, ApiPrincipal principal) {
        JsonArray templates = new JsonArray();
        for (CouponTemplate template : rules.get().couponTemplates()) {
            templates.add(new JsonObject().put("templateId", template.templateId())
                    .put("kind", template.kind().name())
                    .put("thresholdFen", template.thresholdFen())
                    .put("stackable", template.stackable())
                    .put("validityDays", template.validityDays())
                    .put("benefit", String.valueOf(template.benefit()))
                    .put("scope", String.valueOf(template.scope())));
        }
        return Future.succeededFuture(Reply.ok(new JsonObject().put("couponTemplates",
                templates)));
    }

    private Future<Reply> campaigns(RoutingContext context, ApiPrincipal principal) {
        JsonArray campaigns = new JsonArray();
        for (var campaign : rules.get().campaigns()) {
            campaigns.add(new JsonObject().put("campaign", String.valueOf(campaign)));
        }
        JsonObject earning = new JsonObject();
        rules.get().categoryRates().forEach((category, rate) -> earning.put(category,
                String.valueOf(rate)));
        return Future.succeededFuture(Reply.ok(new JsonObject().put("campaigns", campaigns)
                .put("categoryEarningRates", earning)
                .put("tiers", String.valueOf(rules.get().tiers()))
                .put("redemptionPointsPerYuan", rules.get().redemption().pointsPerYuan())));
    }

    private Future<Reply> bonusRules(RoutingContext context, ApiPrincipal principal) {
        return store.bonusRules().map(rules -> {
            JsonArray list = new JsonArray();
            for (long[] rule : rules) {
                list.add(new JsonObject().put("thresholdFen", rule[0]).put("bonusFen", rule[1]));
            }
            return Reply.ok(new JsonObject().put("bonusRules", list));
        });
    }

    // ---- keys and audit ----

    private Future<Reply> listKeys(RoutingContext context, ApiPrincipal principal) {
        requireChainRead(principal);
        return store.apiKeys().map(keys -> {
            JsonArray list = new JsonArray();
            for (AdminStore.StoredKey key : keys) {
                list.add(new JsonObject().put("keyId", key.keyId()).put("name", key.name())
                        .put("role", key.role().name())
                        .put("storeIds", new JsonArray(List.copyOf(new TreeSet<>(
                                key.storeIds()))))
                        .put("disabled", key.disabled()));
            }
            return Reply.ok(new JsonObject().put("apiKeys", list));
        });
    }

    private Future<Reply> disableKey(RoutingContext context, ApiPrincipal principal) {
        if (!principal.writesChain()) {
            throw AdminProblem.forbidden("API keys are disabled by HQ keys");
        }
        String keyId = context.pathParam("keyId");
        if (!keyId.matches("[a-z0-9]{8,32}")) {
            throw AdminProblem.notFound("API key " + keyId);
        }
        return store.disableApiKey(keyId, audit(principal, "api-key.disable", Optional.empty()))
                .map(found -> {
                    if (!found) {
                        throw AdminProblem.notFound("API key " + keyId);
                    }
                    return Reply.ok(new JsonObject().put("keyId", keyId).put("disabled", true));
                });
    }

    private Future<Reply> createKey(RoutingContext context, ApiPrincipal principal) {
        if (!principal.writesChain()) {
            throw AdminProblem.forbidden("API keys are created by HQ keys");
        }
        JsonInput input = JsonInput.of(body(context), Set.of("name", "role", "storeIds"));
        String name = input.text("name", "[\\p{L}\\p{N} _.-]{1,100}");
        ApiRole role;
        try {
            role = ApiRole.valueOf(input.text("role", "[A-Z_]{1,20}"));
        } catch (IllegalArgumentException unknown) {
            throw AdminProblem.badRequest("role must be one of HQ_ADMIN, STORE_MANAGER,"
                    + " OPS_READ");
        }
        List<String> storeIds = input.texts("storeIds", ID, 200);
        if ((role == ApiRole.STORE_MANAGER) == storeIds.isEmpty()) {
            throw AdminProblem.badRequest("storeIds are required for STORE_MANAGER keys and"
                    + " refused for the other roles");
        }
        storeIds.forEach(this::knownStore);
        ApiKeys.NewKey key = keys.generate();
        return store.createApiKey(new AdminStore.StoredKey(key.keyId(), key.secretHash(), name,
                        role, Set.copyOf(storeIds), false),
                        audit(principal, "api-key.create", Optional.empty()))
                .map(done -> Reply.created(new JsonObject().put("keyId", key.keyId())
                        .put("key", key.key()).put("role", role.name())
                        .put("storeIds", new JsonArray(storeIds))));
    }

    /** Creates a key in-process (tests, command-line provisioning): answers the full key. */
    public Future<String> createKey(String name, ApiRole role, Set<String> storeIds) {
        ApiKeys.NewKey key = keys.generate();
        return store.createApiKey(new AdminStore.StoredKey(key.keyId(), key.secretHash(), name,
                        role, storeIds, false), new AdminStore.Audit("system", ApiRole.HQ_ADMIN,
                        "api-key.create", null))
                .map(done -> key.key());
    }

    private Future<Reply> audit(RoutingContext context, ApiPrincipal principal) {
        requireChainRead(principal);
        Instant to = instantParam(context, "to", clock.instant());
        Instant from = instantParam(context, "from", to.minus(Duration.ofDays(1)));
        checkRange(from, to);
        return store.audit(from, to, LIST_ROWS_MAX).map(entries -> {
            JsonArray list = new JsonArray();
            for (AdminStore.AuditEntry entry : entries) {
                list.add(new JsonObject().put("auditId", entry.auditId())
                        .put("at", entry.at().toString()).put("actor", entry.actor())
                        .put("role", entry.role()).put("action", entry.action())
                        .put("objectType", entry.objectType()).put("objectId", entry.objectId())
                        .put("before", entry.before()).put("after", entry.after()));
            }
            return Reply.ok(new JsonObject().put("entries", list));
        });
    }

    // ---- helpers ----

    private Future<AdminStore.Member> readableMember(RoutingContext context,
            ApiPrincipal principal) {
        String memberId = context.pathParam("memberId");
        if (!memberId.matches(ID)) {
            throw AdminProblem.notFound("member " + memberId);
        }
        return store.member(memberId).map(found -> visible(found, principal,
                "member " + memberId));
    }

    private Future<AdminStore.Member> writableMember(RoutingContext context,
            ApiPrincipal principal) {
        return readableMember(context, principal).map(member -> {
            if (!principal.writesStore(member.homeStoreId())) {
                throw AdminProblem.forbidden("this key cannot change members");
            }
            return member;
        });
    }

    private static AdminStore.Member visible(Optional<AdminStore.Member> found,
            ApiPrincipal principal, String what) {
        return found.filter(member -> principal.readsStore(member.homeStoreId()))
                .orElseThrow(() -> AdminProblem.notFound(what));
    }

    /** A member as the API shows it: the phone number masked; it is never needed in full. */
    static JsonObject memberJson(AdminStore.Member member) {
        return new JsonObject().put("memberId", member.memberId())
                .put("memberCode", member.memberCode())
                .put("phone", member.phone().map(PhoneNumbers::mask).orElse(null))
                .put("homeStoreId", member.homeStoreId().orElse(null))
                .put("tier", member.tier()).put("birthMonth", member.birthMonth().orElse(null))
                .put("points", member.points()).put("storedValueFen", member.storedValueFen())
                .put("completedOrders", member.completedOrders())
                .put("lastOrderOn", member.lastOrderOn().map(LocalDate::toString).orElse(null))
                .put("registeredAt", member.registeredAt().toString());
    }

    private static void requireChainRead(ApiPrincipal principal) {
        if (!principal.readsChain()) {
            throw AdminProblem.forbidden("chain-wide figures are for HQ and operations keys");
        }
    }

    private Store knownStore(String storeId) {
        return rules.get().stores().stream().filter(store -> store.storeId().equals(storeId))
                .findFirst().orElseThrow(() -> AdminProblem.unprocessable("unknown-store",
                        "the chain has no store " + storeId));
    }

    private CouponTemplate knownTemplate(String templateId) {
        return rules.get().couponTemplate(templateId).orElseThrow(() ->
                AdminProblem.unprocessable(
                "unknown-template", "the chain has no coupon template " + templateId));
    }

    private LocalDate today(AdminStore.Member member) {
        ZoneId zone = member.homeStoreId().flatMap(rules.get()::forStore)
                .map(storeRules -> storeRules.store().zone()).orElse(chainZone());
        return LocalDate.ofInstant(clock.instant(), zone);
    }

    private LocalDate chainToday() {
        return LocalDate.ofInstant(clock.instant(), chainZone());
    }

    private ZoneId chainZone() {
        ChainRules current = rules.get();
        return current.stores().isEmpty() ? ZoneOffset.UTC : current.stores().get(0).zone();
    }

    static AdminStore.Audit audit(ApiPrincipal principal, String action,
            Optional<String> requestId) {
        return new AdminStore.Audit(principal.actor(), principal.role(), action,
                requestId.orElse(null));
    }

    static JsonObject body(RoutingContext context) {
        if (context.body().buffer() == null || context.body().length() == 0) {
            throw AdminProblem.badRequest("a JSON object body is required");
        }
        try {
            Object value = context.body().buffer().toJsonValue();
            if (!(value instanceof JsonObject object)) {
                throw AdminProblem.badRequest("the body must be a JSON object");
            }
            return object;
        } catch (DecodeException malformed) {
            throw AdminProblem.badRequest("the body is not valid JSON");
        }
    }

    private static Instant instantParam(RoutingContext context, String name, Instant fallback) {
        return param(context, name, fallback, Instant::parse, "an ISO-8601 instant");
    }

    private static LocalDate dateParam(RoutingContext context, String name, LocalDate fallback) {
        return param(context, name, fallback, LocalDate::parse, "a date (yyyy-mm-dd)");
    }

    private static long longParam(RoutingContext context, String name, long fallback,
            long minimum, long maximum) {
        long value = param(context, name, fallback, Long::parseLong, "an integer");
        if (value < minimum || value > maximum) {
            throw AdminProblem.badRequest(name + " must be within " + minimum + ".." + maximum);
        }
        return value;
    }

    private static <T> T param(RoutingContext context, String name, T fallback,
            Function<String, T> parse, String expected) {
        List<String> values = context.queryParams().getAll(name);
        if (values.isEmpty()) {
            return fallback;
        }
        if (values.size() > 1) {
            throw AdminProblem.badRequest("query parameter " + name + " is repeated");
        }
        try {
            return parse.apply(values.get(0));
        } catch (DateTimeParseException | NumberFormatException malformed) {
            throw AdminProblem.badRequest("query parameter " + name + " must be " + expected);
        }
    }

    private static void checkRange(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw AdminProblem.badRequest("from must be before to");
        }
        if (Duration.between(from, to).compareTo(RANGE_MAX) > 0) {
            throw AdminProblem.badRequest("the range may span at most " + RANGE_MAX.toDays()
                    + " days");
        }
    }

    private String hex(int bytes) {
        byte[] random = new byte[bytes];
        this.random.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private String digits(int count) {
        StringBuilder digits = new StringBuilder(count);
        for (int index = 0; index < count; index++) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits.toString();
    }

    private static String resource(String path) {
        try (InputStream input = AdminRoutes.class.getResourceAsStream(path)) {
            if (input == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(input.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
