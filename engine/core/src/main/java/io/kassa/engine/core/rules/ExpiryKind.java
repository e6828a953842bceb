package io.kassa.engine.core.rules;

/** How a points lot's expiry is set. */
public enum ExpiryKind {
    /** A lot expires a fixed number of months after it was earned. */
    FIXED_MONTHS,
    /** A lot expires at the end of the calendar year after the one it was earned in. */
    END_OF_NEXT_CALENDAR_YEAR,
    /** A lot expires months after earning, and every use restarts the clock for all lots. */
    ROLLING,
}
