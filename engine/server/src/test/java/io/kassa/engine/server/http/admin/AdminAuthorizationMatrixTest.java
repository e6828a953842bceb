package io.kassa.engine.server.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.admin.ApiRole;
import io.kassa.engine.server.testing.DemoLoad;
import io.kassa.engine.server.testing.Http;
import io.kassa.engine.server.testing.TestEngine;
import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The authorization matrix in full: every served route and verb (checked against the routes
 * the API declares), for objects of the caller's store, of another store and chain-wide ones,
 * under each role (HQ admin, operations read-only, a store manager of S001); plus the verbs no
 * route serves. An object outside a store manager's stores answers 404 (guessing ids tells
 * nothing); a forbidden action answers 403.
 */
class AdminAuthorizationMatrixTest {

    enum Role { HQ, OPS, MANAGER_S001 }

    /** What a cell expects: allowed (2xx), forbidden (403) or hidden (404). */
    enum Expect { OK, FORBIDDEN, HIDDEN, NOT_ALLOWED_METHOD }

    private static TestEngine engine;
    private static Http http;
    private static final Map<Role, String> keys = new LinkedHashMap<>();
    private static final Map<String, String> members = new LinkedHashMap<>();
    private static final Map<String, String> orders = new LinkedHashMap<>();
    private static final Map<String, String> packets = new LinkedHashMap<>();
    /** An HQ key for what cells read before they run (the configuration's version). */
    private static String setup;
    private static final AtomicInteger unique = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.start("authz");
        http = new Http(engine.engine().httpPort());
        keys.put(Role.HQ, key(ApiRole.HQ_ADMIN, Set.of()));
        keys.put(Role.OPS, key(ApiRole.OPS_READ, Set.of()));
        keys.put(Role.MANAGER_S001, key(ApiRole.STORE_MANAGER, Set.of("S001")));
        setup = key(ApiRole.HQ_ADMIN, Set.of());
        for (String store : List.of("S001", "S002")) {
            members.put(store, http.post("/api/v1/members", keys.get(Role.HQ),
                    "{\"phone\":\"1370000000" + (store.equals("S001") ? 1 : 2)
                            + "\",\"homeStoreId\":\"" + store + "\"}").json()
                    .getString("memberId"));
            // Points for the exchanges of the points-exchanges cells (500 each).
            http.post("/api/v1/members/" + members.get(store) + "/points-adjustments",
                    keys.get(Role.HQ), "{\"points\":5000,\"reason\":\"matrix exchanges\","
                            + "\"requestId\":\"matrix-points-" + store + "\"}");
            engine.secret(store, "T-" + store + "-matrix");
            // A red packet of each store, shared by its member, for the packet cells.
            Http.Reply packet = http.post("/api/v1/red-packets", setup, "{\"requestId\":"
                    + "\"matrix-packet-" + store + "\",\"sharerMemberId\":\""
                    + members.get(store) + "\",\"templateId\":\"red-packet-20\","
                    + "\"shares\":3}");
            assertThat(packet.status()).as(packet.body()).isEqualTo(201);
            packets.put(store, packet.json().getString("packetId"));
        }
        try (DemoLoad load = new DemoLoad(engine).connect("S001", "S002")) {
            load.checkouts(1);
        }
        for (String store : List.of("S001", "S002")) {
            orders.put(store, firstString("select order_id::text from sales_order"
                    + " where store_id = '" + store + "' limit 1"));
        }
    }

    static String firstString(String sql) throws java.sql.SQLException {
        try (var connection = TestServices.jdbc(engine.schema());
                var statement = connection.createStatement();
                var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static String key(ApiRole role, Set<String> stores) throws Exception {
        return engine.engine().operations().admin().createKey(role.name(), role, stores)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** One route and verb, for an object of {@code store} ("chain" for chain-wide ones). */
    record Cell(String verb, String route, String store, Function<String, String> path,
            Function<String, String> body, Map<Role, Expect> expected) {
    }

    /** Reading an object of a store: everyone but a manager of another store. */
    static Map<Role, Expect> storeRead(String store) {
        return Map.of(Role.HQ, Expect.OK, Role.OPS, Expect.OK, Role.MANAGER_S001,
                store.equals("S001") ? Expect.OK : Expect.HIDDEN);
    }

    /** Changing an existing object of a store: HQ, and its own store's manager. */
    static Map<Role, Expect> storeWrite(String store) {
        return Map.of(Role.HQ, Expect.OK, Role.OPS, Expect.FORBIDDEN, Role.MANAGER_S001,
                store.equals("S001") ? Expect.OK : Expect.HIDDEN);
    }

    /** Creating an object in a store (nothing to hide): HQ, and its own store's manager. */
    static Map<Role, Expect> storeCreate(String store) {
        return Map.of(Role.HQ, Expect.OK, Role.OPS, Expect.FORBIDDEN, Role.MANAGER_S001,
                store.equals("S001") ? Expect.OK : Expect.FORBIDDEN);
    }

    static final Map<Role, Expect> CHAIN_READ = Map.of(Role.HQ, Expect.OK, Role.OPS, Expect.OK,
            Role.MANAGER_S001, Expect.FORBIDDEN);
    static final Map<Role, Expect> CHAIN_WRITE = Map.of(Role.HQ, Expect.OK, Role.OPS,
            Expect.FORBIDDEN, Role.MANAGER_S001, Expect.FORBIDDEN);
    static final Map<Role, Expect> EVERYONE = Map.of(Role.HQ, Expect.OK, Role.OPS, Expect.OK,
            Role.MANAGER_S001, Expect.OK);
    static final Map<Role, Expect> NO_SUCH_VERB = Map.of(Role.HQ, Expect.NOT_ALLOWED_METHOD,
            Role.OPS, Expect.NOT_ALLOWED_METHOD, Role.MANAGER_S001, Expect.NOT_ALLOWED_METHOD);

    static List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (String store : List.of("S001", "S002")) {
            String member = "/api/v1/members/" + members.get(store);
            String phone = store.equals("S001") ? "13700000001" : "13700000002";
            String terminal = "/api/v1/terminals/T-" + store + "-matrix";
            cells.add(new Cell("GET", "/stores/:storeId", store, s -> "/api/v1/stores/" + s,
                    s -> null, storeRead(store)));
            cells.add(new Cell("GET", "/members/:memberId", store, s -> member, s -> null,
                    storeRead(store)));
            cells.add(new Cell("GET", "/members?phone", store,
                    s -> "/api/v1/members?phone=" + phone, s -> null, storeRead(store)));
            cells.add(new Cell("GET", "/members/:memberId/points-history", store,
                    s -> member + "/points-history", s -> null, storeRead(store)));
            cells.add(new Cell("GET", "/orders/:orderId", store,
                    s -> "/api/v1/orders/" + orders.get(store), s -> null, storeRead(store)));
            cells.add(new Cell("GET", "/terminals/:terminalId", store, s -> terminal, s -> null,
                    storeRead(store)));
            cells.add(new Cell("POST", "/members", store, s -> "/api/v1/members",
                    s -> "{\"phone\":\"1360" + String.format("%07d", unique.incrementAndGet())
                            + "\",\"homeStoreId\":\"" + s + "\"}", storeCreate(store)));
            cells.add(new Cell("POST", "/members/:memberId/points-adjustments", store,
                    s -> member + "/points-adjustments", s -> "{\"points\":5,\"reason\":"
                            + "\"matrix\",\"requestId\":\"matrix-" + unique.incrementAndGet()
                            + "\"}", storeWrite(store)));
            cells.add(new Cell("POST", "/members/:memberId/stored-value-top-ups", store,
                    s -> member + "/stored-value-top-ups", s -> "{\"amountFen\":100,"
                            + "\"storeId\":\"" + s + "\",\"requestId\":\"matrix-"
                            + unique.incrementAndGet() + "\"}", storeWrite(store)));
            cells.add(new Cell("POST", "/members/:memberId/coupons", store,
                    s -> member + "/coupons", s -> "{\"templateId\":\"cash-5\"}",
                    storeWrite(store)));
            cells.add(new Cell("POST", "/members/:memberId/points-exchanges", store,
                    s -> member + "/points-exchanges",
                    s -> "{\"offerId\":\"points-500-cash-5\","
                            + "\"exchangeId\":\"matrix-exchange-" + unique.incrementAndGet()
                            + "\"}", storeWrite(store)));
            String packet = "/api/v1/red-packets/" + packets.get(store);
            cells.add(new Cell("POST", "/red-packets", store, s -> "/api/v1/red-packets",
                    s -> "{\"requestId\":\"matrix-packet-" + unique.incrementAndGet()
                            + "\",\"sharerMemberId\":\"" + members.get(s) + "\","
                            + "\"templateId\":\"red-packet-20\",\"shares\":2}",
                    storeWrite(store)));
            cells.add(new Cell("GET", "/red-packets/:packetId", store, s -> packet, s -> null,
                    storeRead(store)));
            // HQ opens the member's share; the store's manager opening it again gets the same.
            cells.add(new Cell("POST", "/red-packets/:packetId/openings", store,
                    s -> packet + "/openings", s -> "{\"memberId\":\"" + members.get(s)
                            + "\"}", storeWrite(store)));
            cells.add(new Cell("POST", "/terminals", store, s -> "/api/v1/terminals",
                    s -> "{\"storeId\":\"" + s + "\",\"terminalId\":\"T-matrix-"
                            + unique.incrementAndGet() + "\"}", storeCreate(store)));
            cells.add(new Cell("POST", "/terminals/:terminalId/rotate", store,
                    s -> terminal + "/rotate", s -> "{}", storeWrite(store)));
            cells.add(new Cell("POST", "/terminals/:terminalId/disable", store,
                    s -> terminal + "/disable", s -> "{}", storeWrite(store)));
            cells.add(new Cell("POST", "/terminals/:terminalId/enable", store,
                    s -> terminal + "/enable", s -> "{}", storeWrite(store)));
            // Verbs no route serves, on objects of each store.
            cells.add(new Cell("DELETE", "/members/:memberId", store, s -> member, s -> null,
                    NO_SUCH_VERB));
            cells.add(new Cell("PUT", "/members/:memberId", store, s -> member,
                    s -> "{\"points\":1}", NO_SUCH_VERB));
            cells.add(new Cell("PATCH", "/terminals/:terminalId", store, s -> terminal,
                    s -> "{\"disabled\":false}", NO_SUCH_VERB));
            cells.add(new Cell("DELETE", "/red-packets/:packetId", store, s -> packet,
                    s -> null, NO_SUCH_VERB));
        }
        cells.add(new Cell("GET", "/stores", "chain", s -> "/api/v1/stores", s -> null,
                EVERYONE));
        cells.add(new Cell("GET", "/store-groups", "chain", s -> "/api/v1/store-groups",
                s -> null, CHAIN_READ));
        for (String report : List.of("coupon-redemption", "points-liability", "points-expiring",
                "repurchase")) {
            cells.add(new Cell("GET", "/reports/" + report, "chain",
                    s -> "/api/v1/reports/" + report, s -> null, CHAIN_READ));
        }
        cells.add(new Cell("GET", "/analytics/rfm", "chain", s -> "/api/v1/analytics/rfm",
                s -> null, CHAIN_READ));
        cells.add(new Cell("GET", "/analytics/dormant-members", "chain",
                s -> "/api/v1/analytics/dormant-members", s -> null, CHAIN_READ));
        cells.add(new Cell("GET", "/audit", "chain", s -> "/api/v1/audit", s -> null,
                CHAIN_READ));
        cells.add(new Cell("POST", "/api-keys", "chain", s -> "/api/v1/api-keys",
                s -> "{\"name\":\"made in matrix\",\"role\":\"OPS_READ\"}", CHAIN_WRITE));
        cells.add(new Cell("POST", "/coupon-issuances", "chain",
                s -> "/api/v1/coupon-issuances", s -> "{\"templateId\":\"cash-5\","
                        + "\"memberIds\":[\"" + members.get("S001") + "\",\""
                        + members.get("S002") + "\"]}", CHAIN_WRITE));
        cells.add(new Cell("DELETE", "/api-keys", "chain", s -> "/api/v1/api-keys", s -> null,
                NO_SUCH_VERB));
        for (String rules : List.of("coupon-templates", "campaigns", "stored-value-bonus-rules")) {
            cells.add(new Cell("GET", "/" + rules, "chain", s -> "/api/v1/" + rules, s -> null,
                    EVERYONE));
        }
        cells.add(new Cell("GET", "/api-keys", "chain", s -> "/api/v1/api-keys", s -> null,
                CHAIN_READ));
        // The chain's configuration: read by HQ and operations, changed by HQ alone. Each
        // change is made on the version current when the cell runs, with what is there.
        cells.add(new Cell("GET", "/rules", "chain", s -> "/api/v1/rules", s -> null,
                CHAIN_READ));
        cells.add(new Cell("PUT", "/rules", "chain", s -> "/api/v1/rules",
                s -> new JsonObject().put("expectedVersion", configuration().getLong("version"))
                        .put("rules", configuration().getJsonObject("rules"))
                        .put("note", "matrix").encode(), CHAIN_WRITE));
        cells.add(new Cell("PUT", "/coupon-templates/:templateId", "chain",
                s -> "/api/v1/coupon-templates/cash-5", s -> element("couponTemplates",
                        "cash-5", "template"), CHAIN_WRITE));
        cells.add(new Cell("PUT", "/campaigns/:campaignId", "chain",
                s -> "/api/v1/campaigns/member-day", s -> element("campaigns", "member-day",
                        "campaign"), CHAIN_WRITE));
        cells.add(new Cell("DELETE", "/rules", "chain", s -> "/api/v1/rules", s -> null,
                NO_SUCH_VERB));
        cells.add(new Cell("POST", "/api-keys/:keyId/disable", "chain",
                s -> "/api/v1/api-keys/" + disposableKey() + "/disable", s -> "{}",
                CHAIN_WRITE));
        return cells;
    }

    /** The configuration now: its version and rules document. */
    static JsonObject configuration() {
        Http.Reply current = http.get("/api/v1/rules", setup);
        assertThat(current.status()).as(current.body()).isEqualTo(200);
        return current.json();
    }

    /** A body putting back element {@code id} of {@code array} as it is, on the version now. */
    static String element(String array, String id, String field) {
        JsonObject current = configuration();
        JsonObject element = current.getJsonObject("rules").getJsonArray(array).stream()
                .map(JsonObject.class::cast).filter(one -> id.equals(one.getString("id")))
                .findFirst().orElseThrow();
        return new JsonObject().put("expectedVersion", current.getLong("version"))
                .put(field, element).encode();
    }

    /**
     * Every route the API declares has its cells here, and every cell names a declared route
     * (or a verb no route serves): a route added without its authorization cells fails.
     */
    @org.junit.jupiter.api.Test
    void everyDeclaredRouteHasItsCells() {
        Set<String> covered = new java.util.TreeSet<>();
        for (Cell cell : cells()) {
            if (!cell.expected().equals(NO_SUCH_VERB)) {
                covered.add(cell.verb() + " " + cell.route().replaceAll("\\?.*", ""));
            }
        }
        assertThat(covered).isEqualTo(new java.util.TreeSet<>(engine.engine().operations()
                .admin().declaredRoutes()));
    }

    /** A fresh key to disable (the path is computed when the cell runs). */
    static String disposableKey() {
        try {
            return key(ApiRole.OPS_READ, Set.of()).split("_")[1];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRoleStoreRouteAndVerb() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Cell cell : cells()) {
            for (Role role : Role.values()) {
                Expect expected = cell.expected().get(role);
                tests.add(DynamicTest.dynamicTest(role + " " + cell.verb() + " " + cell.route()
                        + " [" + cell.store() + "] -> " + expected, () -> {
                            Http.Reply reply = http.send(cell.verb(), cell.path()
                                    .apply(cell.store()), keys.get(role), cell.body()
                                    .apply(cell.store()), "application/json");
                            switch (expected) {
                                case OK -> assertThat(reply.status()).as(reply.body())
                                        .isBetween(200, 201);
                                case FORBIDDEN -> assertThat(reply.status()).as(reply.body())
                                        .isEqualTo(403);
                                case HIDDEN -> assertThat(reply.status()).as(reply.body())
                                        .isEqualTo(404);
                                case NOT_ALLOWED_METHOD -> assertThat(reply.status())
                                        .as(reply.body()).isEqualTo(405);
                                default -> throw new AssertionError(expected);
                            }
                            if (reply.status() >= 400) {
                                assertThat(reply.contentType())
                                        .isEqualTo("application/problem+json");
                            }
                            // A store manager never sees another store's data in a listing.
                            if (role == Role.MANAGER_S001 && cell.route().equals("/stores")) {
                                assertThat(reply.json().getJsonArray("stores").size())
                                        .isEqualTo(1);
                            }
                        }));
            }
        }
        return tests.stream();
    }
}
