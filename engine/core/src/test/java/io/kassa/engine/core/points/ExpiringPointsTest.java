package io.kassa.engine.core.points;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The points a member lookup warns about: live lots expiring within the horizon, by day. */
class ExpiringPointsTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 1, 10);

    private static PointsLot lot(String id, long points, LocalDate expiresOn) {
        return new PointsLot(id, points, TODAY.minusMonths(11), expiresOn, 0);
    }

    @Test
    void lotsExpiringWithinTheHorizonAreSummedPerDaySoonestFirst() {
        List<PointsLot> lots = List.of(
                lot("far", 900, TODAY.plusDays(31)),
                lot("b", 200, TODAY.plusDays(30)),
                lot("a1", 100, TODAY.plusDays(1)),
                lot("a2", 50, TODAY.plusDays(1)),
                lot("expired", 70, TODAY),
                lot("empty", 0, TODAY.plusDays(2)));

        assertThat(ExpiringPoints.within(lots, TODAY, 30)).containsExactly(
                new ExpiringPoints(150, TODAY.plusDays(1)),
                new ExpiringPoints(200, TODAY.plusDays(30)));
    }

    @Test
    void noLotsOrNoneSoonGiveNothing() {
        assertThat(ExpiringPoints.within(List.of(), TODAY, 30)).isEmpty();
        assertThat(ExpiringPoints.within(List.of(lot("far", 5, TODAY.plusYears(1))), TODAY, 30))
                .isEmpty();
    }

    @Test
    void aNegativeHorizonIsABug() {
        assertThatThrownBy(() -> ExpiringPoints.within(List.of(), TODAY, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
