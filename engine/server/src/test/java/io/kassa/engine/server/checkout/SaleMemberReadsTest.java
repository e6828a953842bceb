package io.kassa.engine.server.checkout;

import static io.kassa.engine.server.checkout.MemberCheckoutFixture.await;
import static io.kassa.engine.server.checkout.MemberCheckoutFixture.tender;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.quote.Quote;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A sale reads its member and coupons from PostgreSQL once: its first quote reads them, its
 * later quotes and its checkout use that read, and the next sale reads afresh — so what a
 * sale changed (a coupon redeemed) is never offered again from a stale read.
 */
class SaleMemberReadsTest {

    private static MemberCheckoutFixture fixture;
    private static final AtomicInteger reads = new AtomicInteger();
    /** Codes PostgreSQL now answers with another member (a phone number passed on). */
    private static final java.util.Map<String, String> reassigned =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static CheckoutService checkout;

    @BeforeAll
    static void start() throws Exception {
        fixture = new MemberCheckoutFixture(TestServices.redisUrl(), balances -> balances);
        MemberDirectory counting = new MemberDirectory() {
            @Override
            public Future<Optional<MemberWithCoupons>> findWithCoupons(String code,
                    Instant at) {
                reads.incrementAndGet();
                return fixture.directory.findWithCoupons(reassigned.getOrDefault(code, code),
                        at);
            }

            @Override
            public Future<MemberBalances.MemberRecord> balances(String memberId) {
                return fixture.directory.balances(memberId);
            }

            @Override
            public Future<List<String>> memberIds(String afterMemberId, int limit) {
                return fixture.directory.memberIds(afterMemberId, limit);
            }
        };
        checkout = new CheckoutService(fixture.rules, fixture.ledger, fixture.hotCopy, counting,
                fixture.balances, fixture.outbox, MemberCheckoutFixture.CLOCK);
    }

    @AfterAll
    static void stop() throws Exception {
        assertThat(fixture.violations()).isEmpty();
        fixture.close();
    }

    @Test
    void twoQuotesAndTheCheckoutOfOneSaleReadTheMemberOnce() throws Exception {
        String member = fixture.member(10_000, 0);
        int before = reads.get();

        assertThat(await(quote(member, "store-001", 1_000))).isInstanceOf(Decision.Accepted.class);
        assertThat(await(quote(member, "store-001", 1_500))).isInstanceOf(Decision.Accepted.class);
        CheckoutOutcome outcome = await(buy(member, "store-001", "sale-once", 1_500));

        assertThat(outcome).isInstanceOf(CheckoutOutcome.Committed.class);
        assertThat(reads.get() - before).isEqualTo(1);
        // The next sale reads afresh.
        await(quote(member, "store-001", 200));
        assertThat(reads.get() - before).isEqualTo(2);
    }

    @Test
    void aCheckoutWithoutAQuoteOrAtAnotherStoreReadsItsMember() throws Exception {
        String member = fixture.member(10_000, 0);
        int before = reads.get();

        await(quote(member, "store-001", 1_000));
        assertThat(await(buy(member, "store-002", "sale-elsewhere", 1_000)))
                .isInstanceOf(CheckoutOutcome.Committed.class);
        assertThat(reads.get() - before).isEqualTo(2);
        assertThat(await(buy(member, "store-003", "sale-unquoted", 300)))
                .isInstanceOf(CheckoutOutcome.Committed.class);
        assertThat(reads.get() - before).isEqualTo(3);
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
     * A quote reads the hot copy under the member id this node last saw for the code, at the
     * same time as PostgreSQL; when PostgreSQL now names another member, that member is the
     * one priced, with its own balances.
     */
    @Test
    void aQuoteWhoseCodeNowNamesAnotherMemberPricesThatMember() throws Exception {
        String first = fixture.member(1_000, 0);
        String second = fixture.member(7_000, 0);
        Quote before = accepted(await(quote(first, "store-005", 500)));
        assertThat(before.member().orElseThrow().memberId()).isEqualTo(first);
        assertThat(before.member().orElseThrow().storedValueFen()).isEqualTo(1_000);

        reassigned.put("code-" + first, "code-" + second);
        try {
            Quote after = accepted(await(quote(first, "store-006", 500)));
            assertThat(after.member().orElseThrow().memberId()).isEqualTo(second);
            assertThat(after.member().orElseThrow().storedValueFen()).isEqualTo(7_000);
        } finally {
            reassigned.clear();
        }
        // And the hint follows PostgreSQL: the first member's code is its own again.
        Quote again = accepted(await(quote(first, "store-007", 500)));
        assertThat(again.member().orElseThrow().memberId()).isEqualTo(first);
        assertThat(again.member().orElseThrow().storedValueFen()).isEqualTo(1_000);
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
