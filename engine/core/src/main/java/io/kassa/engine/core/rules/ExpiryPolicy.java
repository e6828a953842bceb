package io.kassa.engine.core.rules;

import java.time.LocalDate;
import java.util.Objects;

/**
 * When points lots expire. Dates are exclusive: a lot with {@code expiresOn} 2025-01-01 can be
 * spent on 2024-12-31 and not on 2025-01-01.
 *
 * @param months lifetime of a lot for {@link ExpiryKind#FIXED_MONTHS} and {@link
 *     ExpiryKind#ROLLING}; ignored for {@link ExpiryKind#END_OF_NEXT_CALENDAR_YEAR}
 * @param birthdayExtensionMonths months every live lot gains once a year when the member's
 *     birthday month comes (0: no extension)
 */
public record ExpiryPolicy(ExpiryKind kind, int months, int birthdayExtensionMonths) {

    public ExpiryPolicy {
        Objects.requireNonNull(kind, "kind");
    }

    /** The expiry of a lot earned on {@code earnedOn}. */
    public LocalDate expiryOfLotEarnedOn(LocalDate earnedOn) {
        if (kind == ExpiryKind.END_OF_NEXT_CALENDAR_YEAR) {
            return LocalDate.of(earnedOn.getYear() + 2, 1, 1);
        }
        return earnedOn.plusMonths(months);
    }

    /** True when spending points restarts the clock of every remaining lot. */
    public boolean restartsOnUse() {
        return kind == ExpiryKind.ROLLING;
    }
}
