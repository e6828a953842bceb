package io.kassa.engine.server.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kassa.engine.server.admin.ApiRole;
import io.kassa.engine.server.testing.Http;
import io.kassa.engine.server.testing.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The admin API over HTTP against a real engine: a member's life (register with registration
 * points, find, adjust with a reason, top up with the bonus rule, receive a coupon) written as
 * balanced ledger transactions with audit rows and applied outbox rows; idempotent retries; the
 * OpenAPI document covering every served route; and an RFC 9457 problem for every bad request.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class AdminApiTest {

    private static TestEngine engine;
    private static Http http;
    private static String hq;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.start("admin");
        http = new Http(engine.engine().httpPort());
        hq = key("hq", ApiRole.HQ_ADMIN, Set.of());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static String key(String name, ApiRole role, Set<String> stores) throws Exception {
        return engine.engine().operations().admin().createKey(name, role, stores)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aMembersLifeIsLedgeredAuditedAndRelayed() {
        Http.Reply registered = http.post("/api/v1/members", hq,
                "{\"phone\":\"13812345678\",\"homeStoreId\":\"S001\",\"birthMonth\":5}");
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        JsonObject member = registered.json();
        String id = member.getString("memberId");
        assertThat(member.getString("phone")).isEqualTo("138****5678");
        assertThat(member.getLong("points")).isEqualTo(100); // demo chain: registration 100
        assertThat(member.getString("homeStoreId")).isEqualTo("S001");

        assertThat(http.get("/api/v1/members?phone=13812345678", hq).json()
                .getString("memberId")).isEqualTo(id);
        assertThat(http.get("/api/v1/members?code=" + member.getString("memberCode"), hq).json()
                .getString("memberId")).isEqualTo(id);

        String adjust = "/api/v1/members/" + id + "/points-adjustments";
        JsonObject added = http.post(adjust, hq,
                "{\"points\":250,\"reason\":\"goodwill for a late delivery\","
                        + "\"requestId\":\"adj-0000001\"}").json();
        assertThat(added.getLong("pointsAfter")).isEqualTo(350);
        assertThat(added.getBoolean("replayed")).isFalse();
        JsonObject retried = http.post(adjust, hq,
                "{\"points\":250,\"reason\":\"goodwill for a late delivery\","
                        + "\"requestId\":\"adj-0000001\"}").json();
        assertThat(retried.getBoolean("replayed")).isTrue();
        assertThat(retried.getString("transactionId")).isEqualTo(added.getString("transactionId"));
        JsonObject taken = http.post(adjust, hq, "{\"points\":-300,\"reason\":\"duplicate"
                + " registration bonus\",\"requestId\":\"adj-0000002\"}").json();
        assertThat(taken.getLong("pointsAfter")).isEqualTo(50);
        Http.Reply tooMany = http.post(adjust, hq, "{\"points\":-51,\"reason\":\"too much\","
                + "\"requestId\":\"adj-0000003\"}");
        assertThat(tooMany.status()).isEqualTo(409);
        assertThat(tooMany.json().getString("type")).endsWith("/insufficient-points");

        JsonObject topUp = http.post("/api/v1/members/" + id + "/stored-value-top-ups", hq,
                "{\"amountFen\":10000,\"storeId\":\"S001\",\"requestId\":\"top-0000001\"}")
                .json();
        assertThat(topUp.getLong("bonusFen")).isEqualTo(2000);
        assertThat(topUp.getLong("storedValueFen")).isEqualTo(12000);

        Http.Reply coupon = http.post("/api/v1/members/" + id + "/coupons", hq,
                "{\"templateId\":\"cut-100-20\"}");
        assertThat(coupon.status()).isEqualTo(201);
        String couponId = coupon.json().getJsonArray("couponIds").getString(0);
        assertThat(engine.count("select count(*) from coupon where coupon_id = '" + couponId
                + "' and member_id = '" + id + "' and state = 'AVAILABLE'")).isEqualTo(1);

        JsonArray history = http.get("/api/v1/members/" + id + "/points-history?from="
                + Instant.now().minusSeconds(3600) + "&to=" + Instant.now().plusSeconds(60), hq)
                .json().getJsonArray("movements");
        assertThat(history.stream().map(m -> ((JsonObject) m).getLong("points")))
                .containsExactly(100L, 250L, -300L);
        assertThat(((JsonObject) history.getValue(1)).getString("note"))
                .isEqualTo("goodwill for a late delivery");

        // The ledger: one transaction per change (the retry wrote nothing), each balanced.
        assertThat(engine.count("select count(distinct transaction_id) from ledger_entry"
                + " where account like 'member/" + id + "/%'")).isEqualTo(4);
        assertThat(engine.count("select count(*) from (select transaction_id, unit"
                + " from ledger_entry group by 1, 2 having sum(amount) <> 0) unbalanced"))
                .isZero();
        assertThat(engine.count("select -sum(amount) from ledger_entry where account ="
                + " 'member/" + id + "/stored_value'")).isEqualTo(12000);
        assertThat(engine.count("select sum(points_remaining) from points_lot where member_id"
                + " = '" + id + "'")).isEqualTo(50);

        // The audit log: who, what, before and after; phone numbers masked there too.
        JsonArray audit = http.get("/api/v1/audit", hq).json().getJsonArray("entries");
        List<String> actions = new ArrayList<>();
        audit.forEach(entry -> actions.add(((JsonObject) entry).getString("action")));
        assertThat(actions).contains("member.register", "member.points.adjust",
                "member.stored-value.top-up", "coupon.issue");
        assertThat(audit.encode()).doesNotContain("13812345678").contains("138****5678");
        JsonObject adjustment = audit.stream().map(JsonObject.class::cast)
                .filter(entry -> entry.getString("action").equals("member.points.adjust"))
                .findFirst().orElseThrow();
        assertThat(adjustment.getJsonObject("before").getLong("points")).isEqualTo(100);
        assertThat(adjustment.getJsonObject("after").getLong("points")).isEqualTo(350);
        assertThat(adjustment.getString("actor")).startsWith("key:");

        // The hot copy is told through the outbox; the relay applies every row.
        assertThat(engine.count("select count(*) from outbox where kind = 'RELOAD_MEMBER'"
                + " and member_id = '" + id + "'")).isEqualTo(5);
        await().atMost(10, TimeUnit.SECONDS).until(() -> engine.count("select count(*) from"
                + " outbox where applied_at is null") == 0);
    }

    @Test
    void aWakeUpCouponReachesEveryDormantMemberOfAStoreGroup() {
        String dormant = http.post("/api/v1/members", hq,
                "{\"phone\":\"13500000001\",\"homeStoreId\":\"C001\"}").json()
                .getString("memberId");
        String active = http.post("/api/v1/members", hq,
                "{\"phone\":\"13500000002\",\"homeStoreId\":\"C001\"}").json()
                .getString("memberId");
        // Registered 100 days ago and never bought: dormant (the demo chain says 90 days).
        engine.count("with moved as (update member set registered_at = now() - interval"
                + " '100 days' where member_id = '" + dormant + "' returning 1)"
                + " select count(*) from moved");
        JsonArray dormantIds = http.get("/api/v1/analytics/dormant-members?storeGroup=clothing",
                hq).json().getJsonArray("memberIds");
        assertThat(dormantIds.contains(dormant)).isTrue();
        assertThat(dormantIds.contains(active)).isFalse();
        Http.Reply issued = http.post("/api/v1/coupon-issuances", hq,
                "{\"templateId\":\"cash-5\",\"segment\":\"dormant\","
                        + "\"storeGroup\":\"clothing\"}");
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        assertThat(engine.count("select count(*) from coupon where template_id = 'cash-5'"
                + " and member_id = '" + dormant + "'")).isEqualTo(1);
        assertThat(engine.count("select count(*) from coupon where member_id = '" + active
                + "'")).isZero();
    }

    @Test
    void aDisabledKeyStopsWorkingAtOnceAndIsAudited() throws Exception {
        String doomed = key("doomed", ApiRole.OPS_READ, Set.of());
        assertThat(http.get("/api/v1/stores", doomed).status()).isEqualTo(200);
        String keyId = doomed.split("_")[1];
        assertThat(http.post("/api/v1/api-keys/" + keyId + "/disable", hq, "{}").status())
                .isEqualTo(200);
        assertThat(http.get("/api/v1/stores", doomed).status()).isEqualTo(401);
        JsonArray keys = http.get("/api/v1/api-keys", hq).json().getJsonArray("apiKeys");
        assertThat(keys.encode()).doesNotContain("secret").contains(keyId);
        assertThat(engine.count("select count(*) from admin_audit where action ="
                + " 'api-key.disable' and object_id = '" + keyId + "'")).isEqualTo(1);
        assertThat(http.post("/api/v1/api-keys/zzzzzzzzzzzz/disable", hq, "{}").status())
                .isEqualTo(404);
        assertThat(http.get("/api/v1/stored-value-bonus-rules", hq).json()
                .getJsonArray("bonusRules").getJsonObject(0).getLong("bonusFen"))
                .isEqualTo(2000);
        assertThat(http.get("/api/v1/coupon-templates", hq).body()).contains("cut-100-20");
    }

    @Test
    void terminalsAreProvisionedRotatedAndDisabledThroughTheRegistry() {
        Http.Reply provisioned = http.post("/api/v1/terminals", hq,
                "{\"storeId\":\"S002\",\"terminalId\":\"T-S002-admin\"}");
        assertThat(provisioned.status()).isEqualTo(201);
        String secret = provisioned.json().getString("secret");
        assertThat(java.util.Base64.getDecoder().decode(secret)).hasSize(32);
        String rotated = http.post("/api/v1/terminals/T-S002-admin/rotate", hq, "{}").json()
                .getString("secret");
        assertThat(rotated).isNotEqualTo(secret);
        assertThat(http.post("/api/v1/terminals/T-S002-admin/disable", hq, "{}").json()
                .getBoolean("disabled")).isTrue();
        JsonObject shown = http.get("/api/v1/terminals/T-S002-admin", hq).json();
        assertThat(shown.getBoolean("disabled")).isTrue();
        assertThat(shown.containsKey("secret")).isFalse();
        assertThat(engine.count("select count(*) from admin_audit where object_id ="
                + " 'T-S002-admin'")).isEqualTo(3);
        assertThat(engine.count("select count(*) from admin_audit where after::text like"
                + " '%secret%'")).isZero();
    }

    @Test
    void theOpenApiDocumentDescribesEveryServedRoute() {
        JsonObject document = http.get("/api/v1/openapi.json", null).json();
        assertThat(document.getString("openapi")).startsWith("3.1");
        Set<String> documented = new HashSet<>();
        document.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue())
                .fieldNames().stream().filter(verb -> !verb.equals("parameters"))
                .forEach(verb -> documented.add(verb.toUpperCase()
                        + " " + path.getKey().replaceAll("\\{[A-Za-z]+}", ":x"))));
        // What the API serves, from its own route declarations (not a list kept by hand).
        Set<String> served = new HashSet<>();
        served.add("GET /openapi.json");
        for (String route : engine.engine().operations().admin().declaredRoutes()) {
            served.add(route.replaceAll(":[A-Za-z]+", ":x"));
        }
        assertThat(documented).isEqualTo(served);
        // Each documented path parameter is declared where the path names it.
        document.getJsonObject("paths").forEach(path -> {
            java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\{([A-Za-z]+)}")
                    .matcher(path.getKey());
            while (names.find()) {
                String name = names.group(1);
                ((JsonObject) path.getValue()).forEach(operation -> {
                    if (operation.getKey().equals("parameters")) {
                        return;
                    }
                    JsonArray parameters = new JsonArray();
                    JsonObject shared = (JsonObject) path.getValue();
                    if (shared.getJsonArray("parameters") != null) {
                        parameters.addAll(shared.getJsonArray("parameters"));
                    }
                    JsonObject operationObject = (JsonObject) operation.getValue();
                    if (operationObject.getJsonArray("parameters") != null) {
                        parameters.addAll(operationObject.getJsonArray("parameters"));
                    }
                    assertThat(parameters.stream().map(JsonObject.class::cast)
                            .filter(parameter -> "path".equals(parameter.getString("in")))
                            .map(parameter -> parameter.getString("name")))
                            .as(operation.getKey() + " " + path.getKey()).contains(name);
                });
            }
        });
    }

    /** One bad request and the problem it must get. */
    record Bad(String name, String method, String path, String key, String body,
            String contentType, int status, String type) {
    }

    @TestFactory
    Stream<DynamicTest> everyBadRequestGetsAProblem() {
        String member = http.post("/api/v1/members", hq,
                "{\"phone\":\"13900000001\",\"homeStoreId\":\"S002\"}").json()
                .getString("memberId");
        String adjust = "/api/v1/members/" + member + "/points-adjustments";
        String json = "application/json";
        List<Bad> cases = List.of(
                new Bad("no key", "GET", "/api/v1/stores", null, null, null, 401,
                        "unauthorized"),
                new Bad("not a kassa key", "GET", "/api/v1/stores", "abc", null, null, 401,
                        "unauthorized"),
                new Bad("wrong secret", "GET", "/api/v1/stores", hq.substring(0, hq.length() - 3)
                        + "xyz", null, null, 401, "unauthorized"),
                new Bad("unknown route", "GET", "/api/v1/nothing-here", hq, null, null, 404,
                        "no-such-route"),
                new Bad("wrong method", "DELETE", "/api/v1/members/" + member, hq, null, null,
                        405, "method-not-allowed"),
                new Bad("not JSON content type", "POST", "/api/v1/members", hq, "phone=1",
                        "application/x-www-form-urlencoded", 415, "unsupported-media-type"),
                new Bad("malformed JSON", "POST", "/api/v1/members", hq, "{\"phone\":", json,
                        400, "invalid-request"),
                new Bad("array body", "POST", "/api/v1/members", hq, "[]", json, 400,
                        "invalid-request"),
                new Bad("mass assignment: points on register", "POST", "/api/v1/members", hq,
                        "{\"phone\":\"13900000002\",\"homeStoreId\":\"S001\",\"points\":99999}",
                        json, 400, "unknown-field"),
                new Bad("mass assignment: tier on register", "POST", "/api/v1/members", hq,
                        "{\"phone\":\"13900000003\",\"homeStoreId\":\"S001\",\"tier\":\"GOLD\"}",
                        json, 400, "unknown-field"),
                new Bad("mass assignment: balance on adjust", "POST", adjust, hq,
                        "{\"points\":1,\"reason\":\"abc\",\"requestId\":\"req-00000001\","
                                + "\"storedValueFen\":100000}", json, 400, "unknown-field"),
                new Bad("missing field", "POST", "/api/v1/members", hq,
                        "{\"homeStoreId\":\"S001\"}", json, 400, "invalid-request"),
                new Bad("wrong type", "POST", adjust, hq, "{\"points\":\"10\",\"reason\":\"abc\","
                        + "\"requestId\":\"req-00000002\"}", json, 400, "invalid-request"),
                new Bad("zero adjustment", "POST", adjust, hq, "{\"points\":0,\"reason\":\"abc\","
                        + "\"requestId\":\"req-00000003\"}", json, 400, "invalid-request"),
                new Bad("adjustment too large", "POST", adjust, hq, "{\"points\":1000001,"
                        + "\"reason\":\"abc\",\"requestId\":\"req-00000004\"}", json, 400,
                        "invalid-request"),
                new Bad("malformed phone", "POST", "/api/v1/members", hq,
                        "{\"phone\":\"call me\",\"homeStoreId\":\"S001\"}", json, 400,
                        "invalid-request"),
                new Bad("unknown store", "POST", "/api/v1/members", hq,
                        "{\"phone\":\"13900000004\",\"homeStoreId\":\"S999\"}", json, 422,
                        "unknown-store"),
                new Bad("unknown template", "POST", "/api/v1/members/" + member + "/coupons", hq,
                        "{\"templateId\":\"free-money\"}", json, 422, "unknown-template"),
                new Bad("phone taken", "POST", "/api/v1/members", hq,
                        "{\"phone\":\"13900000001\",\"homeStoreId\":\"S001\"}", json, 409,
                        "member-exists"),
                new Bad("no such member", "GET", "/api/v1/members/M-does-not-exist", hq, null,
                        null, 404, "not-found"),
                new Bad("no such order", "GET", "/api/v1/orders/not-a-uuid", hq, null, null,
                        404, "not-found"),
                new Bad("both phone and code", "GET", "/api/v1/members?phone=1390000&code=x", hq,
                        null, null, 400, "invalid-request"),
                new Bad("neither phone nor code", "GET", "/api/v1/members", hq, null, null, 400,
                        "invalid-request"),
                new Bad("malformed instant", "GET", "/api/v1/reports/repurchase?from=yesterday",
                        hq, null, null, 400, "invalid-request"),
                new Bad("from after to", "GET", "/api/v1/reports/repurchase?from="
                        + "2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", hq, null, null, 400,
                        "invalid-request"),
                new Bad("range too wide", "GET", "/api/v1/audit?from=2020-01-01T00:00:00Z"
                        + "&to=2026-01-01T00:00:00Z", hq, null, null, 400, "invalid-request"),
                new Bad("repeated parameter", "GET", "/api/v1/reports/points-liability"
                        + "?asOf=2026-01-01&asOf=2026-02-01", hq, null, null, 400,
                        "invalid-request"),
                new Bad("body too large", "POST", "/api/v1/members", hq,
                        "{\"phone\":\"" + "1".repeat(20_000) + "\"}", json, 413,
                        "body-too-large"),
                new Bad("bulk without targets", "POST", "/api/v1/coupon-issuances", hq,
                        "{\"templateId\":\"cash-5\"}", json, 400, "invalid-request"),
                new Bad("store manager key without stores", "POST", "/api/v1/api-keys", hq,
                        "{\"name\":\"x\",\"role\":\"STORE_MANAGER\"}", json, 400,
                        "invalid-request"),
                new Bad("unknown role", "POST", "/api/v1/api-keys", hq,
                        "{\"name\":\"x\",\"role\":\"ROOT\"}", json, 400, "invalid-request"));
        return cases.stream().map(bad -> DynamicTest.dynamicTest(bad.name(), () -> {
            Http.Reply reply = http.send(bad.method(), bad.path(), bad.key(), bad.body(),
                    bad.contentType());
            assertThat(reply.status()).as(reply.body()).isEqualTo(bad.status());
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
            JsonObject problem = reply.json();
            assertThat(problem.getString("type")).isEqualTo(
                    "https://kassa.example/problems/" + bad.type());
            assertThat(problem.getInteger("status")).isEqualTo(bad.status());
            assertThat(problem.getString("title")).isNotBlank();
            assertThat(problem.getString("detail")).isNotBlank();
        }));
    }

    @Test
    void aKeyThatSendsTooFastIsLimitedWithRetryAfter() throws Exception {
        String eager = key("eager", ApiRole.OPS_READ, Set.of());
        int limited = 0;
        String retryAfter = null;
        for (int index = 0; index < 160; index++) {
            Http.Reply reply = http.get("/api/v1/stores", eager);
            if (reply.status() == 429) {
                limited++;
                retryAfter = reply.headers().firstValue("Retry-After").orElse(null);
                assertThat(reply.json().getString("type")).endsWith("/rate-limited");
            }
        }
        assertThat(limited).isPositive();
        assertThat(retryAfter).isNotNull();
        // Another key is not limited by this one's burst.
        assertThat(http.get("/api/v1/stores", hq).status()).isEqualTo(200);
    }

    /** Last: it empties this address's bucket, which the 401 cases above need. */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void guessingKeysFromOneAddressIsLimitedToo() {
        int limited = 0;
        for (int index = 0; index < 160; index++) {
            Http.Reply reply = http.get("/api/v1/stores", "kassa_guessguess_" + index);
            assertThat(reply.status()).isIn(401, 429);
            if (reply.status() == 429) {
                limited++;
            }
        }
        assertThat(limited).isPositive();
    }
}
