package io.kassa.engine.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.engine.core.channel.CodeRouting.Routed;
import io.kassa.engine.core.channel.CodeRouting.Unroutable;
import io.kassa.engine.core.channel.CodeRouting.UnroutableReason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The default routing table sends each channel's codes to it and nothing else, table-driven
 * from PAYMENTS.md's rules with codes one digit off each boundary; limits are tested at N and
 * N+1; a configured route extends the table without displacing the defaults.
 */
class PaymentCodeRouterTest {

    private final PaymentCodeRouter router = PaymentCodeRouter.defaults();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // WeChat Pay: 18 digits, 10..15.
        "100000000000000000, wechatpay",
        "134567890123456789, wechatpay",
        "159999999999999999, wechatpay",
        // Alipay: 16..24 digits, 25..30.
        "2500000000000000, alipay",
        "286543210987654321, alipay",
        "300000000000000000000000, alipay",
        "2912345678901234567, alipay",
        // UnionPay QR: 19 digits starting 62.
        "6212345678901234567, unionpay",
    })
    void routesEachChannelsCodes(String code, String channel) {
        assertThat(router.route(code)).isEqualTo(new Routed(new ChannelId(channel), code));
    }

    @ParameterizedTest(name = "{0} is unknown")
    @CsvSource({
        "160000000000000000",          // WeChat prefix 16 is not issued
        "09123456789012345",           // 17 digits
        "1012345678901234567",         // WeChat prefix, 19 digits
        "10123456789012345",           // WeChat prefix, 17 digits
        "240000000000000000",          // Alipay prefix 24 is not issued
        "310000000000000000",          // nor 31
        "250000000000000",             // Alipay prefix, 15 digits
        "3000000000000000000000000",   // Alipay prefix, 25 digits
        "621234567890123456",          // UnionPay prefix, 18 digits
        "62123456789012345678",        // UnionPay prefix, 20 digits
        "5678123456789012345",         // WeBank is not in the default table
    })
    void rejectsCodesOutsideEveryRuleAsUnknown(String code) {
        CodeRouting routing = router.route(code);
        assertThat(routing).isInstanceOf(Unroutable.class);
        assertThat(((Unroutable) routing).reason()).isEqualTo(UnroutableReason.UNKNOWN_CODE);
        assertThat(((Unroutable) routing).explanation()).doesNotContain(code);
    }

    @Test
    void malformedScansSayHow() {
        assertThat(reason(null)).isEqualTo(UnroutableReason.EMPTY);
        assertThat(reason("   ")).isEqualTo(UnroutableReason.EMPTY);
        assertThat(reason("13456789012345678a")).isEqualTo(UnroutableReason.NOT_DIGITS);
        assertThat(reason("1345678901234567８9")).isEqualTo(UnroutableReason.NOT_DIGITS);
        assertThat(reason("-34567890123456789")).isEqualTo(UnroutableReason.NOT_DIGITS);
        assertThat(UnroutableReason.NOT_DIGITS.malformed()).isTrue();
        assertThat(UnroutableReason.UNKNOWN_CODE.malformed()).isFalse();
    }

    @Test
    void theScannersLineEndIsTrimmed() {
        assertThat(router.route("134567890123456789\r\n"))
                .isEqualTo(new Routed(ChannelId.WECHAT_PAY, "134567890123456789"));
    }

    @Test
    void codeLengthIsCheckedAtTheLimitAndOneBeyond() {
        String atLimit = "9".repeat(PaymentCodeRouter.CODE_DIGITS_MAX);
        assertThat(reason(atLimit)).isEqualTo(UnroutableReason.UNKNOWN_CODE);
        assertThat(reason(atLimit + "9")).isEqualTo(UnroutableReason.TOO_LONG);
        String scanAtLimit = atLimit + " ".repeat(
                PaymentCodeRouter.SCAN_CHARS_MAX - PaymentCodeRouter.CODE_DIGITS_MAX);
        assertThat(reason(scanAtLimit)).isEqualTo(UnroutableReason.UNKNOWN_CODE);
        assertThat(reason(scanAtLimit + " ")).isEqualTo(UnroutableReason.TOO_LONG);
    }

    @Test
    void aHugeScanIsRefusedBeforeAnyPatternRuns() {
        // A pattern prone to catastrophic backtracking would take ages on 10^6 characters.
        PaymentCodeRouter risky = PaymentCodeRouter.of(
                List.of(CodeRoute.of(new ChannelId("risky"), "(\\d+)+x")));
        long started = System.nanoTime();
        assertThat(((Unroutable) risky.route("1".repeat(1_000_000))).reason())
                .isEqualTo(UnroutableReason.TOO_LONG);
        assertThat(((Unroutable) risky.route("1".repeat(PaymentCodeRouter.CODE_DIGITS_MAX)))
                .reason()).isEqualTo(UnroutableReason.UNKNOWN_CODE);
        assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
    }

    @Test
    void configuredRoutesExtendTheDefaults() {
        ChannelId webank = new ChannelId("webank");
        PaymentCodeRouter extended = router.withRoute(CodeRoute.of(webank, "5678\\d{15}"));
        assertThat(extended.route("5678123456789012345"))
                .isEqualTo(new Routed(webank, "5678123456789012345"));
        assertThat(extended.route("134567890123456789"))
                .isEqualTo(new Routed(ChannelId.WECHAT_PAY, "134567890123456789"));
    }

    @Test
    void theFirstMatchingRouteWins() {
        ChannelId ownCard = new ChannelId("own-stored-value");
        PaymentCodeRouter ownFirst = PaymentCodeRouter.of(List.of(
                CodeRoute.of(ownCard, "13\\d{16}"), CodeRoute.of(ChannelId.WECHAT_PAY,
                        PaymentCodeRouter.WECHAT_PAY_PATTERN)));
        assertThat(((Routed) ownFirst.route("134567890123456789")).channel()).isEqualTo(ownCard);
        assertThat(((Routed) ownFirst.route("144567890123456789")).channel())
                .isEqualTo(ChannelId.WECHAT_PAY);
    }

    @Test
    void tableSizeIsCheckedAtTheLimitAndOneBeyond() {
        List<CodeRoute> routes = new ArrayList<>(Collections.nCopies(
                PaymentCodeRouter.ROUTES_MAX, CodeRoute.of(ChannelId.ALIPAY, "1")));
        assertThat(PaymentCodeRouter.of(routes).routes()).hasSize(PaymentCodeRouter.ROUTES_MAX);
        routes.add(CodeRoute.of(ChannelId.ALIPAY, "2"));
        assertThatThrownBy(() -> PaymentCodeRouter.of(routes))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PaymentCodeRouter.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void patternLengthIsCheckedAtTheLimitAndOneBeyond() {
        String atLimit = "1".repeat(CodeRoute.PATTERN_CHARS_MAX);
        assertThat(CodeRoute.of(ChannelId.ALIPAY, atLimit).pattern().pattern())
                .hasSize(CodeRoute.PATTERN_CHARS_MAX);
        assertThatThrownBy(() -> CodeRoute.of(ChannelId.ALIPAY, atLimit + "1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void channelNamesAreUrlSafe() {
        assertThat(new ChannelId("e-cny").name()).isEqualTo("e-cny");
        assertThatThrownBy(() -> new ChannelId("WeChat")).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChannelId("../x")).isInstanceOf(
                IllegalArgumentException.class);
    }

    private UnroutableReason reason(String scan) {
        return ((Unroutable) router.route(scan)).reason();
    }
}
