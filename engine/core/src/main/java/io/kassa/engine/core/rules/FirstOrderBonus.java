package io.kassa.engine.core.rules;

/** Bonus points for a member's first order when its net amount reaches {@code minimumNetFen}. */
public record FirstOrderBonus(long minimumNetFen, long points) {

    /** No first-order bonus. */
    public static final FirstOrderBonus NONE = new FirstOrderBonus(0, 0);
}
