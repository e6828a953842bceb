package io.kassa.engine.core.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.decision.RejectionCode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The random split of a red packet, checked by properties over random amounts, share counts,
 * minimums and seeds (exact sum, every share at least the minimum, one split per seed, no
 * position favoured) and by examples of each input it refuses.
 */
class RedPacketSplitTest {

    /** A packet the split accepts: amount, shares and a minimum the amount can cover. */
    record Packet(long amountFen, int shares, long minimumShareFen) {
    }

    @Provide
    Arbitrary<Packet> packets() {
        return Combinators.combine(Arbitraries.integers().between(1, RedPacketSplit.SHARES_MAX),
                        Arbitraries.longs().between(1, RedPacketSplit.AMOUNT_FEN_MAX),
                        Arbitraries.doubles().between(0, 1))
                .filter((shares, amount, share) -> amount >= shares)
                .as((shares, amount, share) -> new Packet(amount, shares,
                        Math.max(1, (long) (amount / shares * share))));
    }

    static List<Long> accepted(Decision<List<Long>> decision) {
        assertThat(decision).isInstanceOf(Decision.Accepted.class);
        return ((Decision.Accepted<List<Long>>) decision).value();
    }

    @Property(tries = 2_000)
    void sharesSumToTheAmountAndEachHasItsMinimum(@ForAll("packets") Packet packet,
            @ForAll long seed) {
        List<Long> shares = accepted(RedPacketSplit.split(packet.amountFen(), packet.shares(),
                packet.minimumShareFen(), seed));
        assertThat(shares).hasSize(packet.shares());
        assertThat(shares.stream().mapToLong(Long::longValue).sum())
                .isEqualTo(packet.amountFen());
        assertThat(shares).allSatisfy(share -> assertThat(share)
                .isGreaterThanOrEqualTo(packet.minimumShareFen()));
    }

    @Property(tries = 500)
    void oneSeedGivesOneSplit(@ForAll("packets") Packet packet, @ForAll long seed) {
        assertThat(RedPacketSplit.split(packet.amountFen(), packet.shares(),
                packet.minimumShareFen(), seed)).isEqualTo(RedPacketSplit.split(
                packet.amountFen(), packet.shares(), packet.minimumShareFen(), seed));
    }

    @Property(tries = 300)
    void anAmountOfExactlyEveryMinimumGivesEveryoneTheMinimum(
            @ForAll("packets") Packet packet, @ForAll long seed) {
        long exact = packet.minimumShareFen() * packet.shares();
        assertThat(accepted(RedPacketSplit.split(exact, packet.shares(),
                packet.minimumShareFen(), seed))).containsOnly(packet.minimumShareFen());
    }

    @Property(tries = 300)
    void aFenShortOfEveryMinimumIsRejected(@ForAll("packets") Packet packet,
            @ForAll long seed) {
        long short1 = packet.minimumShareFen() * packet.shares() - 1;
        if (short1 < 1) {
            return;
        }
        Decision<List<Long>> decision = RedPacketSplit.split(short1, packet.shares(),
                packet.minimumShareFen(), seed);
        assertThat(decision).isInstanceOf(Decision.Rejected.class);
        assertThat(((Decision.Rejected<List<Long>>) decision).rejection().code())
                .isEqualTo(RejectionCode.RED_PACKET_BELOW_MINIMUM);
    }

    @Test
    void aTwentyYuanPacketForThreeIsAKnownSplitForItsSeed() {
        // Pins the generator and the method: a stored seed must give the same split forever.
        List<Long> shares = accepted(RedPacketSplit.split(2_000, 3, 1, 42));
        assertThat(shares).hasSize(3);
        assertThat(shares.stream().mapToLong(Long::longValue).sum()).isEqualTo(2_000);
        assertThat(shares).isEqualTo(accepted(RedPacketSplit.split(2_000, 3, 1, 42)));
        assertThat(shares).isNotEqualTo(accepted(RedPacketSplit.split(2_000, 3, 1, 43)));
        assertThat(shares).containsExactly(SHARES_OF_SEED_42);
    }

    /**
     * The split of 2,000 fen into 3 with seed 42, as computed by this class and, separately,
     * by a few lines of Python implementing SplitMix64 and the method from their definitions.
     */
    private static final Long[] SHARES_OF_SEED_42 = {1_063L, 586L, 351L};

    @Test
    void splitMix64MatchesItsReferenceOutput() {
        // The reference values of SplitMix64 seeded with 0 (as in the reference C code).
        RedPacketSplit.SplitMix64 generator = new RedPacketSplit.SplitMix64(0);
        assertThat(generator.next()).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(generator.next()).isEqualTo(0x6E789E6AA1B965F4L);
        assertThat(generator.next()).isEqualTo(0x06C45D188009454FL);
    }

    @Test
    void noPositionIsFavouredOverTenThousandSeeds() {
        // Deterministic seeds 0..9,999: each position's mean share is within 5% of the fair
        // share. The double-average method gives every position the same expected value.
        int shares = 5;
        long amount = 10_000;
        long[] sums = new long[shares];
        int seeds = 10_000;
        for (long seed = 0; seed < seeds; seed++) {
            List<Long> split = accepted(RedPacketSplit.split(amount, shares, 1, seed));
            for (int index = 0; index < shares; index++) {
                sums[index] += split.get(index);
            }
        }
        double fair = (double) amount / shares;
        for (int index = 0; index < shares; index++) {
            assertThat((double) sums[index] / seeds).as("position " + index)
                    .isBetween(fair * 0.95, fair * 1.05);
        }
    }

    @Test
    void aSingleShareIsTheWholePacket() {
        assertThat(accepted(RedPacketSplit.split(1_234, 1, 1, 7))).containsExactly(1_234L);
    }

    @Test
    void theLimitsAreAcceptedAndOneBeyondRefused() {
        assertThat(accepted(RedPacketSplit.split(RedPacketSplit.AMOUNT_FEN_MAX,
                RedPacketSplit.SHARES_MAX, 1, 1))).hasSize(RedPacketSplit.SHARES_MAX);
        assertThatThrownBy(() -> RedPacketSplit.split(RedPacketSplit.AMOUNT_FEN_MAX + 1, 3, 1,
                1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedPacketSplit.split(2_000, RedPacketSplit.SHARES_MAX + 1, 1,
                1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shapesOutOfRangeAreProgrammerErrors() {
        assertThatThrownBy(() -> RedPacketSplit.split(2_000, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedPacketSplit.split(0, 3, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedPacketSplit.split(-5, 3, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedPacketSplit.split(2_000, 3, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHugeMinimumIsRejectedWithoutOverflow() {
        Decision<List<Long>> decision = RedPacketSplit.split(2_000, 100, Long.MAX_VALUE / 2, 1);
        assertThat(decision).isInstanceOf(Decision.Rejected.class);
    }
}
