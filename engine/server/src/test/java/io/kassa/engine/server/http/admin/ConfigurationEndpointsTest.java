package io.kassa.engine.server.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.admin.ApiRole;
import io.kassa.engine.server.testing.Http;
import io.kassa.engine.server.testing.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The chain's configuration through the admin API of a real engine: a coupon template or a
 * campaign replaced or added on the version the caller read, and each refusal with its
 * problem and nothing changed — a stale version (409 with the current one), an invalid
 * document (422 listing every problem by its JSON path), a key that is not HQ's (403), an
 * element whose id differs from the path's, and malformed bodies (400).
 */
class ConfigurationEndpointsTest {

    private static TestEngine engine;
    private static Http http;
    private static String hq;
    private static String ops;
    private static String manager;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.start("configuration");
        http = new Http(engine.engine().httpPort());
        hq = key(ApiRole.HQ_ADMIN, Set.of());
        ops = key(ApiRole.OPS_READ, Set.of());
        manager = key(ApiRole.STORE_MANAGER, Set.of("S001"));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static String key(ApiRole role, Set<String> stores) throws Exception {
        return engine.engine().operations().admin().createKey(role.name(), role, stores)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static JsonObject current() {
        Http.Reply reply = http.get("/api/v1/rules", hq);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    static JsonObject element(JsonObject rules, String array, String id) {
        return rules.getJsonArray(array).stream().map(JsonObject.class::cast)
                .filter(one -> id.equals(one.getString("id"))).findFirst().orElseThrow();
    }

    static Http.Reply put(String key, String path, JsonObject body) {
        return http.send("PUT", path, key, body.encode(), "application/json");
    }

    @Test
    void aTemplateIsReplacedOrAddedOnTheVersionReadAndPricedWithAtOnce() {
        JsonObject before = current();
        long version = before.getLong("version");
        JsonObject cash = element(before.getJsonObject("rules"), "couponTemplates", "cash-5")
                .copy().put("amountOffFen", 600);
        Http.Reply replaced = put(hq, "/api/v1/coupon-templates/cash-5",
                new JsonObject().put("expectedVersion", version).put("template", cash));
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json().getLong("version")).isEqualTo(version + 1);
        assertThat(element(current().getJsonObject("rules"), "couponTemplates", "cash-5")
                .getLong("amountOffFen")).isEqualTo(600);

        // A template of a new id is added (201), without an id in the body: the path's.
        JsonObject added = cash.copy().put("amountOffFen", 700);
        added.remove("id");
        Http.Reply created = put(hq, "/api/v1/coupon-templates/cash-7",
                new JsonObject().put("expectedVersion", version + 1).put("template", added));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(http.get("/api/v1/coupon-templates", ops).body()).contains("cash-7");
        assertThat(engine.count("select count(*) from admin_audit where action ="
                + " 'configuration.coupon-template.put'")).isEqualTo(2);

        JsonObject day = element(current().getJsonObject("rules"), "campaigns", "member-day")
                .copy().put("multiplier", 3);
        Http.Reply campaign = put(hq, "/api/v1/campaigns/member-day", new JsonObject()
                .put("expectedVersion", version + 2).put("campaign", day).put("note", "x3"));
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(200);
        assertThat(element(current().getJsonObject("rules"), "campaigns", "member-day")
                .getInteger("multiplier")).isEqualTo(3);
    }

    @Test
    void theConfigurationIsReadByHqAndOperationsButNotByStoreManagers() {
        assertThat(http.get("/api/v1/rules", ops).status()).isEqualTo(200);
        Http.Reply refused = http.get("/api/v1/rules", manager);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().getString("type")).endsWith("/forbidden");
    }

    /** A refused change: who sends it, where, the body made from the current configuration. */
    record Refused(String name, String key, String path, Function<JsonObject, Object> body,
            int status, String type) {
    }

    @TestFactory
    Stream<DynamicTest> everyRefusedChangeGetsItsProblemAndChangesNothing() {
        Function<JsonObject, JsonObject> rules = now -> now.getJsonObject("rules");
        List<Refused> cases = List.of(
                new Refused("stale version of the rules", hq, "/api/v1/rules",
                        now -> new JsonObject().put("expectedVersion",
                                now.getLong("version") - 1).put("rules", rules.apply(now)),
                        409, "stale-version"),
                new Refused("a version not yet made", hq, "/api/v1/rules",
                        now -> new JsonObject().put("expectedVersion",
                                now.getLong("version") + 5).put("rules", rules.apply(now)),
                        409, "stale-version"),
                new Refused("stale version of a template", hq, "/api/v1/coupon-templates/cash-5",
                        now -> new JsonObject().put("expectedVersion",
                                now.getLong("version") - 1).put("template", element(
                                rules.apply(now), "couponTemplates", "cash-5")),
                        409, "stale-version"),
                new Refused("stale version of a campaign", hq, "/api/v1/campaigns/member-day",
                        now -> new JsonObject().put("expectedVersion",
                                now.getLong("version") - 1).put("campaign", element(
                                rules.apply(now), "campaigns", "member-day")),
                        409, "stale-version"),
                new Refused("invalid rules: two problems", hq, "/api/v1/rules",
                        now -> {
                            JsonObject broken = rules.apply(now).copy();
                            element(broken, "couponTemplates", "red-packet-20")
                                    .put("thresholdFen", 10_000);
                            broken.getJsonArray("tiers").getJsonObject(1)
                                    .put("multiplier", "-2");
                            return new JsonObject().put("expectedVersion",
                                    now.getLong("version")).put("rules", broken);
                        }, 422, "invalid-rules"),
                new Refused("invalid rules: wrong types", hq, "/api/v1/rules",
                        now -> new JsonObject().put("expectedVersion", now.getLong("version"))
                                .put("rules", rules.apply(now).copy().put("stores", 5)
                                        .put("tiers", "gold")), 422, "invalid-rules"),
                new Refused("invalid rules: empty document", hq, "/api/v1/rules",
                        now -> new JsonObject().put("expectedVersion", now.getLong("version"))
                                .put("rules", new JsonObject()), 422, "invalid-rules"),
                new Refused("invalid template", hq, "/api/v1/coupon-templates/red-packet-20",
                        now -> new JsonObject().put("expectedVersion", now.getLong("version"))
                                .put("template", element(rules.apply(now), "couponTemplates",
                                        "red-packet-20").copy().put("thresholdFen", 500)),
                        422, "invalid-rules"),
                new Refused("invalid campaign", hq, "/api/v1/campaigns/member-day",
                        now -> new JsonObject().put("expectedVersion", now.getLong("version"))
                                .put("campaign", element(rules.apply(now), "campaigns",
                                        "member-day").copy().put("multiplier", -1)),
                        422, "invalid-rules"),
                new Refused("store manager replaces the rules", manager, "/api/v1/rules",
                        now -> new JsonObject().put("expectedVersion", now.getLong("version"))
                                .put("rules", rules.apply(now)), 403, "forbidden"),
                new Refused("store manager puts a template", manager,
                        "/api/v1/coupon-templates/cash-5", now -> new JsonObject()
                                .put("expectedVersion", now.getLong("version"))
                                .put("template", element(rules.apply(now), "couponTemplates",
                                        "cash-5")), 403, "forbidden"),
                new Refused("store manager puts a campaign", manager,
                        "/api/v1/campaigns/member-day", now -> new JsonObject()
                                .put("expectedVersion", now.getLong("version"))
                                .put("campaign", element(rules.apply(now), "campaigns",
                                        "member-day")), 403, "forbidden"),
                new Refused("operations key replaces the rules", ops, "/api/v1/rules",
                        now -> new JsonObject().put("expectedVersion", now.getLong("version"))
                                .put("rules", rules.apply(now)), 403, "forbidden"),
                new Refused("template id differs from the path's", hq,
                        "/api/v1/coupon-templates/cash-5", now -> new JsonObject()
                                .put("expectedVersion", now.getLong("version"))
                                .put("template", element(rules.apply(now), "couponTemplates",
                                        "cut-100-20")), 400, "invalid-request"),
                new Refused("campaign id differs from the path's", hq,
                        "/api/v1/campaigns/member-day", now -> new JsonObject()
                                .put("expectedVersion", now.getLong("version"))
                                .put("campaign", element(rules.apply(now), "campaigns",
                                        "member-day").copy().put("id", "birthday-month")),
                        400, "invalid-request"),
                new Refused("template id of another type", hq,
                        "/api/v1/coupon-templates/cash-5", now -> new JsonObject()
                                .put("expectedVersion", now.getLong("version"))
                                .put("template", element(rules.apply(now), "couponTemplates",
                                        "cash-5").copy().put("id", 5)), 400,
                        "invalid-request"),
                new Refused("malformed template id in the path", hq,
                        "/api/v1/coupon-templates/cash%205", now -> new JsonObject()
                                .put("expectedVersion", now.getLong("version"))
                                .put("template", new JsonObject()), 400, "invalid-request"),
                new Refused("no expected version", hq, "/api/v1/rules",
                        now -> new JsonObject().put("rules", rules.apply(now)), 400,
                        "invalid-request"),
                new Refused("negative expected version", hq, "/api/v1/rules",
                        now -> new JsonObject().put("expectedVersion", -1)
                                .put("rules", rules.apply(now)), 400, "invalid-request"),
                new Refused("expected version as text", hq, "/api/v1/rules",
                        now -> new JsonObject().put("expectedVersion", "1")
                                .put("rules", rules.apply(now)), 400, "invalid-request"),
                new Refused("rules as an array", hq, "/api/v1/rules",
                        now -> new JsonObject().put("expectedVersion", now.getLong("version"))
                                .put("rules", new JsonArray()), 400, "invalid-request"),
                new Refused("no rules", hq, "/api/v1/rules",
                        now -> new JsonObject().put("expectedVersion", now.getLong("version")),
                        400, "invalid-request"),
                new Refused("template as text", hq, "/api/v1/coupon-templates/cash-5",
                        now -> new JsonObject().put("expectedVersion", now.getLong("version"))
                                .put("template", "cash"), 400, "invalid-request"),
                new Refused("unknown field", hq, "/api/v1/rules",
                        now -> new JsonObject().put("expectedVersion", now.getLong("version"))
                                .put("rules", rules.apply(now)).put("version", 99), 400,
                        "unknown-field"),
                new Refused("note too long", hq, "/api/v1/rules",
                        now -> new JsonObject().put("expectedVersion", now.getLong("version"))
                                .put("rules", rules.apply(now)).put("note", "n".repeat(201)),
                        400, "invalid-request"),
                new Refused("the body is an array", hq, "/api/v1/rules", now -> new JsonArray(),
                        400, "invalid-request"));
        return cases.stream().map(refused -> DynamicTest.dynamicTest(refused.name(), () -> {
            JsonObject now = current();
            Object body = refused.body().apply(now);
            Http.Reply reply = http.send("PUT", refused.path(), refused.key(),
                    body instanceof JsonArray array ? array.encode()
                            : ((JsonObject) body).encode(), "application/json");
            assertThat(reply.status()).as(reply.body()).isEqualTo(refused.status());
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
            JsonObject problem = reply.json();
            assertThat(problem.getString("type"))
                    .isEqualTo("https://kassa.example/problems/" + refused.type());
            assertThat(problem.getString("detail")).isNotBlank();
            if (refused.type().equals("stale-version")) {
                assertThat(problem.getLong("currentVersion")).isEqualTo(now.getLong("version"));
            }
            if (refused.type().equals("invalid-rules")) {
                JsonArray problems = problem.getJsonArray("problems");
                assertThat(problems).isNotEmpty();
                assertThat(problems).allSatisfy(each -> assertThat((String) each)
                        .matches("[^:]+: .+"));
            }
            // Nothing changed: the same version and document.
            JsonObject after = current();
            assertThat(after.getLong("version")).isEqualTo(now.getLong("version"));
            assertThat(after.getJsonObject("rules")).isEqualTo(now.getJsonObject("rules"));
        }));
    }

    @Test
    void anInvalidDocumentIsRefusedWithEveryProblemByItsPath() {
        JsonObject now = current();
        JsonObject broken = now.getJsonObject("rules").copy();
        element(broken, "couponTemplates", "red-packet-20").put("thresholdFen", 10_000);
        element(broken, "couponTemplates", "cash-5").put("thresholdFen", 300);
        Http.Reply reply = put(hq, "/api/v1/rules", new JsonObject()
                .put("expectedVersion", now.getLong("version")).put("rules", broken));
        assertThat(reply.status()).as(reply.body()).isEqualTo(422);
        List<String> problems = reply.json().getJsonArray("problems").stream()
                .map(String.class::cast).toList();
        assertThat(problems).hasSize(2);
        assertThat(problems).anySatisfy(problem -> assertThat(problem)
                .startsWith("couponTemplates[" + index(broken, "red-packet-20")
                        + "].thresholdFen: "));
        assertThat(problems).anySatisfy(problem -> assertThat(problem)
                .startsWith("couponTemplates[" + index(broken, "cash-5") + "].thresholdFen: "));
    }

    static int index(JsonObject rules, String templateId) {
        JsonArray templates = rules.getJsonArray("couponTemplates");
        for (int index = 0; index < templates.size(); index++) {
            if (templateId.equals(templates.getJsonObject(index).getString("id"))) {
                return index;
            }
        }
        throw new AssertionError(templateId);
    }

    @Test
    void aLargeRulesDocumentIsTakenAndOneOverTheLimitIsRefusedWith413() {
        JsonObject before = current();
        long version = before.getLong("version");
        // A chain's document of ~200 KB (here the current one, padded with 200 KB of
        // whitespace, which JSON allows): over the 16 KiB of other bodies, well under 1 MiB.
        String body = "{\"expectedVersion\":" + version + ",\"rules\":"
                + before.getJsonObject("rules").encode() + " ".repeat(200_000) + "}";
        Http.Reply large = http.send("PUT", "/api/v1/rules", hq, body, "application/json");
        assertThat(large.status()).as(large.body()).isEqualTo(200);
        assertThat(large.json().getLong("version")).isEqualTo(version + 1);

        String tooLarge = "{\"expectedVersion\":" + (version + 1) + ",\"rules\":"
                + before.getJsonObject("rules").encode()
                + " ".repeat(AdminRoutes.RULES_BODY_BYTES_MAX) + "}";
        Http.Reply refused = http.send("PUT", "/api/v1/rules", hq, tooLarge, "application/json");
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().getString("type")).endsWith("/body-too-large");
        assertThat(current().getLong("version")).as("nothing stored").isEqualTo(version + 1);
    }
}
