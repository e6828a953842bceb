package io.kassa.engine.core.points;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Points earned together, expiring together. {@code expiresOn} is exclusive: the lot can be
 * spent the day before and not on that day.
 *
 * @param birthdayExtendedYear the year the lot last got its birthday extension (0: never)
 */
public record PointsLot(
        String lotId, long points, LocalDate earnedOn, LocalDate expiresOn,
        int birthdayExtendedYear) {

    public PointsLot {
        Objects.requireNonNull(lotId, "lotId");
        Objects.requireNonNull(earnedOn, "earnedOn");
        Objects.requireNonNull(expiresOn, "expiresOn");
        if (points < 0) {
            throw new IllegalArgumentException("a lot never holds negative points: " + points);
        }
    }

    public boolean isLiveOn(LocalDate date) {
        return date.isBefore(expiresOn);
    }

    PointsLot withPoints(long newPoints) {
        return new PointsLot(lotId, newPoints, earnedOn, expiresOn, birthdayExtendedYear);
    }

    PointsLot withExpiresOn(LocalDate newExpiresOn) {
        return new PointsLot(lotId, points, earnedOn, newExpiresOn, birthdayExtendedYear);
    }
}
