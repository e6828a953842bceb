package io.kassa.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.kassa.engine.server.admin.ApiRole;
import io.kassa.loadtests.inprocess.InProcessKassa;
import io.kassa.peripherals.gateway.GatewaySimulatorOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Head office and store staff at work on the admin API ({@code /api/v1}, see its
 * openapi.json) at a target rate: member look-ups by code and id, points histories, points
 * adjustments, stored-value top-ups, registrations, coupon issuance, reports, reference data
 * and the audit log, plus the refusals a busy API sees — a read-only key trying to write
 * (403), a key that does not exist (401). Every reply's status is checked; money and points
 * writes carry a fresh requestId each, as a client's first attempt does.
 *
 * <p>Keys are made as the engine's tests make them (in process, through the admin port), one
 * HQ key per 10 requests/s of the rate so that none runs into the per-key rate limit (20/s)
 * that protects the API from one runaway client. {@code -Dkassa.admin.rate} (requests/s,
 * default 30), {@code -Dkassa.members} (default 500), {@code -Dkassa.duration},
 * {@code -Dkassa.ramp}.
 */
public class AdminApiSimulation extends Simulation {

    private static final double RATE = SimulationParameters.rate("kassa.admin.rate", 30);
    private static final int MEMBERS = SimulationParameters.integer("kassa.members", 500, 1,
            9_999);
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    private final InProcessKassa kassa = InProcessKassa.start("gatling_admin", MEMBERS,
            new GatewaySimulatorOptions());
    private final List<String> hqKeys = new ArrayList<>();
    private final String readOnlyKey = kassa.adminKey("ops dashboard", ApiRole.OPS_READ, Set.of());
    private final AtomicLong sequence = new AtomicLong();
    private final SplittableRandom random = new SplittableRandom(31);

    {
        for (int key = 0; key < Math.max(1, (int) Math.ceil(RATE / 10)); key++) {
            hqKeys.add(kassa.adminKey("head office " + key, ApiRole.HQ_ADMIN, Set.of()));
        }

        HttpProtocolBuilder api = http.baseUrl(kassa.httpBaseUrl() + "/api/v1")
                .acceptHeader("application/json").disableWarmUp().disableCaching();

        ChainBuilder mix = randomSwitch().on(
                percent(20).then(exec(http("find member by code")
                        .get("/members?code=#{memberCode}").header("Authorization", "#{bearer}")
                        .check(status().is(200), jsonPath("$.memberId").is(session -> session.getString("memberId"))))),
                percent(15).then(exec(http("member")
                        .get("/members/#{memberId}").header("Authorization", "#{bearer}")
                        .check(status().is(200)))),
                percent(10).then(exec(http("points history")
                        .get("/members/#{memberId}/points-history?from=#{from}&to=#{to}")
                        .header("Authorization", "#{bearer}")
                        .check(status().is(200), jsonPath("$.movements").exists()))),
                percent(10).then(exec(http("points adjustment")
                        .post("/members/#{memberId}/points-adjustments")
                        .header("Authorization", "#{bearer}")
                        .body(StringBody("{\"points\":10,\"reason\":\"goodwill, load test\","
                                + "\"requestId\":\"#{requestId}\"}")).asJson()
                        .check(status().is(200), jsonPath("$.replayed").is("false")))),
                percent(10).then(exec(http("stored-value top-up")
                        .post("/members/#{memberId}/stored-value-top-ups")
                        .header("Authorization", "#{bearer}")
                        .body(StringBody("{\"amountFen\":10000,\"storeId\":\"S001\","
                                + "\"requestId\":\"#{requestId}\"}")).asJson()
                        .check(status().is(200)))),
                percent(5).then(exec(http("register member").post("/members")
                        .header("Authorization", "#{bearer}")
                        .body(StringBody("{\"phone\":\"#{phone}\",\"homeStoreId\":\"S001\"}"))
                        .asJson().check(status().is(201)))),
                percent(5).then(exec(http("issue coupon")
                        .post("/members/#{memberId}/coupons")
                        .header("Authorization", "#{bearer}")
                        .body(StringBody("{\"templateId\":\"cash-5\"}")).asJson()
                        .check(status().is(201)))),
                percent(5).then(exec(http("report: points liability")
                        .get("/reports/points-liability").header("Authorization", "#{bearer}")
                        .check(status().is(200)))),
                percent(5).then(exec(http("report: coupon redemption")
                        .get("/reports/coupon-redemption").header("Authorization", "#{bearer}")
                        .check(status().is(200)))),
                percent(5).then(exec(http("reference: stores and coupon templates")
                        .get("/stores").header("Authorization", "#{bearer}")
                        .check(status().is(200)))
                        .exec(http("reference: stores and coupon templates")
                                .get("/coupon-templates").header("Authorization", "#{bearer}")
                                .check(status().is(200)))),
                percent(5).then(exec(http("audit log").get("/audit")
                        .header("Authorization", "#{bearer}").check(status().is(200)))),
                percent(3).then(exec(http("refused: read-only key writes")
                        .post("/members/#{memberId}/points-adjustments")
                        .header("Authorization", "Bearer " + readOnlyKey)
                        .body(StringBody("{\"points\":10,\"reason\":\"not allowed\","
                                + "\"requestId\":\"#{requestId}\"}")).asJson()
                        .check(status().is(403),
                                header("Content-Type").is("application/problem+json")))),
                percent(2).then(exec(http("refused: unknown key")
                        .get("/members/#{memberId}")
                        .header("Authorization", "Bearer kassa_nosuchkey_0123456789abcdef")
                        .check(status().is(401),
                                header("Content-Type").is("application/problem+json")))));

        ScenarioBuilder staff = scenario("admin API mix")
                .exec(this::oneRequestsData)
                .exec(mix);

        setUp(staff.injectOpen(
                rampUsersPerSec(1).to(RATE).during(Math.max(1, SimulationParameters.rampSeconds())),
                constantUsersPerSec(RATE).during(SimulationParameters.durationSeconds())
                        .randomized()))
                .protocols(api)
                .assertions(global().failedRequests().count().is(0L));
    }

    private static ChainBuilder exec(io.gatling.javaapi.core.ActionBuilder action) {
        return io.gatling.javaapi.core.CoreDsl.exec(action);
    }

    /** What one request needs: a demo member, a key, fresh ids and a time range. */
    private Session oneRequestsData(Session session) {
        long number = sequence.incrementAndGet();
        int member;
        synchronized (random) {
            member = 1 + random.nextInt(MEMBERS);
        }
        Instant now = Instant.now();
        return session.set("memberCode", String.format("member-%04d", member))
                .set("memberId", String.format("demo-%04d", member))
                .set("bearer", "Bearer " + hqKeys.get((int) (number % hqKeys.size())))
                .set("requestId", "load-" + RUN + "-" + number)
                // Unique within the run; every run has a schema of its own.
                .set("phone", String.format("139%08d", number % 100_000_000L))
                .set("from", now.minus(Duration.ofDays(30)).toString())
                .set("to", now.plusSeconds(60).toString());
    }

    @Override
    public void after() {
        try {
            System.out.printf("admin simulation: %d audit rows written%n",
                    kassa.count("select count(*) from admin_audit"));
        } catch (RuntimeException noSuchTable) {
            System.out.println("admin simulation: " + noSuchTable.getMessage());
        } finally {
            kassa.close();
        }
    }
}
