package io.kassa.engine.server.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kassa.engine.server.admin.ApiRole;
import io.kassa.engine.server.http.admin.ExchangeRush.Sent;
import io.kassa.engine.server.postgres.PgInvariants;
import io.kassa.engine.server.testing.Http;
import io.kassa.engine.server.testing.TestEngine;
import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Points exchanged for coupons through the admin API of a real engine on real PostgreSQL and
 * Redis: 1,000 concurrent exchanges from 100 members against the demo chain's limited gift
 * (stock 100) give exactly 100 coupons, with every point, ledger entry, invariant and metric
 * checked afterwards; a retry answers the first exchange; a sold-out refusal never waits for
 * PostgreSQL; the stock follows the configuration; and each bad input gets its own problem.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PointsExchangeTest {

    static final String GIFT = "gift-thermos-limited";
    static final long GIFT_COST = 2_000;
    static final long GIFT_STOCK = 100;
    static final String CASH = "points-500-cash-5";

    private static TestEngine engine;
    private static Http http;
    private static ExchangeRush rush;
    private static List<Sent> rushed;

    @BeforeAll
    static void start() {
        engine = TestEngine.start("exchange");
        http = new Http(engine.engine().httpPort());
        rush = new ExchangeRush(engine, http);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static Http.Reply post(String key, String member, String offer, String exchangeId) {
        return rush.exchange(key, member, offer, exchangeId);
    }

    @Test
    @Order(1)
    void aThousandConcurrentExchangesOfAHundredGiftsGiveExactlyAHundred() throws Exception {
        int requests = 1_000;
        // Ten requests per member, each affordable: no refusal but the quota's.
        long pointsEach = 10 * GIFT_COST;
        List<String> members = rush.members("S001", 100, pointsEach, "1");
        List<String> keys = rush.keys(requests);

        rushed = rush.send(GIFT, members, keys, requests, "rush-gift", 100, 0, null);

        ExchangeRush.onlyExchangedOrSoldOut(rushed);
        assertThat(ExchangeRush.count(rushed, 201)).isEqualTo(GIFT_STOCK);
        assertThat(ExchangeRush.count(rushed, 409)).isEqualTo(requests - GIFT_STOCK);

        // PostgreSQL: the quota row says 100 of 100, and there are 100 of everything else.
        assertThat(engine.count("select taken from points_exchange_quota where offer_id = '"
                + GIFT + "'")).isEqualTo(GIFT_STOCK);
        assertThat(engine.count("select stock from points_exchange_quota where offer_id = '"
                + GIFT + "'")).isEqualTo(GIFT_STOCK);
        assertThat(engine.count("select count(*) from points_exchange where offer_id = '"
                + GIFT + "'")).isEqualTo(GIFT_STOCK);
        assertThat(engine.count("select count(*) from coupon where template_id = 'gift-thermos'"
                + " and state = 'AVAILABLE'")).isEqualTo(GIFT_STOCK);
        assertThat(engine.count("select count(*) from ledger_transaction"
                + " where kind = 'POINTS_EXCHANGE'")).isEqualTo(GIFT_STOCK);
        assertThat(engine.count("select count(*) from admin_audit"
                + " where action = 'member.points.exchange'")).isEqualTo(GIFT_STOCK);

        // Each answer names its coupon, issued to that member; points as the answers say.
        Map<String, Integer> exchangedBy = new HashMap<>();
        Set<String> coupons = new HashSet<>();
        for (Sent sent : rushed) {
            if (sent.reply().status() != 201) {
                continue;
            }
            JsonObject body = sent.reply().json();
            assertThat(body.fieldNames()).containsExactlyInAnyOrder("exchangeId", "offerId",
                    "couponId", "pointsSpent", "pointsAfter");
            assertThat(body.getString("exchangeId")).isEqualTo(sent.exchangeId());
            assertThat(body.getString("offerId")).isEqualTo(GIFT);
            assertThat(body.getLong("pointsSpent")).isEqualTo(GIFT_COST);
            assertThat(coupons.add(body.getString("couponId"))).isTrue();
            assertThat(engine.count("select count(*) from coupon where coupon_id = '"
                    + body.getString("couponId") + "' and member_id = '" + sent.memberId()
                    + "'")).isEqualTo(1);
            exchangedBy.merge(sent.memberId(), 1, Integer::sum);
        }
        long registration = 100; // the demo chain's registration points
        for (String member : members) {
            long expected = registration + pointsEach
                    - GIFT_COST * exchangedBy.getOrDefault(member, 0);
            assertThat(engine.count("select coalesce(sum(points_remaining), 0) from points_lot"
                    + " where member_id = '" + member + "'")).as(member).isEqualTo(expected);
            assertThat(http.get("/api/v1/members/" + member, rush.hq()).json()
                    .getLong("points")).as(member).isEqualTo(expected);
        }

        // Every money invariant holds; every hot copy reload was applied.
        assertThat(new PgInvariants(engine.engine().pool()).check().toCompletionStage()
                .toCompletableFuture().get(30, TimeUnit.SECONDS)).isEmpty();
        await().atMost(30, TimeUnit.SECONDS).until(() -> engine.count(
                "select count(*) from outbox where applied_at is null") == 0);

        // The metrics count what this node did.
        String metrics = http.get("/metrics", null).body();
        assertThat(metrics).contains("kassa_quota_taken_total{offer=\"" + GIFT + "\"} 100.0");
        assertThat(metrics).contains("kassa_quota_refused_total{offer=\"" + GIFT + "\"} 900.0");
    }

    @Test
    @Order(2)
    void aRetryAnswersTheFirstExchangeAndTakesNothingTwice() {
        Sent first = rushed.stream().filter(sent -> sent.reply().status() == 201).findFirst()
                .orElseThrow();
        long pointsBefore = engine.count("select sum(points_remaining) from points_lot"
                + " where member_id = '" + first.memberId() + "'");

        // The offer is sold out by now; the retry still answers its exchange, with 200.
        Http.Reply retried = post(rush.hq(), first.memberId(), GIFT, first.exchangeId());
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(retried.json()).isEqualTo(first.reply().json());
        assertThat(engine.count("select sum(points_remaining) from points_lot where member_id"
                + " = '" + first.memberId() + "'")).isEqualTo(pointsBefore);
        assertThat(engine.count("select taken from points_exchange_quota")).isEqualTo(100);

        // An unlimited offer: the first answer is 201, its retry 200 with the same body.
        String member = rush.members("S001", 1, 1_000, "2").get(0);
        Http.Reply made = post(rush.hq(), member, CASH, "cash-exchange-1");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(made.json().getLong("pointsAfter")).isEqualTo(600);
        Http.Reply again = post(rush.hq(), member, CASH, "cash-exchange-1");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(made.json());
        assertThat(engine.count("select count(*) from points_exchange where member_id = '"
                + member + "'")).isEqualTo(1);
        assertThat(engine.count("select sum(points_remaining) from points_lot where member_id"
                + " = '" + member + "'")).isEqualTo(600);
    }

    @Test
    @Order(3)
    void aSoldOutRefusalNeverWaitsForPostgreSQLsQuotaRow() throws Exception {
        String member = rush.members("S001", 1, GIFT_COST, "3").get(0);
        // Another transaction holds the quota row: an exchange that reached it would wait.
        try (Connection holder = TestServices.jdbc(engine.schema());
                Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("select * from points_exchange_quota where offer_id = '" + GIFT
                    + "' for update");
            long started = System.nanoTime();
            Http.Reply refused = post(rush.hq(), member, GIFT, "late-for-the-gift");
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json().getString("type")).endsWith("/sold-out");
            // Far below the client's 15 s timeout: Redis answered, the row was not asked.
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started))
                    .isLessThan(10);
            holder.rollback();
        }
        assertThat(engine.count("select count(*) from points_exchange where member_id = '"
                + member + "'")).isZero();
    }

    @Test
    @Order(5)
    void theStockFollowsTheConfigurationRaisedOrLowered() {
        String member = rush.members("S001", 1, 3 * GIFT_COST, "8").get(0);
        setGiftStock(GIFT_STOCK + 1);
        Http.Reply reopened = post(rush.hq(), member, GIFT, "one-more-gift");
        assertThat(reopened.status()).as(reopened.body()).isEqualTo(201);
        assertThat(post(rush.hq(), member, GIFT, "two-more-gifts").status()).isEqualTo(409);
        assertThat(engine.count("select taken from points_exchange_quota")).isEqualTo(101);
        assertThat(engine.count("select stock from points_exchange_quota")).isEqualTo(101);

        // Lowered below what was taken: closed, and nothing taken is undone.
        setGiftStock(50);
        Http.Reply closed = post(rush.hq(), member, GIFT, "below-the-taken");
        assertThat(closed.status()).as(closed.body()).isEqualTo(409);
        assertThat(engine.count("select taken from points_exchange_quota")).isEqualTo(101);
        assertThat(engine.count("select count(*) from points_exchange where offer_id = '"
                + GIFT + "'")).isEqualTo(101);
    }

    /** Stores a new configuration version with the gift's stock changed. */
    private static void setGiftStock(long stock) {
        String key = rush.hq();
        JsonObject current = http.get("/api/v1/rules", key).json();
        JsonObject rules = current.getJsonObject("rules");
        rules.getJsonArray("couponExchanges").stream().map(JsonObject.class::cast)
                .filter(offer -> offer.getString("id").equals(GIFT)).findFirst().orElseThrow()
                .put("stock", stock);
        Http.Reply stored = http.send("PUT", "/api/v1/rules", key, new JsonObject()
                .put("expectedVersion", current.getLong("version")).put("rules", rules)
                .encode(), "application/json");
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
    }

    /** One bad request and the problem it must get. */
    record Bad(String name, String key, String member, String body, String contentType,
            int status, String type) {
    }

    @TestFactory
    @Order(4)
    Stream<DynamicTest> everyBadInputGetsItsProblem() {
        String hq = rush.key("bad-inputs", ApiRole.HQ_ADMIN);
        String ops = rush.key("ops", ApiRole.OPS_READ);
        String managerS001 = rush.key("manager", ApiRole.STORE_MANAGER, "S001");
        String s001 = rush.members("S001", 1, 1_600, "4").get(0);
        String s002 = rush.members("S002", 1, 600, "5").get(0);
        String poor = rush.members("S001", 1, 0, "6").get(0); // 100 registration points
        // The id is taken by an exchange of s001's: reusing it for s002 is refused.
        assertThat(post(rush.hq(), s001, CASH, "taken-exchange-id").status()).isEqualTo(201);
        String json = "application/json";
        String cash = "{\"offerId\":\"" + CASH + "\",\"exchangeId\":\"";
        List<Bad> cases = List.of(
                new Bad("unknown offer", hq, s001, "{\"offerId\":\"free-gold\","
                        + "\"exchangeId\":\"bad-00000001\"}", json, 422, "unknown-offer"),
                new Bad("insufficient points", hq, poor, cash + "bad-00000002\"}", json, 422,
                        "insufficient-points"),
                new Bad("sold out", hq, s001, "{\"offerId\":\"" + GIFT + "\","
                        + "\"exchangeId\":\"bad-00000003\"}", json, 409, "sold-out"),
                new Bad("operations key: read-only", ops, s001, cash + "bad-00000004\"}", json,
                        403, "forbidden"),
                new Bad("store manager, another store's member", managerS001, s002,
                        cash + "bad-00000005\"}", json, 404, "not-found"),
                new Bad("no such member", hq, "M-nobody", cash + "bad-00000006\"}", json, 404,
                        "not-found"),
                new Bad("exchange id reused for another member", hq, s002,
                        cash + "taken-exchange-id\"}", json, 409, "exchange-id-reused"),
                new Bad("exchange id too short", hq, s001, cash + "short\"}", json, 400,
                        "invalid-request"),
                new Bad("exchange id with a space", hq, s001, cash + "has space 1\"}", json,
                        400, "invalid-request"),
                new Bad("no exchange id", hq, s001, "{\"offerId\":\"" + CASH + "\"}", json,
                        400, "invalid-request"),
                new Bad("no offer", hq, s001, "{\"exchangeId\":\"bad-00000007\"}", json, 400,
                        "invalid-request"),
                new Bad("offer id not a string", hq, s001, "{\"offerId\":7,"
                        + "\"exchangeId\":\"bad-00000008\"}", json, 400, "invalid-request"),
                new Bad("mass assignment: points", hq, s001, cash + "bad-00000009\","
                        + "\"pointsCost\":1}", json, 400, "unknown-field"),
                new Bad("malformed JSON", hq, s001, "{\"offerId\":", json, 400,
                        "invalid-request"),
                new Bad("array body", hq, s001, "[]", json, 400, "invalid-request"),
                new Bad("not JSON", hq, s001, "offerId=x", "text/plain", 415,
                        "unsupported-media-type"),
                new Bad("no key", null, s001, cash + "bad-00000010\"}", json, 401,
                        "unauthorized"));
        return Stream.concat(cases.stream().map(bad -> DynamicTest.dynamicTest(bad.name(),
                () -> {
                    Http.Reply reply = http.send("POST", "/api/v1/members/" + bad.member()
                            + "/points-exchanges", bad.key(), bad.body(), bad.contentType());
                    assertThat(reply.status()).as(reply.body()).isEqualTo(bad.status());
                    assertThat(reply.contentType()).isEqualTo("application/problem+json");
                    assertThat(reply.json().getString("type"))
                            .isEqualTo("https://kassa.example/problems/" + bad.type());
                    assertThat(reply.json().getString("detail")).isNotBlank();
                })), Stream.of(DynamicTest.dynamicTest("nothing refused wrote anything", () -> {
                    assertThat(engine.count("select count(*) from points_exchange where"
                            + " exchange_id like 'bad-%'")).isZero();
                    assertThat(engine.count("select sum(points_remaining) from points_lot"
                            + " where member_id = '" + poor + "'")).isEqualTo(100);
                    assertThat(engine.count("select count(*) from points_exchange where"
                            + " member_id = '" + s002 + "'")).isZero();
                }), DynamicTest.dynamicTest("a store manager exchanges for its own store's"
                        + " member", () -> {
                            Http.Reply own = post(managerS001, s001, CASH, "manager-exchange");
                            assertThat(own.status()).as(own.body()).isEqualTo(201);
                            assertThat(own.json().getLong("pointsAfter")).isEqualTo(700);
                        })));
    }
}
