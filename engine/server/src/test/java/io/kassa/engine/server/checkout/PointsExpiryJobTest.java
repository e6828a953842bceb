package io.kassa.engine.server.checkout;

import static io.kassa.engine.server.checkout.MemberCheckoutFixture.TODAY;
import static io.kassa.engine.server.checkout.MemberCheckoutFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.points.PointsLot;
import io.kassa.engine.server.postgres.PgPointsExpiry;
import io.kassa.engine.server.testing.TestServices;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The daily points duties against real PostgreSQL and Redis: due lots expire with a balanced
 * points entry and leave the hot copy too, a lot expiring today is spared for a day, birthday
 * members' live lots move three months later once a year, and members with points expiring
 * within 30 days get one reminder per expiry date. The hot copy ends equal to the ledger.
 */
class PointsExpiryJobTest {

    private static MemberCheckoutFixture fixture;
    private static PointsExpiryJob job;

    @BeforeAll
    static void start() throws Exception {
        fixture = new MemberCheckoutFixture(TestServices.redisUrl(), UnaryOperator.identity());
        job = new PointsExpiryJob(new PgPointsExpiry(fixture.pool, MemberCheckoutFixture.CLOCK),
                fixture.relay, () -> fixture.rules, MemberCheckoutFixture.CLOCK);
    }

    @AfterAll
    static void stop() throws Exception {
        // Whatever the tests did, the money still adds up.
        assertThat(fixture.violations()).isEmpty();
        fixture.close();
    }

    @Test
    void dueLotsExpireInTheLedgerAndTheHotCopy() throws Exception {
        String member = fixture.member(0, 0);
        fixture.lot(member, "old-" + member, 500, TODAY.minusDays(2));
        fixture.lot(member, "today-" + member, 70, TODAY);
        fixture.lot(member, "live-" + member, 300, TODAY.plusDays(100));
        await(fixture.hotCopy.member(member));

        assertThat(await(job.runOnce(TODAY))).isEqualTo(1);

        assertThat(fixture.count("select points_remaining from points_lot where lot_id = 'old-"
                + member + "'")).isZero();
        assertThat(fixture.count("select points_remaining from points_lot where lot_id ="
                + " 'today-" + member + "'")).isEqualTo(70);
        assertThat(fixture.count("select sum(amount) from ledger_entry e join ledger_transaction"
                + " t using (transaction_id) where t.kind = 'POINTS_EXPIRY' and e.account ="
                + " 'member/" + member + "/points'")).isEqualTo(500);
        assertThat(fixture.count("select count(*) from (select transaction_id, unit from"
                + " ledger_entry group by transaction_id, unit having sum(amount) <> 0) u"))
                .isZero();
        assertThat(await(fixture.realBalances.read(member)).orElseThrow().lots())
                .extracting(PointsLot::lotId)
                .containsExactlyInAnyOrder("today-" + member, "live-" + member);
        assertThat(await(fixture.reconciler.reconcile(member))).isEmpty();
        // A second run the same day finds nothing more to do.
        assertThat(await(job.runOnce(TODAY))).isZero();
    }

    @Test
    void birthdayMonthExtendsLiveLotsOncePerYear() throws Exception {
        String member = fixture.member(0, 0);
        fixture.execute("update member set birth_month = 11 where member_id = '" + member + "'");
        fixture.lot(member, "bday-" + member, 400, TODAY.plusDays(10));
        await(fixture.hotCopy.member(member));

        await(job.runOnce(TODAY));
        await(job.runOnce(TODAY));

        assertThat(fixture.count("select count(*) from points_lot where lot_id = 'bday-"
                + member + "' and expires_on = '" + TODAY.plusDays(10).plusMonths(3) + "'"))
                .isEqualTo(1);
        assertThat(await(fixture.realBalances.read(member)).orElseThrow().lots().get(0)
                .expiresOn()).isEqualTo(TODAY.plusDays(10).plusMonths(3));
        assertThat(await(fixture.reconciler.reconcile(member))).isEmpty();
    }

    @Test
    void pointsExpiringWithinThirtyDaysAreRemindedOnce() throws Exception {
        String member = fixture.member(0, 0);
        fixture.lot(member, "soon-" + member, 120, TODAY.plusDays(20));
        fixture.lot(member, "later-" + member, 80, TODAY.plusDays(60));

        await(job.runOnce(TODAY));
        await(job.runOnce(TODAY));

        assertThat(fixture.count("select count(*) from points_expiry_reminder where member_id"
                + " = '" + member + "'")).isEqualTo(1);
        assertThat(fixture.count("select points from points_expiry_reminder where member_id"
                + " = '" + member + "'")).isEqualTo(120);
    }
}
