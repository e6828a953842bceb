package io.kassa.engine.core.points;

import static io.kassa.engine.core.TestSupport.accepted;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.TestSupport;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.rules.ExpiryKind;
import io.kassa.engine.core.rules.ExpiryPolicy;
import java.time.LocalDate;
import java.time.Month;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Table tests for points lots: each expiry policy (fixed months, end of next calendar year,
 * rolling with the DOMAIN.md example, birthday extension) and first-expiring-first spending.
 */
class ExpiryTest {

    private static final ExpiryPolicy FIXED_12 = new ExpiryPolicy(ExpiryKind.FIXED_MONTHS, 12, 3);
    private static final ExpiryPolicy NEXT_YEAR_END =
            new ExpiryPolicy(ExpiryKind.END_OF_NEXT_CALENDAR_YEAR, 0, 0);
    private static final ExpiryPolicy ROLLING = new ExpiryPolicy(ExpiryKind.ROLLING, 12, 0);

    @Test
    void fixedLotExpiresMonthsAfterEarning() {
        PointsWallet wallet = PointsWallet.EMPTY.earn("L1", 1_000, LocalDate.of(2024, 3, 31),
                FIXED_12);
        assertThat(wallet.lots().get(0).expiresOn()).isEqualTo(LocalDate.of(2025, 3, 31));
        assertThat(wallet.balanceOn(LocalDate.of(2025, 3, 30))).isEqualTo(1_000);
        assertThat(wallet.balanceOn(LocalDate.of(2025, 3, 31))).isZero();
        assertThat(wallet.expire(LocalDate.of(2025, 3, 31)).expiredPoints()).isEqualTo(1_000);
    }

    @Test
    void endOfNextCalendarYear() {
        PointsWallet wallet = PointsWallet.EMPTY.earn("L1", 10, LocalDate.of(2024, 2, 29),
                NEXT_YEAR_END);
        assertThat(wallet.lots().get(0).expiresOn()).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(wallet.balanceOn(LocalDate.of(2025, 12, 31))).isEqualTo(10);
        assertThat(wallet.balanceOn(LocalDate.of(2026, 1, 1))).isZero();
    }

    @Test
    void rollingUseRestartsTheClockForAllRemainingPoints() {
        PointsWallet wallet = PointsWallet.EMPTY.earn("L1", 1_000, LocalDate.of(2024, 1, 1),
                ROLLING);
        assertThat(wallet.lots().get(0).expiresOn()).isEqualTo(LocalDate.of(2025, 1, 1));

        PointsSpend spend = accepted(wallet.spend(500, LocalDate.of(2024, 10, 1), ROLLING));

        assertThat(spend.wallet().lots()).singleElement().satisfies(lot -> {
            assertThat(lot.points()).isEqualTo(500);
            assertThat(lot.expiresOn()).isEqualTo(LocalDate.of(2025, 10, 1));
        });
    }

    @Test
    void fixedUseDoesNotRestartTheClock() {
        PointsWallet wallet = PointsWallet.EMPTY.earn("L1", 1_000, LocalDate.of(2024, 1, 1),
                FIXED_12);
        PointsSpend spend = accepted(wallet.spend(500, LocalDate.of(2024, 10, 1), FIXED_12));
        assertThat(spend.wallet().lots().get(0).expiresOn()).isEqualTo(LocalDate.of(2025, 1, 1));
    }

    @Test
    void spendingTakesTheLotsThatExpireFirst() {
        PointsWallet wallet = PointsWallet.EMPTY
                .earn("LATE", 300, LocalDate.of(2024, 6, 1), FIXED_12)
                .earn("EARLY", 200, LocalDate.of(2024, 2, 1), FIXED_12);
        PointsSpend spend = accepted(wallet.spend(250, LocalDate.of(2024, 7, 1), FIXED_12));
        assertThat(spend.draws()).extracting(LotDraw::lotId, LotDraw::points).containsExactly(
                org.assertj.core.groups.Tuple.tuple("EARLY", 200L),
                org.assertj.core.groups.Tuple.tuple("LATE", 50L));
        assertThat(spend.wallet().balanceOn(LocalDate.of(2024, 7, 1))).isEqualTo(250);
    }

    @Test
    void expiredLotsCannotBeSpent() {
        PointsWallet wallet = PointsWallet.EMPTY.earn("OLD", 300, LocalDate.of(2023, 1, 1),
                FIXED_12);
        TestSupport.rejectedWith(wallet.spend(1, LocalDate.of(2024, 1, 1), FIXED_12),
                RejectionCode.INSUFFICIENT_POINTS);
    }

    @Test
    void birthdayMonthExtendsEveryLiveLotByThreeMonthsOncePerYear() {
        PointsWallet wallet = PointsWallet.EMPTY
                .earn("L1", 100, LocalDate.of(2023, 6, 10), FIXED_12)
                .earn("L2", 200, LocalDate.of(2024, 2, 1), FIXED_12);
        PointsWallet extended = wallet.extendForBirthday(Month.MAY, LocalDate.of(2024, 5, 3),
                FIXED_12);
        assertThat(extended.lots()).extracting(PointsLot::expiresOn).containsExactly(
                LocalDate.of(2024, 9, 10), LocalDate.of(2025, 5, 1));
        assertThat(extended.extendForBirthday(Month.MAY, LocalDate.of(2024, 5, 20), FIXED_12))
                .isEqualTo(extended);
        assertThat(wallet.extendForBirthday(Month.MAY, LocalDate.of(2024, 6, 3), FIXED_12))
                .isEqualTo(wallet);
    }

    @Test
    void clawbackTakesTheOrdersOwnLotFirstAndReportsTheShortfall() {
        PointsWallet wallet = new PointsWallet(List.of(
                new PointsLot("OTHER", 40, LocalDate.of(2024, 1, 1), LocalDate.of(2025, 1, 1), 0),
                new PointsLot("O1", 30, LocalDate.of(2024, 5, 1), LocalDate.of(2025, 5, 1), 0)));
        PointsClawback clawback = wallet.clawback(100, "O1", LocalDate.of(2024, 6, 1));
        assertThat(clawback.taken()).isEqualTo(70);
        assertThat(clawback.shortfall()).isEqualTo(30);
        assertThat(clawback.wallet().lots()).isEmpty();
    }
}
