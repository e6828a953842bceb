package io.kassa.engine.server.checkout;

/**
 * The states of a payment intent, as persisted (lower-case names in PostgreSQL, where a
 * trigger refuses every transition not drawn here).
 *
 * <pre>
 * CREATED -> SENT -> SUCCEEDED | FAILED | UNKNOWN
 * UNKNOWN -> QUERYING -> SUCCEEDED | FAILED | REVERSING
 * SUCCEEDED (no committed sale) -> REVERSING -> REVERSED | REFUNDED
 * REVERSED | FAILED -> REVERSING  (a success reported after the reverse: refund it)
 * </pre>
 */
public enum IntentState {
    /** Written; the pay call has not been sent. */
    CREATED,
    /** The pay call is (being) sent: from here on the customer may be charged. */
    SENT,
    /** The channel took the money. */
    SUCCEEDED,
    /** A definite failure, or never sent: no money moved. */
    FAILED,
    /** The pay call's outcome is not known (USERPAYING, SYSTEMERROR, no answer). */
    UNKNOWN,
    /** Being resolved by queries. */
    QUERYING,
    /** The money is being returned (reverse, cancel, or a full refund). */
    REVERSING,
    /** Closed by a reverse; {@code moneyReturned} says whether it had been paid. */
    REVERSED,
    /** Paid, then refunded in full because its sale did not complete. */
    REFUNDED;

    public String sql() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static IntentState ofSql(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }

    /** Nothing more happens to an intent in this state unless a channel reports otherwise. */
    public boolean isFinal() {
        return this == FAILED || this == REVERSED || this == REFUNDED;
    }

    /** Whether the outcome is still open: the customer may or may not be charged. */
    public boolean isOpen() {
        return this == CREATED || this == SENT || this == UNKNOWN || this == QUERYING
                || this == REVERSING;
    }
}
