package io.kassa.engine.core.coupon;

import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.decision.RejectionCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The random split of a red packet (拼手气红包): one sharer's packet of {@code amountFen} cut
 * into {@code shares} shares for the friends who open it, each at least
 * {@code minimumShareFen}, the shares summing exactly to the amount.
 *
 * <p>The method is the "double average" one the big wallets use: each share but the last is
 * the minimum plus a uniform draw from zero to twice the mean spare of the shares still to
 * cut (the spare being what is left beyond everyone's minimum); the last share takes the rest.
 * A draw never exceeds the spare, so every later share can still have its minimum, and the
 * expected value of every position is the same (no position is favoured). The draws come from
 * SplitMix64 seeded by the caller, so that one seed always gives one split: the split is made
 * once when the packet is created, and can be recomputed from the stored seed to check it.
 */
public final class RedPacketSplit {

    /** A packet is shared by at most this many people. */
    public static final int SHARES_MAX = CouponIssuance.RED_PACKET_SHARES_MAX;

    /** The largest packet: 200 yuan, the ceiling the wallets put on one red packet. */
    public static final long AMOUNT_FEN_MAX = 20_000;

    private RedPacketSplit() {
    }

    /**
     * The shares, in the order they are handed out (the first opener gets the first).
     *
     * @param amountFen 1..{@link #AMOUNT_FEN_MAX}
     * @param shares 1..{@link #SHARES_MAX}
     * @param minimumShareFen at least 1
     * @return the shares, or a {@link RejectionCode#RED_PACKET_BELOW_MINIMUM} rejection when
     *     the amount cannot give every share its minimum
     * @throws IllegalArgumentException for a count, amount or minimum out of its range (the
     *     edge checks them first: they are bad input, not business outcomes)
     */
    public static Decision<List<Long>> split(long amountFen, int shares, long minimumShareFen,
            long seed) {
        if (shares < 1 || shares > SHARES_MAX) {
            throw new IllegalArgumentException("a red packet has 1 to " + SHARES_MAX
                    + " shares, not " + shares);
        }
        if (amountFen < 1 || amountFen > AMOUNT_FEN_MAX) {
            throw new IllegalArgumentException("a red packet holds 1 to " + AMOUNT_FEN_MAX
                    + " fen, not " + amountFen);
        }
        if (minimumShareFen < 1) {
            throw new IllegalArgumentException("a share's minimum is at least 1 fen, not "
                    + minimumShareFen);
        }
        // Both factors are small (<= 100 shares, amount <= 20,000 fen), but the minimum is not
        // bounded above: compare without overflowing.
        if (minimumShareFen > amountFen / shares) {
            return Decision.reject(RejectionCode.RED_PACKET_BELOW_MINIMUM, amountFen
                    + " fen cannot give each of " + shares + " shares at least "
                    + minimumShareFen + " fen");
        }
        SplitMix64 random = new SplitMix64(seed);
        List<Long> cut = new ArrayList<>(shares);
        long remaining = amountFen;
        for (int index = 0; index < shares; index++) {
            int left = shares - index;
            long share;
            if (left == 1) {
                share = remaining;
            } else {
                long spare = remaining - left * minimumShareFen;
                // Twice the mean spare of those left, never more than the spare itself
                // (left >= 2), so that every later share can still have its minimum.
                long upper = spare * 2 / left;
                share = minimumShareFen + random.nextBelow(upper + 1);
            }
            cut.add(share);
            remaining -= share;
        }
        if (remaining != 0 || cut.stream().anyMatch(share -> share < minimumShareFen)) {
            throw new AssertionError("red packet split of " + amountFen + " into " + shares
                    + " (minimum " + minimumShareFen + ", seed " + seed + ") broke: " + cut);
        }
        return Decision.accept(Collections.unmodifiableList(cut));
    }

    /**
     * SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator whose output is fixed by its
     * definition, so a stored seed gives the same split on every JDK.
     */
    static final class SplitMix64 {

        private long state;

        SplitMix64(long seed) {
            this.state = seed;
        }

        long next() {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** Uniform in [0, bound), without modulo bias (draws in the last partial run retried). */
        long nextBelow(long bound) {
            if (bound <= 0) {
                throw new IllegalArgumentException("bound must be > 0: " + bound);
            }
            long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
            long draw;
            do {
                draw = next() >>> 1;
            } while (draw >= limit);
            return draw % bound;
        }
    }
}
