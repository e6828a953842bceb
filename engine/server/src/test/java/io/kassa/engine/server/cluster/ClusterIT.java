package io.kassa.engine.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.InvariantCheckCommand;
import io.kassa.engine.server.KassaEngine;
import io.kassa.engine.server.redis.EmbeddedRedisServer;
import io.kassa.engine.server.testing.EngineProcess;
import io.kassa.engine.server.testing.Http;
import io.kassa.engine.server.testing.TestServices;
import io.kassa.peripherals.gateway.GatewaySimulator;
import io.kassa.peripherals.gateway.GatewaySimulatorOptions;
import io.kassa.peripherals.gateway.TradePlan;
import io.kassa.peripherals.scanner.PaymentCodeScanner;
import io.kassa.peripherals.scanner.Wallet;
import io.kassa.peripherals.sdk.TerminalClient;
import io.kassa.peripherals.sdk.TerminalClientOptions;
import io.kassa.protocol.TerminalAuthentication;
import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.CheckoutStatus;
import io.kassa.protocol.v1.Push;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three engine nodes as they ship — the packaged jar, each in a JVM of its own — form one
 * Hazelcast cluster on loopback over the shared PostgreSQL and Redis, and behave as one
 * system: a configuration change made on one node is priced with on every node within a
 * second (and by a node that joins later); a payment decided on one node, with the gateway
 * calling back to a second, reaches its terminal on a third.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    static final String SEED = "cluster-it-terminal-seed";
    static final String ADMIN_KEY = "cluster-it-bootstrap-key-0123456789abcdef";
    static final String STORE = "store-001";
    static final int NODES = 3;

    final List<EngineProcess> nodes = new ArrayList<>();
    final int[] terminalPorts = new int[NODES];
    final int[] httpPorts = new int[NODES];
    final int[] clusterPorts = new int[NODES];
    String schema;
    // A Redis of this test's own: the reconciler compares every member key in it with this
    // schema's ledger, and other test JVMs on this machine may share a database of the
    // machine's Redis.
    EmbeddedRedisServer redis;
    Vertx vertx;
    GatewaySimulator simulator;
    final PaymentCodeScanner scanner = new PaymentCodeScanner(42);

    @BeforeAll
    void startTwoOfThreeNodes() throws Exception {
        schema = TestServices.freshSchema("cluster");
        redis = EmbeddedRedisServer.start();
        vertx = Vertx.vertx();
        simulator = await(GatewaySimulator.start(vertx, new GatewaySimulatorOptions()
                .setPort(0).setKeysDirectory(Path.of("target", "cluster-it-gateway-keys"))));
        for (int node = 0; node < NODES; node++) {
            terminalPorts[node] = EngineProcess.freePort();
            httpPorts[node] = EngineProcess.freePort();
            clusterPorts[node] = EngineProcess.freePort();
        }
        // The gateway calls back to the third node, whichever node took the payment.
        simulator.setCallbackUrl("http://127.0.0.1:" + httpPorts[2]);
        // Two nodes now; the third joins late (see the configuration test).
        nodes.add(EngineProcess.start("kassa-1", environment(0)));
        nodes.add(EngineProcess.start("kassa-2", environment(1)));
        for (EngineProcess node : nodes) {
            node.awaitLine("demo members created", 120);
        }
    }

    @AfterAll
    void stopAll() throws Exception {
        for (EngineProcess node : nodes) {
            node.close();
        }
        if (vertx != null) {
            await(vertx.close());
        }
        TestServices.dropSchema(schema);
        if (redis != null) {
            redis.close();
        }
    }

    Map<String, String> environment(int node) {
        Map<String, String> environment = new HashMap<>();
        environment.put("KASSA_PG_URL", TestServices.postgresUrl());
        environment.put("KASSA_PG_SCHEMA", schema);
        environment.put("KASSA_REDIS_URL", redis.url());
        environment.put("KASSA_NODE_ID", "kassa-" + (node + 1));
        environment.put("KASSA_TERMINAL_HOST", "127.0.0.1");
        environment.put("KASSA_TERMINAL_PORT", Integer.toString(terminalPorts[node]));
        environment.put("KASSA_HTTP_HOST", "127.0.0.1");
        environment.put("KASSA_HTTP_PORT", Integer.toString(httpPorts[node]));
        environment.put("KASSA_CLUSTER_HOST", "127.0.0.1");
        environment.put("KASSA_CLUSTER_PORT", Integer.toString(clusterPorts[node]));
        environment.put("KASSA_CLUSTER_MEMBERS", "127.0.0.1:" + clusterPorts[0]
                + ",127.0.0.1:" + clusterPorts[1] + ",127.0.0.1:" + clusterPorts[2]);
        environment.put("KASSA_DEMO_TERMINAL_SECRET_SEED", SEED);
        environment.put("KASSA_DEMO_MEMBERS", "60");
        environment.put(KassaEngine.SCRATCH_DATABASE_VARIABLE,
                KassaEngine.SCRATCH_DATABASE_ACKNOWLEDGED);
        environment.put("KASSA_PAYMENT_KEYS_DIR",
                simulator.engineKeysDirectory().toAbsolutePath().toString());
        environment.put("KASSA_ADMIN_BOOTSTRAP_KEY", ADMIN_KEY);
        environment.put("KASSA_ADMIN_RATE_PER_SECOND", "100000");
        environment.put("KASSA_ADMIN_RATE_BURST", "100000");
        environment.put("KASSA_CHECKOUT_ANSWER_WITHIN_MILLIS", "500");
        return environment;
    }

    @Test
    @Order(1)
    void aConfigurationChangeIsPricedWithEverywhereWithinASecondAndByALateJoiner()
            throws Exception {
        Http first = new Http(httpPorts[0]);
        Http second = new Http(httpPorts[1]);
        JsonObject current = first.get("/api/v1/rules", ADMIN_KEY).json();
        long version = current.getLong("version");
        assertThat(second.get("/api/v1/rules", ADMIN_KEY).json().getLong("version"))
                .isEqualTo(version);
        TerminalClient onSecond = connect(1, "T-cfg");
        long pointsBefore = await(onSecond.quote(memberBasket())).getPointsToEarn();

        // HQ triples the earning rate of groceries, on the first node.
        JsonObject rules = current.getJsonObject("rules");
        rules.getJsonObject("categories").getJsonObject("grocery").put("pointsPerYuan", 3);
        Http.Reply stored = first.send("PUT", "/api/v1/rules", ADMIN_KEY, new JsonObject()
                .put("expectedVersion", version).put("rules", rules)
                .put("note", "double points week").encode(), "application/json");
        long storedAt = System.nanoTime();
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        assertThat(stored.json().getLong("version")).isEqualTo(version + 1);

        long seenAfterMillis = -1;
        while (System.nanoTime() - storedAt < TimeUnit.SECONDS.toNanos(5)) {
            if (second.get("/api/v1/rules", ADMIN_KEY).json().getLong("version")
                    == version + 1) {
                seenAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - storedAt);
                break;
            }
            Thread.sleep(10);
        }
        System.out.println("configuration version seen on the second node after "
                + seenAfterMillis + " ms");
        assertThat(seenAfterMillis).as("ms until the second node had the new version")
                .isBetween(0L, 1_000L);
        assertThat(await(onSecond.quote(memberBasket())).getPointsToEarn())
                .as("points the second node prices after the change")
                .isGreaterThan(pointsBefore);
        await(onSecond.close());

        // A stale edit is refused, not applied over the newer version.
        Http.Reply stale = second.send("PUT", "/api/v1/rules", ADMIN_KEY, new JsonObject()
                .put("expectedVersion", version).put("rules", rules).encode(),
                "application/json");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.json().getString("type")).endsWith("/stale-version");

        // The third node joins now and prices with the current version from its start.
        nodes.add(EngineProcess.start("kassa-3", environment(2)));
        nodes.get(2).awaitLine("demo members created", 120);
        assertThat(new Http(httpPorts[2]).get("/api/v1/rules", ADMIN_KEY).json()
                .getLong("version")).isEqualTo(version + 1);
        for (int node = 0; node < NODES; node++) {
            JsonObject ready = new Http(httpPorts[node]).get("/health/ready", null).json();
            assertThat(ready.getString("status")).as("node " + node + " ready").isEqualTo("UP");
        }
        awaitMembers(NODES);
    }

    @Test
    @Order(2)
    void aPaymentDecidedOnOneNodeReachesItsTerminalOnAnother() throws Exception {
        String sale = "roam-" + System.nanoTime();
        String code = scanner.next(Wallet.WECHAT_PAY);
        // The customer confirms on the phone 3 s after the scan; the gateway then calls back
        // to the third node.
        simulator.plan(code, TradePlan.userPaying(3_000));
        TerminalClient onFirst = connect(0, "T-roam");
        BasketLine line = BasketLine.newBuilder().setSku("tea").setCategory("grocery")
                .setUnitPriceFen(2_350).setQuantity(2).build();
        QuoteResponse quote = await(onFirst.quote(QuoteRequest.newBuilder().setCurrency("CNY")
                .addLines(line).build()));
        CheckoutResponse pending = await(onFirst.checkout(CheckoutRequest.newBuilder()
                .setSaleId(sale).setCurrency("CNY").addLines(line)
                .addTenders(Tender.newBuilder().setType(TenderType.WECHAT_PAY)
                        .setAmountFen(quote.getPayableFen()).setPaymentCode(code))
                .build()));
        assertThat(pending.getStatus()).isEqualTo(CheckoutStatus.PAYMENT_PENDING);

        // The terminal moves to the second node while the customer is still paying.
        await(onFirst.close());
        List<Push> pushes = new CopyOnWriteArrayList<>();
        List<Long> receivedAtMillis = new CopyOnWriteArrayList<>();
        TerminalClient onSecond = connect(1, "T-roam", push -> {
            pushes.add(push);
            receivedAtMillis.add(System.currentTimeMillis());
        });

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pushes.stream().noneMatch(Push::hasPaymentUpdate)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Push update = pushes.stream().filter(Push::hasPaymentUpdate).findFirst()
                .orElseThrow(() -> new AssertionError("no payment update on the second node;"
                        + " pushes: " + pushes));
        assertThat(update.getPaymentUpdate().getSaleId()).isEqualTo(sale);
        assertThat(update.getPaymentUpdate().getStatus()).isEqualTo(CheckoutStatus.COMMITTED);
        long committedAt = update.getPaymentUpdate().getCheckout().getCommittedAtMillis();
        long lag = receivedAtMillis.get(pushes.indexOf(update)) - committedAt;
        System.out.println("payment update reached the terminal on another node " + lag
                + " ms after the commit");
        assertThat(lag).as("ms from the commit to the push on another node").isLessThan(2_000);
        // The simulator calls back only to the third node's URL (set above): it accepted.
        // (The notification may land after the engine's own query found the payment.)
        long notifiedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (simulator.deliveries().isEmpty() && System.nanoTime() < notifiedBy) {
            Thread.sleep(50);
        }
        assertThat(simulator.deliveries()).as("notifications answered by the third node")
                .anySatisfy(delivery -> {
                    assertThat(delivery.channel()).isEqualTo("wechatpay");
                    assertThat(delivery.status()).isIn(200, 204);
                });
        await(onSecond.close());
    }

    /**
     * A limited exchange offer — stock 100 — wanted 1,000 times at once through every node:
     * exactly 100 exchanges succeed, the other 900 are told sold out, and the ledger agrees.
     */
    @Test
    @Order(3)
    void aChainWideQuotaIsNeverOversoldFromEveryNode() throws Exception {
        Http first = new Http(httpPorts[0]);
        JsonObject current = first.get("/api/v1/rules", ADMIN_KEY).json();
        JsonObject rules = current.getJsonObject("rules");
        rules.getJsonArray("couponExchanges").add(new JsonObject().put("id", "flash-100")
                .put("pointsCost", 10).put("couponTemplateId", "cash-5").put("stock", 100));
        Http.Reply stored = first.send("PUT", "/api/v1/rules", ADMIN_KEY, new JsonObject()
                .put("expectedVersion", current.getLong("version")).put("rules", rules)
                .encode(), "application/json");
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        long version = stored.json().getLong("version");
        for (int node = 1; node < NODES; node++) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (new Http(httpPorts[node]).get("/api/v1/rules", ADMIN_KEY).json()
                    .getLong("version") != version) {
                assertThat(System.nanoTime()).as("node " + node + " has the offer")
                        .isLessThan(deadline);
                Thread.sleep(20);
            }
        }
        List<String> members = new ArrayList<>();
        for (int index = 31; index <= 60; index++) {
            String member = String.format("demo-%04d", index);
            members.add(member);
            Http.Reply granted = first.post("/api/v1/members/" + member + "/points-adjustments",
                    ADMIN_KEY, new JsonObject().put("points", 1_000)
                            .put("reason", "flash sale test").put("requestId", "grant-" + member)
                            .encode());
            assertThat(granted.status()).as(granted.body()).isIn(200, 201);
        }

        // Member data changed through one node is what another node's next quote reads.
        TerminalClient onThird = connect(2, "T-member");
        QuoteResponse seen = await(onThird.quote(QuoteRequest.newBuilder().setCurrency("CNY")
                .setMemberCode("member-0031").addLines(BasketLine.newBuilder().setSku("tea")
                        .setCategory("grocery").setUnitPriceFen(500).setQuantity(1))
                .build()));
        assertThat(seen.getMember().getPointsBalance()).as("points granted on the first node,"
                + " seen by the third").isGreaterThanOrEqualTo(1_000);
        await(onThird.close());

        long cash5Before = TestServices.count(schema, "select count(*) from coupon where"
                + " template_id = 'cash-5' and member_id >= 'demo-0031'");
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .executor(java.util.concurrent.Executors.newFixedThreadPool(32)).build();
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> wanted =
                new ArrayList<>();
        int demand = 1_000;
        for (int index = 0; index < demand; index++) {
            int node = index % NODES;
            String member = members.get(index % members.size());
            wanted.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                            "http://127.0.0.1:" + httpPorts[node] + "/api/v1/members/" + member
                                    + "/points-exchanges"))
                    .timeout(java.time.Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + ADMIN_KEY)
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject()
                            .put("offerId", "flash-100")
                            .put("exchangeId", String.format("flash-%04d", index))
                            .encode()))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (var response : wanted) {
            statuses.merge(response.get(90, TimeUnit.SECONDS).statusCode(), 1, Integer::sum);
        }
        System.out.println("1,000 exchanges of a stock of 100 over three nodes: " + statuses);
        assertThat(statuses).isEqualTo(Map.of(201, 100, 409, demand - 100));
        assertThat(TestServices.count(schema, "select count(*) from coupon where template_id ="
                + " 'cash-5' and member_id >= 'demo-0031'") - cash5Before)
                .as("coupons issued to the rushing members").isEqualTo(100);
        assertThat(TestServices.count(schema, "select taken from points_exchange_quota where"
                + " offer_id = 'flash-100'")).as("the quota row").isEqualTo(100);
        assertThat(TestServices.count(schema, "select count(*) from points_exchange where"
                + " offer_id = 'flash-100'")).as("exchanges recorded").isEqualTo(100);
    }

    /**
     * kill -9 of one of three nodes while terminals on every node sell to members (stored
     * value, so every sale moves money in Redis and PostgreSQL): the terminals of the dead
     * node reconnect to the others and resend what was in flight under the same sale ids;
     * its holds and intents are left to the survivors. Every sale a terminal was told was
     * committed is in the ledger once (0 lost), no sale is recorded twice (0 double-spent),
     * and the invariant checker finds the ledger balanced and Redis equal to it.
     */
    @Test
    @Order(4)
    void killingANodeUnderLoadLosesAndDoublesNothing() throws Exception {
        int terminals = 12;
        List<RoamingTerminal> fleet = new ArrayList<>();
        for (int index = 0; index < terminals; index++) {
            fleet.add(new RoamingTerminal("T-load-" + index, index % NODES,
                    "member-" + String.format("%04d", 10 + index)));
        }
        List<Thread> threads = new ArrayList<>();
        for (RoamingTerminal terminal : fleet) {
            Thread thread = new Thread(terminal, terminal.terminalId);
            thread.start();
            threads.add(thread);
        }
        Thread.sleep(3_000);
        // A scanned-code sale in flight on the node about to die: the customer confirms on the
        // phone after the node is gone, and the gateway's notification lands on the third.
        String paidSale = "inflight-" + System.nanoTime();
        String code = scanner.next(Wallet.WECHAT_PAY);
        simulator.plan(code, TradePlan.userPaying(1_500));
        TerminalClient payer = connect(0, "T-inflight");
        BasketLine line = BasketLine.newBuilder().setSku("tea").setCategory("grocery")
                .setUnitPriceFen(1_980).setQuantity(1).build();
        QuoteResponse quote = await(payer.quote(QuoteRequest.newBuilder().setCurrency("CNY")
                .addLines(line).build()));
        CheckoutRequest paying = CheckoutRequest.newBuilder().setSaleId(paidSale)
                .setCurrency("CNY").addLines(line)
                .addTenders(Tender.newBuilder().setType(TenderType.WECHAT_PAY)
                        .setAmountFen(quote.getPayableFen()).setPaymentCode(code))
                .build();
        assertThat(await(payer.checkout(paying)).getStatus())
                .isEqualTo(CheckoutStatus.PAYMENT_PENDING);
        long committedBeforeKill = fleet.stream().mapToLong(t -> t.committed.size()).sum();
        System.out.println("before the kill: " + fleet.stream().map(t -> t.terminalId + " "
                + t.attempted + "/" + t.committed.size() + " " + t.refusals).toList());
        nodes.get(0).kill();
        System.out.println("killed kassa-1 after " + committedBeforeKill + " committed sales");
        Thread.sleep(8_000);
        fleet.forEach(RoamingTerminal::stop);
        for (Thread thread : threads) {
            thread.join(120_000);
        }

        long attempted = fleet.stream().mapToLong(t -> t.attempted).sum();
        List<String> committed = fleet.stream().flatMap(t -> t.committed.stream()).toList();
        long failedCleanly = fleet.stream().mapToLong(t -> t.failedCleanly).sum();
        long moves = fleet.stream().mapToLong(t -> t.reconnects).sum();

        // Lost: told committed, not in the ledger. Doubled: one sale id committed twice.
        long lost = 0;
        for (String sale : committed) {
            long rows = TestServices.count(schema, "select count(*) from sales_order where"
                    + " sale_id = '" + sale + "' and status = 'COMMITTED'");
            if (rows != 1) {
                lost++;
                System.out.println("sale " + sale + " has " + rows + " committed rows");
            }
        }
        long doubled = TestServices.count(schema, "select count(*) from (select sale_id from"
                + " sales_order where sale_id like 'load-%' group by store_id, terminal_id,"
                + " sale_id having count(*) > 1) d");
        Map<String, Integer> refusals = new java.util.TreeMap<>();
        fleet.forEach(t -> t.refusals.forEach((what, n) -> refusals.merge(what, n,
                Integer::sum)));
        System.out.println("refusals: " + refusals);
        System.out.printf("node loss: %d attempted, %d committed, %d failed cleanly,"
                + " %d lost, %d doubled, %d reconnects%n", attempted, committed.size(),
                failedCleanly, lost, doubled, moves);
        assertThat((long) committed.size()).as("sales committed")
                .isGreaterThan(committedBeforeKill);
        assertThat(committedBeforeKill).as("sales committed before the kill").isPositive();
        assertThat(moves).as("terminals that moved to another node").isPositive();
        assertThat(lost).as("sales told committed but not in the ledger").isZero();
        assertThat(doubled).as("sales recorded twice").isZero();

        // The dead node's payment: a survivor's janitor takes its intent once its lease runs
        // out and settles it; the till, resending the sale to a survivor, learns the outcome.
        // Either way the customer is charged exactly when the sale committed.
        TerminalClient resent = connect(1, "T-inflight");
        long resolveBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        CheckoutStatus outcome = null;
        long startedResolving = System.nanoTime();
        while (System.nanoTime() < resolveBy) {
            if (TestServices.count(schema, "select count(*) from payment_intent where sale_id = '"
                    + paidSale + "' and state in ('created', 'sent', 'unknown', 'querying',"
                    + " 'reversing')") == 0) {
                try {
                    outcome = await(resent.checkout(paying)).getStatus();
                } catch (Exception refused) {
                    outcome = CheckoutStatus.PAYMENT_FAILED;
                }
                if (outcome != CheckoutStatus.PAYMENT_PENDING) {
                    break;
                }
            }
            Thread.sleep(1_000);
        }
        await(resent.close());
        System.out.println("the dead node's payment settled by a survivor after "
                + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedResolving)
                + " s: " + outcome + "; intents " + intentStates(paidSale));
        assertThat(outcome).as("the resent sale's final answer").isNotNull()
                .isNotEqualTo(CheckoutStatus.PAYMENT_PENDING);
        boolean committedSale = TestServices.count(schema, "select count(*) from sales_order"
                + " where sale_id = '" + paidSale + "' and status = 'COMMITTED'") == 1;
        assertThat(charged(paidSale)).as("charged exactly when committed")
                .isEqualTo(committedSale);
        assertThat(outcome == CheckoutStatus.COMMITTED).as("told committed exactly when"
                + " committed").isEqualTo(committedSale);

        // The survivors fence and release the dead node's holds (the hold janitor), then the
        // checker finds every invariant holding.
        StringBuilder report = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        int status;
        do {
            report.setLength(0);
            status = checkInvariants(report);
            if (status != 0) {
                Thread.sleep(2_000);
            }
        } while (status != 0 && System.nanoTime() < deadline);
        System.out.println(report);
        assertThat(status).as(report.toString()).isZero();
    }

    /**
     * A terminal that sells to one member in a loop, on the node it started on until that node
     * is gone, then on the next one: a request in flight across the loss is resent under the
     * same sale id, as the SDK does, until it gets an answer.
     */
    final class RoamingTerminal implements Runnable {
        final String terminalId;
        final String memberCode;
        int node;
        volatile boolean running = true;
        long attempted;
        long failedCleanly;
        long reconnects;
        boolean connectedOnce;
        final Map<String, Integer> refusals = new java.util.concurrent.ConcurrentHashMap<>();
        final List<String> committed = new ArrayList<>();
        TerminalClient client;

        RoamingTerminal(String terminalId, int node, String memberCode) {
            this.terminalId = terminalId;
            this.node = node;
            this.memberCode = memberCode;
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            int sequence = 0;
            try {
                while (running) {
                    String sale = "load-" + terminalId + "-" + (++sequence);
                    attempted++;
                    BasketLine milk = BasketLine.newBuilder().setSku("milk")
                            .setCategory("dairy").setUnitPriceFen(350).setQuantity(1).build();
                    CheckoutRequest.Builder request = CheckoutRequest.newBuilder()
                            .setSaleId(sale).setCurrency("CNY").setMemberCode(memberCode)
                            .addLines(milk);
                    Thread.sleep(50);
                    boolean quoted = false;
                    long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                    while (true) {
                        try {
                            if (client == null || !client.isConnected()) {
                                client = connectSomewhere();
                            }
                            if (!quoted) {
                                QuoteResponse quote = client.quote(QuoteRequest.newBuilder()
                                                .setCurrency("CNY").setMemberCode(memberCode)
                                                .addLines(milk).build())
                                        .toCompletionStage().toCompletableFuture()
                                        .get(30, TimeUnit.SECONDS);
                                if (quote.getPayableFen() > 0) {
                                    // (a member coupon may pay for it all: no tender then)
                                    request.addTenders(Tender.newBuilder()
                                            .setType(TenderType.STORED_VALUE)
                                            .setAmountFen(quote.getPayableFen()));
                                }
                                quoted = true;
                            }
                            CheckoutResponse response = client.checkout(request.build())
                                    .toCompletionStage().toCompletableFuture()
                                    .get(30, TimeUnit.SECONDS);
                            if (response.getStatus() == CheckoutStatus.COMMITTED) {
                                committed.add(sale);
                            } else {
                                failedCleanly++;
                                refusals.merge(response.getStatus().name(), 1, Integer::sum);
                            }
                            break;
                        } catch (java.util.concurrent.ExecutionException e) {
                            if (e.getCause() instanceof io.kassa.peripherals.sdk
                                    .TerminalErrorException refused
                                    && refused.code() != io.kassa.protocol.v1.ErrorCode.UNAVAILABLE
                                    && refused.code() != io.kassa.protocol.v1.ErrorCode.INTERNAL
                                    && refused.code() != io.kassa.protocol.v1.ErrorCode.BUSY
                                    && refused.code()
                                            != io.kassa.protocol.v1.ErrorCode.RATE_LIMITED) {
                                failedCleanly++;
                                refusals.merge(refused.code().name(), 1, Integer::sum);
                                break;
                            }
                            // The connection or the node is gone: the same sale, elsewhere.
                            refusals.merge("resent after " + (e.getCause()
                                    instanceof io.kassa.peripherals.sdk.TerminalErrorException
                                    refused ? refused.code().name()
                                    : e.getCause().getClass().getSimpleName()), 1, Integer::sum);
                            if (e.getCause() instanceof io.kassa.peripherals.sdk
                                    .TerminalErrorException refused && !refused.fatal()) {
                                Thread.sleep(200);
                            } else {
                                dropClient();
                            }
                        } catch (java.util.concurrent.TimeoutException e) {
                            refusals.merge("resent after a timeout", 1, Integer::sum);
                            dropClient();
                        }
                        if (System.nanoTime() > giveUpAt) {
                            throw new AssertionError(terminalId + ": no answer for " + sale);
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(terminalId + " failed", e);
            } finally {
                dropClient();
            }
        }

        void dropClient() {
            if (client != null) {
                client.close();
                client = null;
            }
        }

        TerminalClient connectSomewhere() throws Exception {
            for (int attempt = 0; ; attempt++) {
                int candidate = (node + attempt) % NODES;
                if (candidate >= nodes.size() || !nodes.get(candidate).process().isAlive()) {
                    continue;
                }
                try {
                    TerminalClient connected = connect(candidate, terminalId);
                    if (connectedOnce) {
                        reconnects++;
                    }
                    connectedOnce = true;
                    node = candidate;
                    return connected;
                } catch (Exception refused) {
                    Thread.sleep(200);
                }
                if (attempt > 50) {
                    throw new IllegalStateException(terminalId + " cannot connect anywhere");
                }
            }
        }
    }

    /** Whether the gateway holds the customer's money for {@code saleId} (net of refunds). */
    boolean charged(String saleId) throws Exception {
        try (var connection = TestServices.jdbc(schema);
                var statement = connection.prepareStatement(
                        "select channel, out_trade_no from payment_intent where sale_id = ?")) {
            statement.setString(1, saleId);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    var trade = simulator.trade(rows.getString(1), rows.getString(2));
                    if (trade.isPresent() && trade.get().paid()
                            && trade.get().refundedFen() < trade.get().amountFen()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    String intentStates(String saleId) throws Exception {
        List<String> states = new ArrayList<>();
        try (var connection = TestServices.jdbc(schema);
                var statement = connection.prepareStatement(
                        "select out_trade_no, state from payment_intent where sale_id = ?")) {
            statement.setString(1, saleId);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    states.add(rows.getString(1) + "=" + rows.getString(2));
                }
            }
        }
        return states.toString();
    }

    static QuoteRequest memberBasket() {
        return QuoteRequest.newBuilder().setCurrency("CNY").setMemberCode("member-0002")
                .addLines(BasketLine.newBuilder().setSku("rice").setCategory("grocery")
                        .setUnitPriceFen(12_000).setQuantity(1))
                .build();
    }

    void awaitMembers(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int node = 0; node < nodes.size(); node++) {
            if (!nodes.get(node).process().isAlive()) {
                continue;
            }
            while (true) {
                JsonObject ready = new Http(httpPorts[node]).get("/health/ready", null).json();
                int members = -1;
                for (Object check : ready.getJsonArray("checks", new JsonArray())) {
                    JsonObject entry = (JsonObject) check;
                    if ("cluster".equals(entry.getString("id")) && entry.getJsonObject("data")
                            != null) {
                        members = entry.getJsonObject("data").getInteger("members", -1);
                    }
                }
                if (members == count) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("node " + node + " sees " + members
                            + " members, not " + count + ": " + ready.encode());
                }
                Thread.sleep(100);
            }
        }
    }

    TerminalClient connect(int node, String terminalId) throws Exception {
        return connect(node, terminalId, push -> { });
    }

    TerminalClient connect(int node, String terminalId,
            java.util.function.Consumer<Push> pushes) throws Exception {
        TerminalClient client = TerminalClient.create(vertx, new TerminalClientOptions()
                .setHost("127.0.0.1").setPort(terminalPorts[node]).setStoreId(STORE)
                .setTerminalId(terminalId)
                .setSecret(TerminalAuthentication.demoSecret(SEED, STORE, terminalId)));
        client.onPush(pushes);
        await(client.connect());
        return client;
    }

    /** Runs the invariant checker as an operator would, against the cluster's data. */
    int checkInvariants(StringBuilder report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = InvariantCheckCommand.run(Map.of("KASSA_PG_URL", TestServices.postgresUrl(),
                        "KASSA_PG_SCHEMA", schema, "KASSA_REDIS_URL", redis.url()),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        report.append(out.toString(StandardCharsets.UTF_8));
        return status;
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
