package io.kassa.engine.server.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kassa.engine.core.coupon.RedPacketSplit;
import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.server.admin.AdminStore;
import io.kassa.engine.server.admin.ApiRole;
import io.kassa.engine.server.admin.RedPacket;
import io.kassa.engine.server.postgres.PgRedPacketStore;
import io.kassa.engine.server.postgres.PostgresLocation;
import io.kassa.engine.server.testing.DemoLoad;
import io.kassa.engine.server.testing.Http;
import io.kassa.engine.server.testing.TestEngine;
import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Split red packets through the admin API of a real engine on real PostgreSQL and Redis: a
 * packet's shares sum to its amount and go one each to its openers as coupons of their amounts
 * (checked against a recomputation from the stored seed); a member's second opening answers
 * the same share; a share's coupon is taken off at a terminal's checkout; many concurrent
 * openers, over HTTP and through two nodes' own connection pools, get exactly the shares; an
 * expired packet is gone; and every bad input gets its problem.
 */
class RedPacketTest {

    private static TestEngine engine;
    private static Http http;
    private static ExchangeRush setup;

    @BeforeAll
    static void start() {
        engine = TestEngine.start("redpacket");
        http = new Http(engine.engine().httpPort());
        setup = new ExchangeRush(engine, http);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static Http.Reply create(String key, String requestId, String sharer, String extra) {
        return http.post("/api/v1/red-packets", key, "{\"requestId\":\"" + requestId
                + "\",\"sharerMemberId\":\"" + sharer + "\",\"templateId\":\"red-packet-20\""
                + extra + "}");
    }

    static Http.Reply open(String key, String packetId, String member) {
        return http.post("/api/v1/red-packets/" + packetId + "/openings", key,
                "{\"memberId\":\"" + member + "\"}");
    }

    @Test
    void aPacketSplitsExactlyAndEachOpenerGetsTheNextShareAsACoupon() {
        String hq = setup.key("hq", ApiRole.HQ_ADMIN);
        List<String> members = setup.members("S001", 5, 0, "61");
        String sharer = members.get(0);

        Http.Reply made = create(hq, "packet-000001", sharer, ",\"shares\":3");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        JsonObject packet = made.json();
        String packetId = packet.getString("packetId");
        assertThat(packetId).matches("RP[0-9A-F]{16}");
        assertThat(packet.getLong("amountFen")).isEqualTo(2_000); // the template's amount
        assertThat(packet.getInteger("shares")).isEqualTo(3);
        assertThat(packet.getLong("minimumShareFen")).isEqualTo(1);
        assertThat(packet.getString("state")).isEqualTo("OPEN");
        assertThat(packet.getString("storeId")).isEqualTo("S001");
        assertThat(packet.getJsonArray("openings")).isEmpty();
        assertThat(Duration.between(Instant.parse(packet.getString("createdAt")),
                Instant.parse(packet.getString("openUntil")))).isEqualTo(Duration.ofHours(24));
        assertThat(packet.encode()).doesNotContain("seed");

        long opened = 0;
        List<JsonObject> shares = new ArrayList<>();
        for (int index = 1; index <= 3; index++) {
            Http.Reply share = open(hq, packetId, members.get(index));
            assertThat(share.status()).as(share.body()).isEqualTo(201);
            JsonObject body = share.json();
            assertThat(body.getInteger("shareNumber")).isEqualTo(index);
            assertThat(body.getString("memberId")).isEqualTo(members.get(index));
            assertThat(body.getString("phone")).matches("13\\d\\*{4}\\d{4}");
            assertThat(body.getLong("amountFen")).isPositive();
            String couponId = body.getString("couponId");
            assertThat(engine.count("select count(*) from coupon where coupon_id = '" + couponId
                    + "' and member_id = '" + members.get(index) + "' and template_id ="
                    + " 'red-packet-20' and state = 'AVAILABLE' and amount_off_fen = "
                    + body.getLong("amountFen") + " and valid_until - valid_from"
                    + " = interval '7 days'")).isEqualTo(1);
            opened += body.getLong("amountFen");
            shares.add(body);
        }
        assertThat(opened).isEqualTo(2_000);

        // Opening again answers the same share; a fourth member finds the packet empty.
        Http.Reply again = open(hq, packetId, members.get(1));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().getString("couponId"))
                .isEqualTo(shares.get(0).getString("couponId"));
        assertThat(again.json().getLong("amountFen"))
                .isEqualTo(shares.get(0).getLong("amountFen"));
        Http.Reply empty = open(hq, packetId, members.get(4));
        assertThat(empty.status()).isEqualTo(409);
        assertThat(empty.contentType()).isEqualTo("application/problem+json");
        assertThat(empty.json().getString("type")).endsWith("/packet-empty");

        JsonObject shown = http.get("/api/v1/red-packets/" + packetId, hq).json();
        assertThat(shown.getString("state")).isEqualTo("EMPTY");
        assertThat(shown.getLong("openedFen")).isEqualTo(2_000);
        assertThat(shown.getInteger("openedShares")).isEqualTo(3);
        JsonArray openings = shown.getJsonArray("openings");
        assertThat(openings).hasSize(3);
        assertThat(openings.encode()).doesNotContain("1361000000").contains("****");

        // The stored shares are the core's split of the stored seed, in the order handed out.
        assertThat(storedSharesMatchTheirSeed(packetId)).isTrue();
        assertThat(engine.count("select count(*) from coupon where member_id = '" + members.get(4)
                + "'")).isZero();
        assertThat(engine.count("select count(*) from admin_audit where object_type ="
                + " 'red-packet' and object_id = '" + packetId + "' and action ="
                + " 'red-packet.create'")).isEqualTo(1);
        assertThat(engine.count("select count(*) from admin_audit where object_type ="
                + " 'red-packet' and object_id = '" + packetId + "' and action ="
                + " 'red-packet.open'")).isEqualTo(3);
        // Each opener's hot copy is told to reload (its new coupon) through the outbox.
        for (int index = 1; index <= 3; index++) {
            assertThat(engine.count("select count(*) from outbox where kind = 'RELOAD_MEMBER'"
                    + " and hold_id like 'red-packet-%' and member_id = '" + members.get(index)
                    + "'")).isEqualTo(1);
        }

        // A retry of the creation answers the same packet; the same request id with other
        // terms is refused.
        Http.Reply retried = create(hq, "packet-000001", sharer, ",\"shares\":3");
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.json().getString("packetId")).isEqualTo(packetId);
        Http.Reply reused = create(hq, "packet-000001", sharer, ",\"shares\":4");
        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.json().getString("type")).endsWith("/request-id-reused");
        assertThat(engine.count("select count(*) from red_packet where request_id ="
                + " 'packet-000001'")).isEqualTo(1);
    }

    /** Whether the packet's stored shares are RedPacketSplit's shares of its stored seed. */
    static boolean storedSharesMatchTheirSeed(String packetId) {
        try (Connection connection = TestServices.jdbc(engine.schema());
                Statement sql = connection.createStatement()) {
            long amount;
            int count;
            long minimum;
            long seed;
            try (ResultSet row = sql.executeQuery("select amount_fen, shares, minimum_share_fen,"
                    + " seed from red_packet where packet_id = '" + packetId + "'")) {
                row.next();
                amount = row.getLong(1);
                count = row.getInt(2);
                minimum = row.getLong(3);
                seed = row.getLong(4);
            }
            List<Long> stored = new ArrayList<>();
            try (ResultSet rows = sql.executeQuery("select amount_fen from red_packet_share"
                    + " where packet_id = '" + packetId + "' order by share_number")) {
                while (rows.next()) {
                    stored.add(rows.getLong(1));
                }
            }
            Decision<List<Long>> split = RedPacketSplit.split(amount, count, minimum, seed);
            return split instanceof Decision.Accepted<List<Long>> accepted
                    && accepted.value().equals(stored);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anOpenedShareIsTakenOffAtATerminalsCheckout() throws Exception {
        String hq = setup.key("hq", ApiRole.HQ_ADMIN);
        String sharer = setup.members("S001", 1, 0, "62").get(0);
        JsonObject friend = http.post("/api/v1/members", hq,
                "{\"phone\":\"13620000001\",\"homeStoreId\":\"S001\"}").json();
        String friendId = friend.getString("memberId");
        // One share of 12.34 yuan: an amount of its own, not the template's 20 yuan.
        String packetId = create(hq, "packet-000002", sharer,
                ",\"shares\":1,\"amountFen\":1234").json().getString("packetId");
        Http.Reply share = open(hq, packetId, friendId);
        assertThat(share.status()).as(share.body()).isEqualTo(201);
        assertThat(share.json().getLong("amountFen")).isEqualTo(1_234);
        String couponId = share.json().getString("couponId");
        await().atMost(30, TimeUnit.SECONDS).until(() -> engine.count("select count(*) from"
                + " outbox where applied_at is null") == 0);

        try (DemoLoad load = new DemoLoad(engine).connect("S001")) {
            // The test Redis is shared: when another suite wipes it, this engine rebuilds its
            // hot copy and answers UNAVAILABLE meanwhile; a refused sale changed nothing.
            await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsMatching(failure -> String.valueOf(failure.getMessage())
                            .contains("UNAVAILABLE"))
                    .until(() -> load.memberCheckout(friend.getString("memberCode"), 10_000)
                            != null);
        }
        assertThat(engine.count("select count(*) from coupon where coupon_id = '" + couponId
                + "' and state = 'REDEEMED'")).isEqualTo(1);
        assertThat(engine.count("select o.discount_fen from sales_order o join coupon c"
                + " on c.redeemed_order_id = o.order_id where c.coupon_id = '" + couponId
                + "'")).isEqualTo(1_234);
    }

    @Test
    void concurrentOpenersOverHttpGetExactlyTheShares() throws Exception {
        int openers = 24;
        List<String> members = setup.members("S002", openers, 0, "63");
        String hq = setup.key("hq", ApiRole.HQ_ADMIN);
        String packetId = create(hq, "packet-000003", members.get(0),
                ",\"shares\":5,\"amountFen\":888,\"minimumShareFen\":100").json()
                .getString("packetId");
        List<String> keys = setup.keys(openers);
        String scrapeBefore = http.get("/metrics", null).body();
        ExecutorService pool = Executors.newFixedThreadPool(openers);
        CountDownLatch go = new CountDownLatch(1);
        List<java.util.concurrent.Future<Http.Reply>> answers = new ArrayList<>();
        try {
            for (int index = 0; index < openers; index++) {
                String member = members.get(index);
                String key = keys.get(index % keys.size());
                answers.add(pool.submit(() -> {
                    go.await();
                    return open(key, packetId, member);
                }));
            }
            go.countDown();
            long sum = 0;
            int created = 0;
            int empty = 0;
            for (java.util.concurrent.Future<Http.Reply> answer : answers) {
                Http.Reply reply = answer.get(120, TimeUnit.SECONDS);
                if (reply.status() == 201) {
                    created++;
                    sum += reply.json().getLong("amountFen");
                    assertThat(reply.json().getLong("amountFen")).isGreaterThanOrEqualTo(100);
                } else {
                    assertThat(reply.status()).as(reply.body()).isEqualTo(409);
                    assertThat(reply.json().getString("type")).endsWith("/packet-empty");
                    empty++;
                }
            }
            assertThat(created).isEqualTo(5);
            assertThat(empty).isEqualTo(openers - 5);
            assertThat(sum).isEqualTo(888);
            // The openings' metrics moved by what the openers were told.
            String scrapeAfter = http.get("/metrics", null).body();
            assertThat(metricIncrease(scrapeBefore, scrapeAfter,
                    "kassa_red_packet_openings_total{outcome=\"opened\"}")).isEqualTo(5);
            assertThat(metricIncrease(scrapeBefore, scrapeAfter,
                    "kassa_red_packet_openings_total{outcome=\"empty\"}"))
                    .isEqualTo(openers - 5);
            assertThat(metricIncrease(scrapeBefore, scrapeAfter,
                    "kassa_red_packet_opened_fen_total")).isEqualTo(888);
        } finally {
            pool.shutdownNow();
        }
        assertThat(engine.count("select opened from red_packet where packet_id = '" + packetId
                + "'")).isEqualTo(5);
        assertThat(engine.count("select sum(c.amount_off_fen) from red_packet_share s"
                + " join coupon c using (coupon_id) where s.packet_id = '" + packetId + "'"))
                .isEqualTo(888);
    }

    /** How much a sample of the /metrics scrape grew (absent counts as 0). */
    private static double metricIncrease(String before, String after, String sample) {
        return sampleValue(after, sample) - sampleValue(before, sample);
    }

    private static double sampleValue(String scrape, String sample) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return 0;
    }

    /**
     * A packet read while it is being opened is one consistent picture: its count of opened
     * shares is the number of openings it lists, and their amounts are its opened fen. (Read
     * in two statements, an opening committed between them gave a 500.)
     */
    @Test
    void aPacketReadDuringOpeningsIsConsistent() throws Exception {
        int openers = 30;
        List<String> members = setup.members("S002", openers, 0, "68");
        String hq = setup.key("hq", ApiRole.HQ_ADMIN);
        Http.Reply made = create(hq, "packet-000008", members.get(0),
                ",\"shares\":30,\"amountFen\":3000,\"minimumShareFen\":10");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String packetId = made.json().getString("packetId");
        List<String> keys = new ArrayList<>();
        for (int index = 0; index < 6; index++) {
            keys.add(setup.key("consistent-" + index, ApiRole.HQ_ADMIN));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicBoolean opening = new AtomicBoolean(true);
        try {
            List<java.util.concurrent.Future<Integer>> openings = new ArrayList<>();
            for (int worker = 0; worker < 4; worker++) {
                int first = worker;
                openings.add(pool.submit(() -> {
                    int created = 0;
                    for (int index = first; index < openers; index += 4) {
                        Http.Reply reply = open(keys.get(first), packetId, members.get(index));
                        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
                        created++;
                    }
                    return created;
                }));
            }
            List<java.util.concurrent.Future<Integer>> readers = new ArrayList<>();
            for (int reader = 0; reader < 2; reader++) {
                String key = keys.get(4 + reader);
                readers.add(pool.submit(() -> {
                    int reads = 0;
                    while (opening.get()) {
                        Http.Reply reply = http.get("/api/v1/red-packets/" + packetId, key);
                        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
                        JsonObject shown = reply.json();
                        JsonArray listed = shown.getJsonArray("openings");
                        assertThat(listed.size()).isEqualTo(shown.getInteger("openedShares"));
                        long fen = 0;
                        for (int index = 0; index < listed.size(); index++) {
                            fen += listed.getJsonObject(index).getLong("amountFen");
                        }
                        assertThat(fen).isEqualTo(shown.getLong("openedFen"));
                        reads++;
                        Thread.sleep(25); // under the test keys' rate limit of 50/s
                    }
                    return reads;
                }));
            }
            int created = 0;
            for (java.util.concurrent.Future<Integer> worker : openings) {
                created += worker.get(120, TimeUnit.SECONDS);
            }
            opening.set(false);
            int reads = 0;
            for (java.util.concurrent.Future<Integer> reader : readers) {
                reads += reader.get(120, TimeUnit.SECONDS);
            }
            assertThat(created).isEqualTo(openers);
            assertThat(reads).isPositive();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Two nodes are two connection pools on one database: 40 members each open the packet
     * twice at once, once through each node. The packet's row decides: exactly its 8 shares
     * are taken, by 8 different members, each of whom gets the same share both times.
     */
    @Test
    void openersOnTwoNodesAtOnceGetExactlyTheSharesOncePerMember() throws Exception {
        int openers = 40;
        int shares = 8;
        List<String> members = setup.members("S001", openers, 0, "64");
        String hq = setup.key("hq", ApiRole.HQ_ADMIN);
        String packetId = create(hq, "packet-000004", members.get(0),
                ",\"shares\":" + shares + ",\"amountFen\":5000,\"minimumShareFen\":50").json()
                .getString("packetId");
        Vertx vertx = Vertx.vertx();
        List<Pool> pools = new ArrayList<>();
        try {
            List<PgRedPacketStore> nodes = new ArrayList<>();
            for (int node = 0; node < 2; node++) {
                Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
                        .connectingTo(PostgresLocation.parse(TestServices.postgresUrl(),
                                engine.schema()).connectOptions()).using(vertx).build();
                pools.add(pool);
                nodes.add(new PgRedPacketStore(pool, Clock.systemUTC()));
            }
            AdminStore.Audit audit = new AdminStore.Audit("test", ApiRole.HQ_ADMIN,
                    "red-packet.open", null);
            List<Future<RedPacket.Opened>> opened = new ArrayList<>();
            for (String member : members) {
                for (PgRedPacketStore node : nodes) {
                    opened.add(node.open(new RedPacket.OpenRequest(packetId, member,
                            "red-packet-20", Duration.ofDays(7), Instant.now()), audit));
                }
            }
            Future.all(opened).toCompletionStage().toCompletableFuture()
                    .get(120, TimeUnit.SECONDS);
            Set<String> openersWithShares = new HashSet<>();
            int fresh = 0;
            int empty = 0;
            long sum = 0;
            for (int index = 0; index < opened.size(); index++) {
                RedPacket.Opened outcome = opened.get(index).result();
                String member = members.get(index / 2);
                if (outcome instanceof RedPacket.ShareOpened share) {
                    assertThat(share.opening().memberId()).isEqualTo(member);
                    openersWithShares.add(member);
                    if (!share.replayed()) {
                        fresh++;
                        sum += share.opening().amountFen();
                    }
                } else {
                    assertThat(outcome).isInstanceOf(RedPacket.Empty.class);
                    empty++;
                }
            }
            assertThat(fresh).isEqualTo(shares);
            assertThat(openersWithShares).hasSize(shares);
            // A member with a share got it through both nodes (the second as a replay).
            assertThat(empty).isEqualTo(2 * (openers - shares));
            assertThat(sum).isEqualTo(5_000);
        } finally {
            for (Pool pool : pools) {
                pool.close();
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        assertThat(engine.count("select opened from red_packet where packet_id = '" + packetId
                + "'")).isEqualTo(shares);
        assertThat(engine.count("select count(distinct member_id) from red_packet_share"
                + " where packet_id = '" + packetId + "'")).isEqualTo(shares);
        assertThat(engine.count("select count(*) from coupon c join red_packet_share s"
                + " using (coupon_id) where s.packet_id = '" + packetId + "'"))
                .isEqualTo(shares);
        assertThat(engine.count("select count(*) from admin_audit where object_id = '"
                + packetId + "' and action = 'red-packet.open'")).isEqualTo(shares);
        assertThat(storedSharesMatchTheirSeed(packetId)).isTrue();
    }

    @Test
    void anExpiredPacketIsGoneButAnOpenedShareStaysTheOpeners() {
        String hq = setup.key("hq", ApiRole.HQ_ADMIN);
        List<String> members = setup.members("S001", 3, 0, "65");
        String packetId = create(hq, "packet-000005", members.get(0),
                ",\"shares\":2,\"openHours\":1").json().getString("packetId");
        Http.Reply first = open(hq, packetId, members.get(1));
        assertThat(first.status()).isEqualTo(201);
        engine.count("with closed as (update red_packet set created_at = now() - interval"
                + " '2 hours', open_until = now() - interval '1 second' where packet_id = '"
                + packetId + "' returning 1) select count(*) from closed");

        Http.Reply late = open(hq, packetId, members.get(2));
        assertThat(late.status()).as(late.body()).isEqualTo(410);
        assertThat(late.contentType()).isEqualTo("application/problem+json");
        assertThat(late.json().getString("type")).endsWith("/packet-expired");
        Http.Reply again = open(hq, packetId, members.get(1));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().getString("couponId"))
                .isEqualTo(first.json().getString("couponId"));
        JsonObject shown = http.get("/api/v1/red-packets/" + packetId, hq).json();
        assertThat(shown.getString("state")).isEqualTo("EXPIRED");
        assertThat(shown.getInteger("openedShares")).isEqualTo(1);
        assertThat(engine.count("select count(*) from coupon where member_id = '"
                + members.get(2) + "'")).isZero();
    }

    /** One bad request and the problem it must get. */
    record Bad(String name, String method, String path, String key, String body, int status,
            String type) {
    }

    @TestFactory
    Stream<DynamicTest> everyBadRedPacketRequestGetsItsProblem() {
        String hq = setup.key("hq", ApiRole.HQ_ADMIN);
        String manager = setup.key("manager", ApiRole.STORE_MANAGER, "S001");
        String ops = setup.key("ops", ApiRole.OPS_READ);
        List<String> own = setup.members("S001", 2, 0, "66");
        List<String> other = setup.members("S002", 1, 0, "67");
        String packetId = create(hq, "packet-000006", own.get(0), ",\"shares\":2").json()
                .getString("packetId");
        String otherPacket = create(hq, "packet-000007", other.get(0), ",\"shares\":2").json()
                .getString("packetId");
        String packets = "/api/v1/red-packets";
        String openings = packets + "/" + packetId + "/openings";
        String sharer = "\"sharerMemberId\":\"" + own.get(0) + "\"";
        String terms = "\"requestId\":\"bad-packet-1\"," + sharer
                + ",\"templateId\":\"red-packet-20\"";
        List<Bad> cases = List.of(
                new Bad("unknown field", "POST", packets, hq, "{" + terms
                        + ",\"shares\":2,\"seed\":42}", 400, "unknown-field"),
                new Bad("mass assignment: opened on create", "POST", packets, hq, "{" + terms
                        + ",\"shares\":2,\"opened\":2}", 400, "unknown-field"),
                new Bad("no request id", "POST", packets, hq, "{" + sharer
                        + ",\"templateId\":\"red-packet-20\",\"shares\":2}", 400,
                        "invalid-request"),
                new Bad("no shares", "POST", packets, hq, "{" + terms + "}", 400,
                        "invalid-request"),
                new Bad("zero shares", "POST", packets, hq, "{" + terms + ",\"shares\":0}", 400,
                        "invalid-request"),
                new Bad("101 shares", "POST", packets, hq, "{" + terms + ",\"shares\":101}",
                        400, "invalid-request"),
                new Bad("shares as text", "POST", packets, hq, "{" + terms
                        + ",\"shares\":\"3\"}", 400, "invalid-request"),
                new Bad("amount over 200 yuan", "POST", packets, hq, "{" + terms
                        + ",\"shares\":2,\"amountFen\":20001}", 400, "invalid-request"),
                new Bad("zero amount", "POST", packets, hq, "{" + terms
                        + ",\"shares\":2,\"amountFen\":0}", 400, "invalid-request"),
                new Bad("zero minimum", "POST", packets, hq, "{" + terms
                        + ",\"shares\":2,\"minimumShareFen\":0}", 400, "invalid-request"),
                new Bad("open for a week and an hour", "POST", packets, hq, "{" + terms
                        + ",\"shares\":2,\"openHours\":169}", 400, "invalid-request"),
                new Bad("amount below every minimum", "POST", packets, hq, "{" + terms
                        + ",\"shares\":3,\"amountFen\":300,\"minimumShareFen\":101}", 422,
                        "packet-below-minimum"),
                new Bad("unknown template", "POST", packets, hq, "{\"requestId\":"
                        + "\"bad-packet-2\"," + sharer + ",\"templateId\":\"free-money\","
                        + "\"shares\":2}", 422, "unknown-template"),
                new Bad("not a red packet template", "POST", packets, hq, "{\"requestId\":"
                        + "\"bad-packet-3\"," + sharer + ",\"templateId\":\"cash-5\","
                        + "\"shares\":2}", 422, "not-a-red-packet-template"),
                new Bad("unknown sharer", "POST", packets, hq, "{\"requestId\":\"bad-packet-4\","
                        + "\"sharerMemberId\":\"M-nobody\",\"templateId\":\"red-packet-20\","
                        + "\"shares\":2}", 404, "not-found"),
                new Bad("operations key creates", "POST", packets, ops, "{" + terms
                        + ",\"shares\":2}", 403, "forbidden"),
                new Bad("manager: another store's sharer", "POST", packets, manager,
                        "{\"requestId\":\"bad-packet-5\",\"sharerMemberId\":\"" + other.get(0)
                                + "\",\"templateId\":\"red-packet-20\",\"shares\":2}", 404,
                        "not-found"),
                new Bad("malformed packet id", "GET", packets + "/not-a-packet", hq, null, 404,
                        "not-found"),
                new Bad("unknown packet", "GET", packets + "/RP0000000000000000", hq, null, 404,
                        "not-found"),
                new Bad("manager: another store's packet", "GET", packets + "/" + otherPacket,
                        manager, null, 404, "not-found"),
                new Bad("open without member", "POST", openings, hq, "{}", 400,
                        "invalid-request"),
                new Bad("open with an unknown field", "POST", openings, hq, "{\"memberId\":\""
                        + own.get(1) + "\",\"amountFen\":20000}", 400, "unknown-field"),
                new Bad("open for an unknown member", "POST", openings, hq,
                        "{\"memberId\":\"M-nobody\"}", 404, "not-found"),
                new Bad("open an unknown packet", "POST", packets + "/RP0000000000000000"
                        + "/openings", hq, "{\"memberId\":\"" + own.get(1) + "\"}", 404,
                        "not-found"),
                new Bad("operations key opens", "POST", openings, ops, "{\"memberId\":\""
                        + own.get(1) + "\"}", 403, "forbidden"),
                new Bad("manager opens for another store's member", "POST", openings, manager,
                        "{\"memberId\":\"" + other.get(0) + "\"}", 404, "not-found"),
                new Bad("manager opens another store's packet", "POST", packets + "/"
                        + otherPacket + "/openings", manager, "{\"memberId\":\"" + own.get(1)
                        + "\"}", 404, "not-found"),
                new Bad("wrong method", "PUT", packets + "/" + packetId, hq, "{}", 405,
                        "method-not-allowed"));
        return cases.stream().map(bad -> DynamicTest.dynamicTest(bad.name(), () -> {
            Http.Reply reply = http.send(bad.method(), bad.path(), bad.key(), bad.body(),
                    "application/json");
            assertThat(reply.status()).as(reply.body()).isEqualTo(bad.status());
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
            JsonObject problem = reply.json();
            assertThat(problem.getString("type")).isEqualTo(
                    "https://kassa.example/problems/" + bad.type());
            assertThat(problem.getString("detail")).isNotBlank();
            // Nothing was made or opened by a refused request.
            assertThat(engine.count("select count(*) from red_packet where request_id like"
                    + " 'bad-packet-%'")).isZero();
            assertThat(engine.count("select count(*) from red_packet_share where packet_id = '"
                    + packetId + "' and member_id is not null")).isZero();
        }));
    }
}
