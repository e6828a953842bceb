package io.kassa.engine.core.quote;

import static io.kassa.engine.core.DemoChain.line;
import static io.kassa.engine.core.TestSupport.accepted;
import static io.kassa.engine.core.TestSupport.rejectedWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.DemoChain;
import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.basket.BasketPricing;
import io.kassa.engine.core.basket.PricedBasket;
import io.kassa.engine.core.coupon.Coupon;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.money.CurrencyCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each invalid quote input gets its own rejection code; limits are tested at N and N+1; and a
 * quote without member or coupons prices exactly like {@link BasketPricing#price}.
 */
class InvalidInputTest {

    private static QuoteRequest request(String store, List<BasketLine> lines,
            List<Coupon> coupons, long pointsWish) {
        return new QuoteRequest(store, DemoChain.THURSDAY, lines, Optional.empty(), coupons,
                pointsWish);
    }

    static Stream<Arguments> invalid() {
        List<BasketLine> ok = List.of(line("G", "general", 100, 1));
        return Stream.of(
                Arguments.of("empty basket", request(DemoChain.STORE, List.of(), List.of(), 0),
                        RejectionCode.EMPTY_BASKET),
                Arguments.of("negative price", request(DemoChain.STORE,
                        List.of(line("G", "general", -1, 1)), List.of(), 0),
                        RejectionCode.NEGATIVE_PRICE),
                Arguments.of("zero quantity", request(DemoChain.STORE,
                        List.of(line("G", "general", 100, 0)), List.of(), 0),
                        RejectionCode.INVALID_QUANTITY),
                Arguments.of("unknown category", request(DemoChain.STORE,
                        List.of(line("G", "jewellery", 100, 1)), List.of(), 0),
                        RejectionCode.UNKNOWN_CATEGORY),
                Arguments.of("unknown store", request("NOPE", ok, List.of(), 0),
                        RejectionCode.UNKNOWN_STORE),
                Arguments.of("negative points wish", new QuoteRequest(DemoChain.STORE,
                        DemoChain.THURSDAY, ok, Optional.of(DemoChain.member("NORMAL", 0, 0, 0)),
                        List.of(), -1), RejectionCode.NEGATIVE_POINTS_WISH),
                Arguments.of("points without member", request(DemoChain.STORE, ok, List.of(),
                        100), RejectionCode.POINTS_WITHOUT_MEMBER),
                Arguments.of("overflowing total", request(DemoChain.STORE,
                        List.of(line("G", "general", Long.MAX_VALUE / 2, 3)), List.of(), 0),
                        RejectionCode.AMOUNT_OVERFLOW),
                Arguments.of("lines over the limit", request(DemoChain.STORE,
                        Collections.nCopies(QuoteEngine.LINES_MAX + 1, line("G", "general", 1, 1)),
                        List.of(), 0), RejectionCode.TOO_MANY_LINES),
                Arguments.of("coupons over the limit", request(DemoChain.STORE, ok,
                        coupons(QuoteEngine.COUPONS_PRESENTED_MAX + 1), 0),
                        RejectionCode.TOO_MANY_COUPONS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void eachInvalidInputHasItsRejection(String name, QuoteRequest request,
            RejectionCode code) {
        rejectedWith(QuoteEngine.quote(DemoChain.rules(), request), code);
    }

    @Test
    void limitsAcceptExactlyN() {
        accepted(QuoteEngine.quote(DemoChain.rules(), request(DemoChain.STORE,
                Collections.nCopies(QuoteEngine.LINES_MAX, line("G", "general", 1, 1)),
                coupons(QuoteEngine.COUPONS_PRESENTED_MAX), 0)));
    }

    @Test
    void withoutMemberAndCouponsTheQuoteEqualsBasketPricing() {
        List<BasketLine> lines = DemoChain.workedExampleBasket();
        Quote quote = accepted(QuoteEngine.quote(DemoChain.rules(),
                request(DemoChain.STORE, lines, List.of(), 0)));
        PricedBasket plain = accepted(BasketPricing.price(lines, CurrencyCode.CNY));
        assertThat(quote.basket()).isEqualTo(plain);
        assertThat(quote.payableAfterPoints()).isEqualTo(plain.payable());
    }

    private static List<Coupon> coupons(int count) {
        List<Coupon> coupons = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            coupons.add(DemoChain.coupon("C" + index, DemoChain.templateById("cash-5"),
                    Optional.empty()));
        }
        return coupons;
    }
}
