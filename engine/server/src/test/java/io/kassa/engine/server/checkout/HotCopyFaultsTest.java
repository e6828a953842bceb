package io.kassa.engine.server.checkout;

import static io.kassa.engine.server.checkout.MemberCheckoutFixture.await;
import static io.kassa.engine.server.checkout.MemberCheckoutFixture.tender;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.checkout.MemberBalances.FinishResult;
import io.kassa.engine.server.checkout.MemberBalances.HoldCommit;
import io.kassa.engine.server.checkout.MemberBalances.HoldEntry;
import io.kassa.engine.server.checkout.MemberBalances.HoldRequest;
import io.kassa.engine.server.checkout.MemberBalances.HoldView;
import io.kassa.engine.server.checkout.MemberBalances.HotMember;
import io.kassa.engine.server.checkout.MemberBalances.MemberRecord;
import io.kassa.engine.server.checkout.MemberBalances.ReserveResult;
import io.kassa.engine.server.redis.EmbeddedRedisServer;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What happens to member balances when things break between the two stores: a crash right
 * after the PostgreSQL commit (the outbox applies the hold's commit once), Redis losing
 * everything under load (a new generation, members reloaded from the ledger, balances exact),
 * and a hold abandoned past its deadline (fenced, released, and its sale can no longer
 * commit). Runs on a Redis of its own, since it flushes it.
 */
class HotCopyFaultsTest {

    private static EmbeddedRedisServer redisServer;
    private static MemberCheckoutFixture fixture;
    private static final AtomicBoolean crashBeforeRedisCommit = new AtomicBoolean();

    @BeforeAll
    static void start() throws Exception {
        redisServer = EmbeddedRedisServer.start();
        fixture = new MemberCheckoutFixture(redisServer.url(), CrashPoint::new);
    }

    @AfterAll
    static void stop() throws Exception {
        // Whatever the tests did, the money still adds up.
        assertThat(fixture.violations()).isEmpty();
        fixture.close();
        redisServer.close();
    }

    @Test
    void crashBetweenThePostgresCommitAndTheRedisApplyIsAppliedOnceByTheOutbox()
            throws Exception {
        String member = fixture.member(5_000, 1_000);
        crashBeforeRedisCommit.set(true);
        CheckoutOutcome outcome;
        try {
            outcome = await(fixture.buy(member, "store-004", "sale-crash", 2_000,
                    tender(TenderKind.STORED_VALUE, 1_800), tender(TenderKind.POINTS, 200)));
        } finally {
            crashBeforeRedisCommit.set(false);
        }
        assertThat(outcome).isInstanceOf(CheckoutOutcome.Committed.class);
        HotMember beforeRelay = await(fixture.realBalances.read(member)).orElseThrow();
        assertThat(beforeRelay.storedValueHeldFen()).isEqualTo(1_800);
        assertThat(fixture.count("select count(*) from outbox where member_id = '" + member
                + "' and applied_at is null")).isEqualTo(1);

        assertThat(await(fixture.relay.relayOnce(Duration.ZERO))).isGreaterThanOrEqualTo(1);
        HotMember afterRelay = await(fixture.realBalances.read(member)).orElseThrow();
        assertThat(afterRelay.storedValueHeldFen()).isZero();
        assertThat(afterRelay.pointsHeld()).isZero();
        assertThat(afterRelay.storedValueFen()).isEqualTo(3_200);
        assertThat(await(fixture.reconciler.reconcile(member))).isEmpty();

        // Applied once: the row is marked, and a second relay changes nothing.
        assertThat(fixture.count("select count(*) from outbox where member_id = '" + member
                + "' and applied_at is null")).isZero();
        await(fixture.relay.relayOnce(Duration.ZERO));
        assertThat(await(fixture.realBalances.read(member)).orElseThrow())
                .isEqualTo(afterRelay);
    }

    @Test
    void redisLosingEverythingUnderLoadIsRebuiltToTheExactBalances() throws Exception {
        List<String> members = new ArrayList<>();
        for (int index = 0; index < 5; index++) {
            members.add(fixture.member(20_000, 5_000));
        }
        List<Future<CheckoutOutcome>> outcomes = new ArrayList<>();
        for (int round = 0; round < 40; round++) {
            if (round == 20) {
                await(fixture.redis.flushall(List.of()));
            }
            for (String member : members) {
                outcomes.add(buyWithRetry(member, "sale-flush-" + member + "-" + round));
            }
            if (round == 20) {
                await(fixture.hotCopy.check());
            }
        }
        long committedStoredValue = 0;
        for (Future<CheckoutOutcome> outcome : outcomes) {
            if (await(outcome) instanceof CheckoutOutcome.Committed) {
                committedStoredValue += 100;
            }
        }
        assertThat(committedStoredValue).isPositive();
        // Let the last commits reach the hot copy, then compare every member with the ledger.
        await(fixture.relay.relayOnce(Duration.ZERO));
        long durableStoredValue = 0;
        for (String member : members) {
            await(fixture.hotCopy.member(member));
            durableStoredValue += fixture.count("select balance_fen from stored_value_balance"
                    + " where member_id = '" + member + "'");
            assertThat(await(fixture.reconciler.reconcile(member))).isEmpty();
        }
        assertThat(durableStoredValue).isEqualTo(5 * 20_000 - committedStoredValue);
        assertThat(fixture.count("select count(*) from stored_value_balance where"
                + " balance_fen < 0")).isZero();
    }

    @Test
    void aHoldPastItsDeadlineIsFencedReleasedAndItsSaleCanNoLongerCommit() throws Exception {
        String member = fixture.member(1_000, 0);
        SaleKey sale = new SaleKey("store-005", "T1", "sale-abandoned");
        String holdId = HoldIds.of(sale);
        HoldEntry entry = new HoldEntry(member, holdId, sale);
        await(fixture.realBalances.indexHold(entry, Instant.now().minusSeconds(1)));
        ReserveResult reserved = await(fixture.hotCopy.reserve(new HoldRequest(member, holdId,
                "", 0, 600, List.of(), MemberCheckoutFixture.TODAY,
                Instant.now().minusSeconds(1))));
        assertThat(reserved).isInstanceOf(ReserveResult.Reserved.class);

        assertThat(await(new HoldJanitor(fixture.realBalances, fixture.ledger,
                java.time.Clock.systemUTC()).sweepOnce())).isEqualTo(1);
        assertThat(await(fixture.realBalances.read(member)).orElseThrow().storedValueFen())
                .isEqualTo(1_000);
        CheckoutOutcome late = await(fixture.buy(member, "store-005", "sale-abandoned", 600,
                tender(TenderKind.STORED_VALUE, 600)));
        assertThat(late).isInstanceOf(CheckoutOutcome.Abandoned.class);
        assertThat(fixture.count("select balance_fen from stored_value_balance where"
                + " member_id = '" + member + "'")).isEqualTo(1_000);
        assertThat(await(fixture.reconciler.reconcile(member))).isEmpty();
    }

    /** A checkout retried the way a terminal retries: same sale id, until it is decided. */
    private static Future<CheckoutOutcome> buyWithRetry(String member, String saleId) {
        return fixture.buy(member, "store-006", saleId, 100,
                tender(TenderKind.STORED_VALUE, 100)).recover(failure -> {
                    if (failure instanceof HotCopyLostException) {
                        return io.vertx.core.Future.<Void>future(promise -> fixture.vertx
                                .setTimer(50, id -> promise.complete()))
                                .compose(waited -> buyWithRetry(member, saleId));
                    }
                    return Future.failedFuture(failure);
                });
    }

    /** The hot copy, with a crash point where the engine would commit a hold. */
    private static final class CrashPoint implements MemberBalances {

        private final MemberBalances real;

        CrashPoint(MemberBalances real) {
            this.real = real;
        }

        @Override
        public Future<FinishResult> commit(HoldCommit commit) {
            return crashBeforeRedisCommit.get()
                    ? Future.failedFuture(new IllegalStateException("crash point"))
                    : real.commit(commit);
        }

        @Override
        public Future<Optional<String>> generation() {
            return real.generation();
        }

        @Override
        public Future<Void> publishGeneration(String generation) {
            return real.publishGeneration(generation);
        }

        @Override
        public Future<Void> indexHold(HoldEntry entry, Instant deadline) {
            return real.indexHold(entry, deadline);
        }

        @Override
        public Future<List<HoldEntry>> holdsDueBefore(Instant now, int limit) {
            return real.holdsDueBefore(now, limit);
        }

        @Override
        public Future<Void> unindexHold(HoldEntry entry) {
            return real.unindexHold(entry);
        }

        @Override
        public Future<Integer> expireLots(String memberId, java.time.LocalDate today,
                List<String> lotIds) {
            return real.expireLots(memberId, today, lotIds);
        }

        @Override
        public Future<Integer> extendLots(String memberId, int year,
                java.util.Map<String, java.time.LocalDate> newExpiries) {
            return real.extendLots(memberId, year, newExpiries);
        }

        @Override
        public Future<Optional<HotMember>> read(String memberId) {
            return real.read(memberId);
        }

        @Override
        public Future<Optional<HoldView>> hold(String memberId, String holdId) {
            return real.hold(memberId, holdId);
        }

        @Override
        public Future<Void> load(String generation, MemberRecord member) {
            return real.load(generation, member);
        }

        @Override
        public Future<ReserveResult> reserve(HoldRequest request) {
            return real.reserve(request);
        }

        @Override
        public Future<FinishResult> release(String memberId, String holdId) {
            return real.release(memberId, holdId);
        }
    }
}
