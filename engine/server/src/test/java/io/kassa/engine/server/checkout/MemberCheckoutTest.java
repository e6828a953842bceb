package io.kassa.engine.server.checkout;

import static io.kassa.engine.server.checkout.MemberCheckoutFixture.await;
import static io.kassa.engine.server.checkout.MemberCheckoutFixture.tender;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.checkout.MemberBalances.HotMember;
import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Member checkouts through the real orchestration, PostgreSQL and Redis: stored value, points
 * and coupons are held in the hot copy, committed once in PostgreSQL with balanced entries and
 * applied to the hot copy; concurrent checkouts never overspend; a coupon is redeemed once; and
 * afterwards the reconciler finds the hot copy equal to the ledger.
 */
class MemberCheckoutTest {

    private static MemberCheckoutFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new MemberCheckoutFixture(TestServices.redisUrl(), UnaryOperator.identity());
    }

    @AfterAll
    static void stop() throws Exception {
        // Whatever the tests did, the money still adds up.
        assertThat(fixture.violations()).isEmpty();
        fixture.close();
    }

    @Test
    void storedValuePointsAndCashSettleOneSaleAndBalance() throws Exception {
        String member = fixture.member(50_000, 8_000);
        // 264.00 yuan of groceries: 50.00 in points (5,000 points; cap is 20% = 52.80),
        // 100.00 stored value, 114.00 cash.
        CheckoutOutcome outcome = await(fixture.buy(member, "store-001", "sale-mixed", 26_400,
                tender(TenderKind.POINTS, 5_000), tender(TenderKind.STORED_VALUE, 10_000),
                tender(TenderKind.CASH, 11_400)));
        assertThat(outcome).isInstanceOf(CheckoutOutcome.Committed.class);
        CommittedSale sale = ((CheckoutOutcome.Committed) outcome).sale();
        assertThat(sale.pointsRedeemed()).isEqualTo(5_000);
        // 264 - 50 paid by points = 214 yuan earning base, 1 point per yuan, NORMAL tier,
        // plus 300 for the member's first order of at least 100 yuan. The fixture's clock
        // stands on a Sunday, so no member-day multiplier applies.
        assertThat(sale.pointsEarned()).isEqualTo(214 + 300);

        assertThat(fixture.count("select balance_fen from stored_value_balance where member_id"
                + " = '" + member + "'")).isEqualTo(40_000);
        assertThat(fixture.count("select sum(points_remaining) from points_lot where member_id"
                + " = '" + member + "'")).isEqualTo(8_000 - 5_000 + 514);
        assertThat(fixture.count("select count(*) from (select transaction_id, unit from"
                + " ledger_entry group by transaction_id, unit having sum(amount) <> 0) u"))
                .isZero();
        assertThat(fixture.count("select -sum(amount) from ledger_entry where account ="
                + " 'member/" + member + "/points'")).isEqualTo(8_000 + 514 - 5_000);
        awaitHotCopyEqualsLedger(member);
        HotMember hot = await(fixture.realBalances.read(member)).orElseThrow();
        assertThat(hot.storedValueFen()).isEqualTo(40_000);
        assertThat(hot.livePointsOn(MemberCheckoutFixture.TODAY)).isEqualTo(3_514);
    }

    @Test
    void retriedMemberCheckoutAnswersTheSameAndSpendsOnce() throws Exception {
        String member = fixture.member(10_000, 0);
        CheckoutOutcome first = await(fixture.buy(member, "store-002", "sale-retry", 3_000,
                tender(TenderKind.STORED_VALUE, 3_000)));
        CheckoutOutcome again = await(fixture.buy(member, "store-002", "sale-retry", 3_000,
                tender(TenderKind.STORED_VALUE, 3_000)));
        assertThat(again).isInstanceOf(CheckoutOutcome.Committed.class);
        assertThat(((CheckoutOutcome.Committed) again).replayed()).isTrue();
        assertThat(((CheckoutOutcome.Committed) again).sale().orderId())
                .isEqualTo(((CheckoutOutcome.Committed) first).sale().orderId());
        assertThat(fixture.count("select balance_fen from stored_value_balance where member_id"
                + " = '" + member + "'")).isEqualTo(7_000);
        awaitHotCopyEqualsLedger(member);
    }

    /**
     * A retry of a sale that spent the member's whole balance (its answer lost across a
     * reconnect or a node's loss) is answered "committed" from the ledger — not refused for
     * the balance its own commit spent, which would have the till ask the customer again.
     */
    @Test
    void aRetryOfASaleThatSpentTheWholeBalanceIsAnsweredCommitted() throws Exception {
        String member = fixture.member(2_000, 0, "cash-5");
        CheckoutOutcome first = await(fixture.buy(member, "store-002", "sale-all-in", 2_500,
                tender(TenderKind.STORED_VALUE, 2_000)));
        assertThat(first).isInstanceOf(CheckoutOutcome.Committed.class);
        CheckoutOutcome again = await(fixture.buy(member, "store-002", "sale-all-in", 2_500,
                tender(TenderKind.STORED_VALUE, 2_000)));
        assertThat(again).as("the retry, with no balance and no coupon left")
                .isInstanceOfSatisfying(CheckoutOutcome.Committed.class, replay -> {
                    assertThat(replay.replayed()).isTrue();
                    assertThat(replay.sale().orderId()).isEqualTo(
                            ((CheckoutOutcome.Committed) first).sale().orderId());
                });
        // The same sale id for another basket after it committed is a conflict, not a refusal.
        assertThat(await(fixture.buy(member, "store-002", "sale-all-in", 2_600,
                tender(TenderKind.STORED_VALUE, 2_100))))
                .isInstanceOf(CheckoutOutcome.Conflict.class);
        assertThat(fixture.count("select balance_fen from stored_value_balance where member_id"
                + " = '" + member + "'")).isZero();
    }

    @Test
    void fiftyConcurrentCheckoutsByOneMemberFromManyStoresNeverOverspend() throws Exception {
        String member = fixture.member(10_000, 0);
        List<Future<CheckoutOutcome>> outcomes = new ArrayList<>();
        for (int sale = 0; sale < 50; sale++) {
            String store = String.format("store-%03d", sale % 20 + 1);
            outcomes.add(fixture.buy(member, store, "sale-50-" + sale, 300,
                    tender(TenderKind.STORED_VALUE, 300)));
        }
        int committed = 0;
        for (Future<CheckoutOutcome> outcome : outcomes) {
            CheckoutOutcome result = await(outcome);
            if (result instanceof CheckoutOutcome.Committed) {
                committed++;
            } else {
                assertThat(((CheckoutOutcome.Rejected) result).rejection().code())
                        .isEqualTo(RejectionCode.STORED_VALUE_OVER_BALANCE);
            }
        }
        assertThat(committed).isEqualTo(33);
        assertThat(fixture.count("select balance_fen from stored_value_balance where member_id"
                + " = '" + member + "'")).isEqualTo(100);
        assertThat(fixture.count("select count(*) from sales_order where member_id = '"
                + member + "'")).isEqualTo(33);
        awaitHotCopyEqualsLedger(member);
    }

    @Test
    void oneCouponCheckedOutFromTwentyConnectionsAtOnceIsRedeemedOnce() throws Exception {
        String member = fixture.member(0, 0, "cash-5");
        List<Future<CheckoutOutcome>> outcomes = new ArrayList<>();
        for (int sale = 0; sale < 20; sale++) {
            // 30.00 yuan less the 5-yuan coupon: 25.00 cash.
            outcomes.add(fixture.buy(member, "store-003", "sale-coupon-" + sale, 3_000,
                    tender(TenderKind.CASH, 2_500)));
        }
        int committed = 0;
        for (Future<CheckoutOutcome> outcome : outcomes) {
            if (await(outcome) instanceof CheckoutOutcome.Committed) {
                committed++;
            }
        }
        assertThat(committed).isEqualTo(1);
        assertThat(fixture.count("select count(*) from coupon where member_id = '" + member
                + "' and state = 'REDEEMED'")).isEqualTo(1);
        awaitHotCopyEqualsLedger(member);
    }

    @Test
    void aBasketItsCouponPaysInFullNeedsNoTender() throws Exception {
        String member = fixture.member(0, 0, "cash-5");
        // 2.50 of groceries, a 5.00 no-threshold coupon: the discount stops at the eligible
        // subtotal and nothing is left to pay.
        CheckoutOutcome outcome = await(fixture.buy(member, "store-007", "sale-free", 250));
        assertThat(outcome).isInstanceOf(CheckoutOutcome.Committed.class);
        assertThat(((CheckoutOutcome.Committed) outcome).sale().payable().amountMinor()).isZero();
        assertThat(fixture.count("select count(*) from coupon where member_id = '" + member
                + "' and state = 'REDEEMED'")).isEqualTo(1);
        assertThat(fixture.count("select count(*) from order_tender t join sales_order o"
                + " using (order_id) where o.sale_id = 'sale-free'")).isZero();
        // Without a coupon to pay it, a checkout without tender is refused.
        CheckoutOutcome unpaid = await(fixture.buy(member, "store-007", "sale-unpaid", 250));
        assertThat(((CheckoutOutcome.Rejected) unpaid).rejection().code())
                .isEqualTo(RejectionCode.NO_TENDER);
        awaitHotCopyEqualsLedger(member);
    }

    @Test
    void unknownMemberIsRejected() throws Exception {
        CheckoutOutcome outcome = await(fixture.buy("nobody", "store-001", "sale-x", 100,
                tender(TenderKind.CASH, 100)));
        assertThat(((CheckoutOutcome.Rejected) outcome).rejection().code())
                .isEqualTo(RejectionCode.UNKNOWN_MEMBER);
    }

    private static void awaitHotCopyEqualsLedger(String member) throws Exception {
        // The hold's commit in the hot copy follows the answer; give it a moment.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<Reconciler.Difference> differences = await(fixture.reconciler.reconcile(member));
        while (!differences.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            differences = await(fixture.reconciler.reconcile(member));
        }
        assertThat(differences).isEmpty();
    }
}
