package io.kassa.engine.server.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.admin.ApiRole;
import io.kassa.engine.server.testing.Http;
import io.kassa.engine.server.testing.TestEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Test support for exchange rushes over HTTP: members with points, API keys enough that no key
 * meets the admin API's rate limit (20 per second, bursts of 40 per key), and many exchange
 * requests sent at once from a thread pool, each answer kept.
 */
final class ExchangeRush {

    /** Requests one key sends in a rush: within the rate limiter's burst of 40. */
    static final int REQUESTS_PER_KEY = 25;

    private final TestEngine engine;
    private final Http http;
    private String hq;
    private int hqUses = REQUESTS_PER_KEY;

    ExchangeRush(TestEngine engine, Http http) {
        this.engine = engine;
        this.http = http;
    }

    /** An HQ key for one more request: a fresh one before the last meets the rate limit. */
    synchronized String hq() {
        if (hqUses++ >= REQUESTS_PER_KEY) {
            hq = key("hq", ApiRole.HQ_ADMIN);
            hqUses = 1;
        }
        return hq;
    }

    String key(String name, ApiRole role, String... stores) {
        try {
            return engine.engine().operations().admin().createKey(name, role, Set.of(stores))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code count} members of {@code storeId}, each given {@code points} more points. */
    List<String> members(String storeId, int count, long points, String tag) {
        List<String> members = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            Http.Reply registered = http.post("/api/v1/members", hq(), "{\"phone\":\"13"
                    + tag + String.format("%07d", index) + "\",\"homeStoreId\":\"" + storeId
                    + "\"}");
            assertThat(registered.status()).as(registered.body()).isEqualTo(201);
            String member = registered.json().getString("memberId");
            members.add(member);
            if (points == 0) {
                continue;
            }
            Http.Reply adjusted = http.post("/api/v1/members/" + member + "/points-adjustments",
                    hq(), "{\"points\":" + points + ",\"reason\":\"exchange rush\","
                            + "\"requestId\":\"rush-" + tag + "-" + index + "\"}");
            assertThat(adjusted.status()).as(adjusted.body()).isEqualTo(200);
        }
        return members;
    }

    /** HQ keys enough for {@code requests} requests. */
    List<String> keys(int requests) {
        List<String> keys = new ArrayList<>();
        for (int index = 0; index * REQUESTS_PER_KEY < requests; index++) {
            keys.add(key("rush-" + index, ApiRole.HQ_ADMIN));
        }
        return keys;
    }

    /** One exchange request. */
    Http.Reply exchange(String key, String member, String offerId, String exchangeId) {
        return http.post("/api/v1/members/" + member + "/points-exchanges", key,
                "{\"offerId\":\"" + offerId + "\",\"exchangeId\":\"" + exchangeId + "\"}");
    }

    /** One exchange request of a rush and its answer. */
    record Sent(String memberId, String exchangeId, Http.Reply reply) {
    }

    /**
     * Request {@code index} exchanges {@code offerId} for member {@code index % members}
     * under exchange id {@code prefix-index}; all are released at once from {@code threads}
     * threads. {@code during} runs once {@code duringAfter} requests were answered.
     */
    List<Sent> send(String offerId, List<String> members, List<String> keys, int requests,
            String prefix, int threads, int duringAfter, Runnable during) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(duringAfter);
        try {
            List<Future<Sent>> futures = new ArrayList<>(requests);
            for (int index = 0; index < requests; index++) {
                String member = members.get(index % members.size());
                String key = keys.get(index % keys.size());
                String exchangeId = prefix + "-" + index;
                futures.add(pool.submit(() -> {
                    start.await();
                    Http.Reply reply = http.post("/api/v1/members/" + member
                            + "/points-exchanges", key, "{\"offerId\":\"" + offerId
                                    + "\",\"exchangeId\":\"" + exchangeId + "\"}");
                    answered.countDown();
                    return new Sent(member, exchangeId, reply);
                }));
            }
            start.countDown();
            if (during != null) {
                assertThat(answered.await(120, TimeUnit.SECONDS)).isTrue();
                during.run();
            }
            List<Sent> sent = new ArrayList<>(requests);
            for (Future<Sent> future : futures) {
                sent.add(future.get(180, TimeUnit.SECONDS));
            }
            return sent;
        } finally {
            pool.shutdownNow();
        }
    }

    static long count(List<Sent> sent, int status) {
        return sent.stream().filter(one -> one.reply().status() == status).count();
    }

    /** Every answer is a 201 exchange or a 409 sold-out problem, nothing else. */
    static void onlyExchangedOrSoldOut(List<Sent> sent) {
        for (Sent one : sent) {
            assertThat(one.reply().status()).as(one.reply().body()).isIn(201, 409);
            if (one.reply().status() == 409) {
                assertThat(one.reply().contentType()).isEqualTo("application/problem+json");
                assertThat(one.reply().json().getString("type"))
                        .isEqualTo("https://kassa.example/problems/sold-out");
            }
        }
    }
}
