package io.kassa.peripherals.gateway;

import java.util.Objects;

/**
 * What the simulator does with one payment code, for tests that need a path exactly rather
 * than by chance. Codes without a plan draw their fate from the simulator's knobs.
 *
 * @param outcome what happens to the trade
 * @param userPasswordMillis for {@link Outcome#USER_PAYING}: how long the customer takes to
 *     enter the password before the trade succeeds; negative means never
 * @param failureCode for {@link Outcome#FAIL}: the channel's business error code (null: a
 *     typical one of the channel)
 * @param silent when true the pay call is processed but never answered, as when the answer is
 *     lost on the way back
 * @param reverseAttemptsNeeded how many reverse (or cancel) calls it takes: the earlier ones
 *     answer "system error, call again"
 * @param notifies false when the channel sends no notification of the trade by itself (a code
 *     payment may send none: the query is the primary path), whatever the simulator's knobs
 */
public record TradePlan(Outcome outcome, long userPasswordMillis, String failureCode,
        boolean silent, int reverseAttemptsNeeded, boolean notifies) {

    /** Most reverse attempts a plan may demand. */
    public static final int REVERSE_ATTEMPTS_MAX = 10;

    /** How a trade ends (before any reverse or refund). */
    public enum Outcome {
        /** Paid at once. */
        SUCCESS,
        /** The customer must enter a password; the trade succeeds after the delay. */
        USER_PAYING,
        /** A definite business failure (insufficient balance, expired code, ...). */
        FAIL,
        /** The channel answers "system error" although the trade did succeed. */
        SYSTEM_ERROR_BUT_PAID,
    }

    public TradePlan {
        Objects.requireNonNull(outcome, "outcome");
        if (reverseAttemptsNeeded < 1 || reverseAttemptsNeeded > REVERSE_ATTEMPTS_MAX) {
            throw new IllegalArgumentException(
                    "reverse attempts are 1.." + REVERSE_ATTEMPTS_MAX + ": "
                            + reverseAttemptsNeeded);
        }
    }

    public static TradePlan success() {
        return new TradePlan(Outcome.SUCCESS, 0, null, false, 1, true);
    }

    public static TradePlan userPaying(long passwordMillis) {
        return new TradePlan(Outcome.USER_PAYING, passwordMillis, null, false, 1, true);
    }

    public static TradePlan userPayingForever() {
        return userPaying(-1);
    }

    public static TradePlan failure(String code) {
        return new TradePlan(Outcome.FAIL, 0, code, false, 1, true);
    }

    public static TradePlan systemErrorButPaid() {
        return new TradePlan(Outcome.SYSTEM_ERROR_BUT_PAID, 0, null, false, 1, true);
    }

    /** This plan, with the pay call never answered. */
    public TradePlan unanswered() {
        return new TradePlan(outcome, userPasswordMillis, failureCode, true, reverseAttemptsNeeded,
                notifies);
    }

    /** This plan, with reverse needing {@code attempts} calls. */
    public TradePlan reverseNeeding(int attempts) {
        return new TradePlan(outcome, userPasswordMillis, failureCode, silent, attempts, notifies);
    }

    /** This plan, with no notification sent by the channel on its own. */
    public TradePlan withoutNotifications() {
        return new TradePlan(outcome, userPasswordMillis, failureCode, silent,
                reverseAttemptsNeeded, false);
    }
}
