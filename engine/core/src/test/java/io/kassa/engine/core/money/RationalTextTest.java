package io.kassa.engine.core.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * How a rational is written for people (the points explanation): the long arithmetic used
 * when the values fit writes exactly what the BigInteger arithmetic writes, rounding half up
 * and marking an inexact value with an ellipsis; values too large for longs still write.
 */
class RationalTextTest {

    @Property(tries = 2_000)
    void longAndBigIntegerArithmeticWriteTheSame(
            @ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long numerator,
            @ForAll @LongRange(min = 1, max = 1_000_000_000L) long denominator,
            @ForAll @IntRange(min = 0, max = 6) int digits) {
        Rational value = Rational.of(numerator, denominator);
        assertThat(value.toDecimalString(digits)).isEqualTo(value.bigDecimalString(digits));
    }

    @Test
    void theWorkedExamplesLinesAreWrittenAsPeopleReadThem() {
        // Line A of DOMAIN.md's worked example earns 446.5548... points.
        assertThat(Rational.of(4_465_548_123L, 10_000_000).toDecimalString(4))
                .isEqualTo("446.5548…");
        assertThat(Rational.of(1, 2).toDecimalString(0)).isEqualTo("1…");
        assertThat(Rational.of(-1, 3).toDecimalString(2)).isEqualTo("-0.33…");
        assertThat(Rational.of(7, 4).toDecimalString(2)).isEqualTo("1.75");
        assertThat(Rational.of(3, 1).toString()).isEqualTo("3");
        assertThat(Rational.of(6, 4).toString()).isEqualTo("3/2");
    }

    @Test
    void valuesBeyondLongsStillWrite() {
        BigInteger huge = BigInteger.TEN.pow(30);
        Rational value = Rational.of(huge.add(BigInteger.ONE), BigInteger.valueOf(3));
        assertThat(value.toString()).isEqualTo(huge.add(BigInteger.ONE) + "/3");
        assertThat(value.toDecimalString(2)).isEqualTo(value.bigDecimalString(2))
                .isEqualTo("333333333333333333333333333333.67…");
        assertThat(Rational.of(Long.MAX_VALUE / 10, 7).toDecimalString(6))
                .isEqualTo(Rational.of(Long.MAX_VALUE / 10, 7).bigDecimalString(6));
    }

    @Test
    void negativeDigitsAreRefused() {
        assertThatThrownBy(() -> Rational.of(1, 3).toDecimalString(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
