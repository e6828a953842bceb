package io.kassa.engine.server.checkout;

import static io.kassa.engine.server.checkout.MemberCheckoutFixture.await;
import static io.kassa.engine.server.checkout.MemberCheckoutFixture.tender;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.quote.Quote;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where quotes and checkouts read their member (ADR 0014): PostgreSQL names a code's member
 * once per node, and the hot copy gives profile, coupons and balances from then on — one Redis
 * round trip, nothing from PostgreSQL — while what a sale changed (tier, lifetime points,
 * orders, a coupon redeemed) is what the next quote sees. Counted through a directory that
 * counts what it is asked.
 */
class SaleMemberReadsTest {

    private static MemberCheckoutFixture fixture;
    /** Members looked up by code in PostgreSQL, and members loaded into the hot copy. */
    private static final AtomicInteger lookups = new AtomicInteger();
    private static final AtomicInteger loads = new AtomicInteger();
    private static CheckoutService checkout;

    @BeforeAll
    static void start() throws Exception {
        fixture = new MemberCheckoutFixture(TestServices.redisUrl(), balances -> balances);
        MemberDirectory counting = new MemberDirectory() {
            @Override
            public Future<Optional<MemberWithCoupons>> findWithCoupons(String code,
                    Instant at) {
                lookups.incrementAndGet();
                return fixture.directory.findWithCoupons(code, at);
            }

            @Override
            public Future<MemberBalances.MemberRecord> balances(String memberId) {
                loads.incrementAndGet();
                return fixture.directory.balances(memberId);
            }

            @Override
            public Future<Optional<ProfileUpdate>> profile(String memberId) {
                return fixture.directory.profile(memberId);
            }

            @Override
            public Future<List<String>> memberIds(String afterMemberId, int limit) {
                return fixture.directory.memberIds(afterMemberId, limit);
            }
        };
        HotCopy hotCopy = new HotCopy(fixture.realBalances, counting,
                new io.kassa.engine.server.postgres.PgGenerationFence(fixture.pool));
        await(hotCopy.check());
        checkout = new CheckoutService(fixture.rules, fixture.ledger, hotCopy, counting,
                fixture.balances, fixture.outbox, MemberCheckoutFixture.CLOCK);
    }

    @AfterAll
    static void stop() throws Exception {
        assertThat(fixture.violations()).isEmpty();
        fixture.close();
    }

    @Test
    void postgresNamesAMemberOnceThenQuotesAndCheckoutsReadTheHotCopyAlone() throws Exception {
        String member = fixture.member(10_000, 0);
        int lookupsBefore = lookups.get();
        int loadsBefore = loads.get();

        assertThat(await(quote(member, "store-001", 1_000))).isInstanceOf(Decision.Accepted.class);
        assertThat(lookups.get() - lookupsBefore).isEqualTo(1);
        assertThat(loads.get() - loadsBefore).isEqualTo(1);

        assertThat(await(quote(member, "store-001", 1_500))).isInstanceOf(Decision.Accepted.class);
        assertThat(await(buy(member, "store-001", "sale-once", 1_500)))
                .isInstanceOf(CheckoutOutcome.Committed.class);
        // Another store, a checkout without a quote, the next sale: still the hot copy alone.
        assertThat(await(buy(member, "store-002", "sale-unquoted", 300)))
                .isInstanceOf(CheckoutOutcome.Committed.class);
        assertThat(await(quote(member, "store-003", 200))).isInstanceOf(Decision.Accepted.class);
        assertThat(lookups.get() - lookupsBefore).isEqualTo(1);
        assertThat(loads.get() - loadsBefore).isEqualTo(1);
    }

    /**
     * The demo chain's first order of 100 yuan or more earns a bonus, and SILVER starts at
     * 2,000 lifetime points: after a first order that crosses it, the next quote — from the
     * hot copy alone — prices a SILVER member with one order and no first-order bonus.
     */
    @Test
    void whatASaleChangesInTheProfileIsWhatTheNextQuoteSees() throws Exception {
        String member = fixture.member(100_000, 0);
        fixture.execute("update member set lifetime_earned_points = 1990 where member_id = '"
                + member + "'");
        Quote first = accepted(await(quote(member, "store-010", 20_000)));
        assertThat(first.member().orElseThrow().tierName()).isEqualTo("NORMAL");
        assertThat(first.member().orElseThrow().completedOrders()).isZero();
        assertThat(first.earning().firstOrder()).isTrue();
        assertThat(await(buy(member, "store-010", "sale-upgrade", 20_000)))
                .isInstanceOf(CheckoutOutcome.Committed.class);
        // The hot copy's commit and profile follow the answer (one pipelined round trip).
        long lifetime = fixture.count("select lifetime_earned_points from member"
                + " where member_id = '" + member + "'");
        assertThat(lifetime).isGreaterThanOrEqualTo(2_000);
        await().atMost(Duration.ofSeconds(30)).until(() -> await(fixture.realBalances
                .read(member)).orElseThrow().profile().orElseThrow().profile()
                .lifetimeEarnedPoints() == lifetime);
        int lookupsBefore = lookups.get();
        int loadsBefore = loads.get();

        Quote next = accepted(await(quote(member, "store-011", 20_000)));
        assertThat(next.member().orElseThrow().tierName()).isEqualTo("SILVER");
        assertThat(next.member().orElseThrow().lifetimeEarnedPoints()).isEqualTo(lifetime);
        assertThat(next.member().orElseThrow().completedOrders()).isEqualTo(1);
        assertThat(next.earning().firstOrder()).isFalse();
        assertThat(lookups.get() - lookupsBefore).isZero();
        assertThat(loads.get() - loadsBefore).isZero();
        assertThat(await(fixture.reconciler.reconcile(member))).isEmpty();
    }

    @Test
    void aCouponTheSaleRedeemedIsNotOfferedToTheNextSale() throws Exception {
        String member = fixture.member(0, 0, "cash-5");
        Quote first = accepted(await(quote(member, "store-004", 2_000)));
        assertThat(first.appliedCoupons()).hasSize(1);
        assertThat(await(buy(member, "store-004", "sale-coupon", 2_000,
                tender(TenderKind.CASH, 1_500)))).isInstanceOf(CheckoutOutcome.Committed.class);

        Quote next = accepted(await(quote(member, "store-004", 2_000)));
        assertThat(next.appliedCoupons()).isEmpty();
        assertThat(next.basket().payable().amountMinor()).isEqualTo(2_000);
    }

    /**
     * A code this node saw name one member is read under that member's id; once that member
     * no longer answers to it (its code changed, its hot copy reloaded), PostgreSQL names the
     * code's member again, with its own balances.
     */
    @Test
    void aCodeTheHintedMemberNoLongerAnswersToIsLookedUpAgain() throws Exception {
        String first = fixture.member(1_000, 0);
        String second = fixture.member(7_000, 0);
        Quote before = accepted(await(quote(first, "store-005", 500)));
        assertThat(before.member().orElseThrow().memberId()).isEqualTo(first);

        fixture.execute("update member set member_code = 'old-" + first + "' where member_id = '"
                + first + "'");
        fixture.execute("update member set member_code = 'code-" + first
                + "' where member_id = '" + second + "'");
        await(fixture.realBalances.invalidate(first));
        int lookupsBefore = lookups.get();

        Quote after = accepted(await(quote(first, "store-006", 500)));
        assertThat(after.member().orElseThrow().memberId()).isEqualTo(second);
        assertThat(after.member().orElseThrow().storedValueFen()).isEqualTo(7_000);
        assertThat(lookups.get() - lookupsBefore).isEqualTo(1);
    }

    /**
     * A member an older engine loaded without a profile is priced from PostgreSQL's profile,
     * and dropped from the hot copy (nothing of it held), so that its next use loads it with
     * one and reads PostgreSQL no more.
     */
    @Test
    void aMemberLoadedWithoutAProfileIsPricedFromPostgresAndLoadedAgain() throws Exception {
        String member = fixture.member(3_000, 0);
        MemberBalances.MemberRecord record = await(fixture.directory.balances(member));
        await(fixture.realBalances.load(fixture.hotCopy.generation().orElseThrow(),
                new MemberBalances.MemberRecord(member, record.storedValueFen(), record.lots(),
                        record.couponStates())));
        int lookupsBefore = lookups.get();

        // The first quote learns the code's member; the second finds no profile under it.
        assertThat(accepted(await(quote(member, "store-007", 500))).member().orElseThrow()
                .storedValueFen()).isEqualTo(3_000);
        assertThat(accepted(await(quote(member, "store-007", 500))).member().orElseThrow()
                .storedValueFen()).isEqualTo(3_000);
        assertThat(lookups.get() - lookupsBefore).isEqualTo(2);
        // Dropped, then loaded again with its profile (by that quote, or the next use).
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Optional<MemberBalances.HotMember> hot = await(fixture.realBalances.read(member));
            if (hot.isEmpty()) {
                await(quote(member, "store-007", 500));
                return false;
            }
            return hot.get().profile().isPresent();
        });
        int lookupsLoaded = lookups.get();

        assertThat(accepted(await(quote(member, "store-007", 500))).member().orElseThrow()
                .storedValueFen()).isEqualTo(3_000);
        assertThat(lookups.get()).isEqualTo(lookupsLoaded);
    }

    private static Future<Decision<Quote>> quote(String member, String store, long fen) {
        return checkout.quote(new QuoteCommand(store, CurrencyCode.CNY, basket(fen),
                Optional.of("code-" + member), 0));
    }

    private static Future<CheckoutOutcome> buy(String member, String store, String saleId,
            long fen) {
        return buy(member, store, saleId, fen, tender(TenderKind.STORED_VALUE, fen));
    }

    private static Future<CheckoutOutcome> buy(String member, String store, String saleId,
            long fen, io.kassa.engine.core.tender.Tender tender) {
        return checkout.checkout(new CheckoutCommand(new SaleKey(store, "T1", saleId),
                CurrencyCode.CNY, basket(fen), List.of(""), List.of(tender),
                Optional.of("code-" + member)));
    }

    private static List<BasketLine> basket(long fen) {
        return List.of(new BasketLine("sku-" + fen, "grocery", Money.fen(fen), 1));
    }

    private static Quote accepted(Decision<Quote> decision) {
        return ((Decision.Accepted<Quote>) decision).value();
    }
}
