package io.kassa.engine.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.engine.core.channel.UnknownResolution.Query;
import io.kassa.engine.core.channel.UnknownResolution.Refund;
import io.kassa.engine.core.channel.UnknownResolution.Reverse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The unknown-payment schedule follows PAYMENTS.md's defaults step by step (first query, the
 * rhythm, the deadline, the earliest reverse, the reverse window), and bad timings are refused.
 */
class UnknownResolutionTest {

    private static Duration seconds(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Test
    void weChatPayQueriesEveryFiveSecondsThenReversesAtTheDeadline() {
        ChannelTimings wechat = ChannelTimings.wechatPayDefaults();
        assertThat(UnknownResolution.next(wechat, Duration.ZERO)).isEqualTo(new Query(seconds(5)));
        assertThat(UnknownResolution.next(wechat, seconds(5))).isEqualTo(new Query(seconds(5)));
        assertThat(UnknownResolution.next(wechat, Duration.ofMillis(5001)))
                .isEqualTo(new Query(seconds(10)));
        assertThat(UnknownResolution.next(wechat, seconds(39))).isEqualTo(new Query(seconds(40)));
        assertThat(UnknownResolution.next(wechat, Duration.ofMillis(40_001)))
                .isEqualTo(new Reverse(seconds(45)));
        assertThat(UnknownResolution.next(wechat, seconds(50))).isEqualTo(new Reverse(seconds(50)));
        assertThat(UnknownResolution.next(wechat, Duration.ofDays(7)))
                .isEqualTo(new Refund(Duration.ofDays(7)));
    }

    @Test
    void aReverseNeverComesSoonerThanTheChannelAllows() {
        ChannelTimings early = new ChannelTimings(seconds(1), seconds(1), seconds(3), seconds(15),
                Duration.ofDays(1));
        assertThat(UnknownResolution.next(early, seconds(3))).isEqualTo(new Reverse(seconds(15)));
        assertThat(UnknownResolution.next(early, Duration.ofMillis(2500)))
                .isEqualTo(new Reverse(seconds(15)));
    }

    @Test
    void alipayCancelsAtOnceAfterSixtySeconds() {
        ChannelTimings alipay = ChannelTimings.alipayDefaults();
        assertThat(UnknownResolution.next(alipay, seconds(56))).isEqualTo(new Query(seconds(57)));
        // The query that would fall on the deadline itself is replaced by the cancel.
        assertThat(UnknownResolution.next(alipay, seconds(58))).isEqualTo(new Reverse(seconds(60)));
        assertThat(UnknownResolution.next(alipay, seconds(60))).isEqualTo(new Reverse(seconds(60)));
    }

    @Test
    void badTimingsAreRefused() {
        assertThatThrownBy(() -> new ChannelTimings(seconds(5), Duration.ofMillis(99), seconds(30),
                seconds(15), Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ChannelTimings(seconds(5), Duration.ofMillis(100), seconds(30),
                seconds(15), Duration.ofDays(1)).queryInterval()).isEqualTo(Duration.ofMillis(100));
        assertThatThrownBy(() -> new ChannelTimings(seconds(5), seconds(5),
                ChannelTimings.RESOLUTION_DEADLINE_MAX.plusMillis(1), seconds(15),
                Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChannelTimings(seconds(5), seconds(5), seconds(30),
                seconds(15), seconds(30))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UnknownResolution.next(ChannelTimings.alipayDefaults(),
                Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
