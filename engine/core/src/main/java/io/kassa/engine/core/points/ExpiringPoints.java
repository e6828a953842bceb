package io.kassa.engine.core.points;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Points of a member that expire on one day, as a member is told before they lapse.
 *
 * @param expiresOn exclusive, like {@link PointsLot#expiresOn()}: spendable until the day before
 */
public record ExpiringPoints(long points, LocalDate expiresOn) {

    public ExpiringPoints {
        Objects.requireNonNull(expiresOn, "expiresOn");
        if (points <= 0) {
            throw new IllegalArgumentException("expiring points are positive: " + points);
        }
    }

    /**
     * The live points of {@code lots} that expire within {@code days} days after {@code today}
     * (an expiry on {@code today + days} included), one entry per expiry day, soonest first.
     */
    public static List<ExpiringPoints> within(List<PointsLot> lots, LocalDate today, int days) {
        if (days < 0) {
            throw new IllegalArgumentException("days must be >= 0: " + days);
        }
        LocalDate horizon = today.plusDays(days);
        Map<LocalDate, Long> byDay = new TreeMap<>();
        for (PointsLot lot : lots) {
            if (lot.points() > 0 && lot.isLiveOn(today) && !lot.expiresOn().isAfter(horizon)) {
                byDay.merge(lot.expiresOn(), lot.points(), Math::addExact);
            }
        }
        List<ExpiringPoints> expiring = new ArrayList<>(byDay.size());
        byDay.forEach((day, points) -> expiring.add(new ExpiringPoints(points, day)));
        return expiring;
    }
}
