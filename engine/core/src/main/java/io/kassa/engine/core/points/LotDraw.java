package io.kassa.engine.core.points;

import java.time.LocalDate;

/**
 * Points taken from one lot, remembered with the lot's dates so that a refund can put them back
 * where they came from.
 */
public record LotDraw(String lotId, long points, LocalDate earnedOn, LocalDate expiresOn,
        int birthdayExtendedYear) {
}
