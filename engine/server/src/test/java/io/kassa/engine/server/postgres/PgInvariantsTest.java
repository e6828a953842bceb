package io.kassa.engine.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The invariant checker finds nothing on a healthy ledger and names the broken invariant for
 * each kind of damage an operator could find: an unbalanced transaction, lots or stored value
 * drifting from the ledger, a coupon redeemed by no sale, a sale paid wrongly or booked twice,
 * an abandoned sale holding money. Each test damages a fresh schema with plain SQL.
 */
class PgInvariantsTest {

    private String schema;
    private Vertx vertx;
    private Pool pool;

    @BeforeEach
    void seed() throws Exception {
        schema = TestServices.freshSchema("invariants");
        PostgresLocation location = PostgresLocation.parse(TestServices.postgresUrl(), schema);
        Migrations.migrate(location);
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
                .connectingTo(location.connectOptions()).using(vertx).build();
        await(PgDemoMembers.seed(pool, 3, LocalDate.of(2026, 11, 22)));
    }

    @AfterEach
    void drop() throws Exception {
        await(pool.close());
        await(vertx.close());
        TestServices.dropSchema(schema);
    }

    @Test
    void aHealthyLedgerBreaksNothing() throws Exception {
        assertThat(await(new PgInvariants(pool).check())).isEmpty();
        assertThat(PgInvariants.names()).hasSize(10);
    }

    /** Demo members with more coupons (the benchmark's): the templates take turns. */
    @Test
    void demoMembersMayHoldMoreCoupons() throws Exception {
        await(PgDemoMembers.seed(pool, 5, LocalDate.of(2026, 11, 22), 6));
        // Members 1..3 were seeded with two coupons and are left alone; 4 and 5 are new.
        assertThat(TestServices.count(schema, "select count(*) from coupon"
                + " where member_id = 'demo-0004'")).isEqualTo(6);
        assertThat(TestServices.count(schema, "select count(*) from coupon"
                + " where member_id = 'demo-0005' and template_id = 'cash-5'")).isEqualTo(3);
        assertThat(TestServices.count(schema, "select count(*) from coupon"
                + " where member_id = 'demo-0001'")).isEqualTo(2);
        assertThat(await(new PgInvariants(pool).check())).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PgDemoMembers.seed(pool, 1,
                LocalDate.of(2026, 11, 22), PgDemoMembers.COUPONS_MAX + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnbalancedTransactionIsFound() throws Exception {
        // The deferred trigger refuses this at commit; only a disabled trigger lets it in.
        sql("alter table ledger_entry disable trigger ledger_entry_balanced",
                "insert into ledger_transaction values ('00000000-0000-0000-0000-000000000001',"
                        + " 'BROKEN', null, now())",
                "insert into ledger_entry values ('00000000-0000-0000-0000-000000000001', 1,"
                        + " 'chain/x', 5, 'CNY')",
                "alter table ledger_entry enable trigger ledger_entry_balanced");
        assertViolated("every ledger transaction balances in each unit", 1);
    }

    @Test
    void lotsDriftingFromTheLedgerAreFound() throws Exception {
        sql("update points_lot set points_remaining = points_remaining + 1"
                + " where member_id = 'demo-0002'");
        assertViolated("points lots sum to the member's points account", 1);
    }

    @Test
    void storedValueDriftingFromTheLedgerIsFound() throws Exception {
        sql("update stored_value_balance set balance_fen = balance_fen - 100"
                + " where member_id = 'demo-0003'");
        assertViolated("stored value balances equal the member's stored-value account", 1);
    }

    @Test
    void aCouponRedeemedByNoSaleIsFound() throws Exception {
        sql("update coupon set state = 'REDEEMED', redeemed_order_id ="
                + " '00000000-0000-0000-0000-00000000abcd' where coupon_id = 'cash-5-demo-0001'");
        assertViolated("every redeemed coupon belongs to one committed sale", 1);
    }

    @Test
    void aSaleWithoutItsBookingOrItsMoneyIsFound() throws Exception {
        sql("insert into sales_order (order_id, store_id, terminal_id, sale_id,"
                + " request_fingerprint, currency, subtotal_fen, discount_fen, payable_fen,"
                + " change_fen, committed_at) values ('00000000-0000-0000-0000-0000000000aa',"
                + " 'S001', 'T1', 'ghost', 'f', 'CNY', 100, 0, 100, 0, now())");
        assertViolated("every committed sale is paid exactly and booked once", 1);
    }

    @Test
    void anAbandonedSaleHoldingMoneyIsFound() throws Exception {
        sql("insert into sales_order (order_id, store_id, terminal_id, sale_id,"
                + " request_fingerprint, currency, subtotal_fen, discount_fen, payable_fen,"
                + " change_fen, committed_at, status) values"
                + " ('00000000-0000-0000-0000-0000000000bb', 'S001', 'T1', 'fenced', '', 'CNY',"
                + " 0, 0, 0, 0, now(), 'ABANDONED')",
                "insert into order_tender values ('00000000-0000-0000-0000-0000000000bb', 1,"
                        + " 'CASH', 100, 100, '')");
        assertViolated("no abandoned sale holds money", 1);
    }

    private static final String RED_PACKETS =
            "every red packet's shares make its amount and its openings its coupons";

    /** A packet of 300 fen in two shares (120 + 180), the first opened by demo-0002. */
    private void redPacketWithOneOpening() throws Exception {
        sql("insert into red_packet (packet_id, request_id, template_id, sharer_member_id,"
                        + " amount_fen, shares, minimum_share_fen, seed, opened, open_until,"
                        + " actor, created_at) values ('RP00000000000000A1', 'packet-request-1',"
                        + " 'SPLIT', 'demo-0001', 300, 2, 100, 7, 1, now() + interval '1 day',"
                        + " 'hq', now())",
                "insert into coupon (coupon_id, template_id, member_id, state, valid_from,"
                        + " valid_until, amount_off_fen) values ('CP-RED-1', 'SPLIT',"
                        + " 'demo-0002', 'AVAILABLE', now(), now() + interval '7 days', 120)",
                "insert into red_packet_share (packet_id, share_number, amount_fen, member_id,"
                        + " coupon_id, opened_at) values ('RP00000000000000A1', 1, 120,"
                        + " 'demo-0002', 'CP-RED-1', now()),"
                        + " ('RP00000000000000A1', 2, 180, null, null, null)");
    }

    @Test
    void aWholeRedPacketWithItsOpeningBreaksNothing() throws Exception {
        redPacketWithOneOpening();
        assertThat(await(new PgInvariants(pool).check())).isEmpty();
    }

    @Test
    void aRedPacketWhoseSharesDoNotMakeItsAmountIsFound() throws Exception {
        redPacketWithOneOpening();
        sql("update red_packet_share set amount_fen = 170 where share_number = 2");
        assertViolated(RED_PACKETS, 1);
    }

    @Test
    void aRedPacketCountingOpeningsItDoesNotHaveIsFound() throws Exception {
        redPacketWithOneOpening();
        sql("update red_packet set opened = 2");
        assertViolated(RED_PACKETS, 1);
    }

    @Test
    void anOpenedShareWhoseCouponIsWorthAnotherAmountIsFound() throws Exception {
        redPacketWithOneOpening();
        sql("update coupon set amount_off_fen = 150 where coupon_id = 'CP-RED-1'");
        assertViolated(RED_PACKETS, 1);
    }

    @Test
    void anOpenedShareWhoseCouponIsAnotherMembersIsFound() throws Exception {
        redPacketWithOneOpening();
        sql("update coupon set member_id = 'demo-0003' where coupon_id = 'CP-RED-1'");
        assertViolated(RED_PACKETS, 1);
    }

    private void assertViolated(String invariant, long count) throws Exception {
        List<PgInvariants.Violation> violations = await(new PgInvariants(pool).check());
        assertThat(violations).singleElement().satisfies(violation -> {
            assertThat(violation.invariant()).isEqualTo(invariant);
            assertThat(violation.count()).isEqualTo(count);
            assertThat(violation.examples()).hasSize((int) count);
        });
    }

    private void sql(String... statements) throws Exception {
        try (Connection connection = TestServices.jdbc(schema);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }
}
