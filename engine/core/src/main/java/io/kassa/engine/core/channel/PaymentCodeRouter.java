package io.kassa.engine.core.channel;

import io.kassa.engine.core.channel.CodeRouting.Routed;
import io.kassa.engine.core.channel.CodeRouting.Unroutable;
import io.kassa.engine.core.channel.CodeRouting.UnroutableReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Routes a scanned payment code (付款码) to its channel by an ordered table of patterns; the
 * first route that matches the whole code wins, so a chain that adds an overlapping route
 * decides precedence by its position.
 *
 * <p>The input is checked before any pattern runs: its length is bounded, and only ASCII digits
 * reach the patterns. A configured pattern therefore runs on at most {@link #CODE_DIGITS_MAX}
 * digits, which bounds the cost of any backtracking it might do.
 */
public final class PaymentCodeRouter {

    /** Longest payment code: Alipay's are at most 24 digits; room is left for other channels. */
    public static final int CODE_DIGITS_MAX = 32;

    /**
     * Longest raw scan looked at, whitespace included. A scanner appends a carriage return or a
     * line feed, so a little more than {@link #CODE_DIGITS_MAX} is tolerated before trimming.
     */
    public static final int SCAN_CHARS_MAX = 64;

    /** Most routes a table may hold. */
    public static final int ROUTES_MAX = 32;

    /** WeChat Pay: 18 digits starting 10 to 15. */
    public static final String WECHAT_PAY_PATTERN = "1[0-5]\\d{16}";
    /** Alipay: 16 to 24 digits starting 25 to 30. */
    public static final String ALIPAY_PATTERN = "(?:2[5-9]|30)\\d{14,22}";
    /**
     * UnionPay QR: 19 digits starting 62 (unverified against an official specification, hence
     * configurable). A bank card number is never typed into this path: card payments are
     * approved on the PIN pad.
     */
    public static final String UNIONPAY_PATTERN = "62\\d{17}";

    private final List<CodeRoute> routes;

    private PaymentCodeRouter(List<CodeRoute> routes) {
        this.routes = routes;
    }

    /** The table of PAYMENTS.md: WeChat Pay, Alipay, UnionPay QR. */
    public static PaymentCodeRouter defaults() {
        return of(defaultRoutes());
    }

    public static List<CodeRoute> defaultRoutes() {
        return List.of(
                CodeRoute.of(ChannelId.WECHAT_PAY, WECHAT_PAY_PATTERN),
                CodeRoute.of(ChannelId.ALIPAY, ALIPAY_PATTERN),
                CodeRoute.of(ChannelId.UNIONPAY, UNIONPAY_PATTERN));
    }

    /** A table of the given routes, in order of precedence. */
    public static PaymentCodeRouter of(List<CodeRoute> routes) {
        Objects.requireNonNull(routes, "routes");
        if (routes.isEmpty() || routes.size() > ROUTES_MAX) {
            throw new IllegalArgumentException(
                    "a routing table has 1.." + ROUTES_MAX + " routes: " + routes.size());
        }
        return new PaymentCodeRouter(List.copyOf(routes));
    }

    /** This table with {@code route} appended (lowest precedence). */
    public PaymentCodeRouter withRoute(CodeRoute route) {
        List<CodeRoute> extended = new ArrayList<>(routes);
        extended.add(route);
        return of(extended);
    }

    public List<CodeRoute> routes() {
        return routes;
    }

    public CodeRouting route(String scan) {
        if (scan == null) {
            return new Unroutable(UnroutableReason.EMPTY, "nothing was scanned");
        }
        if (scan.length() > SCAN_CHARS_MAX) {
            return new Unroutable(UnroutableReason.TOO_LONG, "the scan has " + scan.length()
                    + " characters; a payment code has at most " + CODE_DIGITS_MAX + " digits");
        }
        String code = scan.strip();
        if (code.isEmpty()) {
            return new Unroutable(UnroutableReason.EMPTY, "nothing was scanned");
        }
        if (code.length() > CODE_DIGITS_MAX) {
            return new Unroutable(UnroutableReason.TOO_LONG, "the code has " + code.length()
                    + " characters; a payment code has at most " + CODE_DIGITS_MAX + " digits");
        }
        for (int index = 0; index < code.length(); index++) {
            char character = code.charAt(index);
            if (character < '0' || character > '9') {
                return new Unroutable(UnroutableReason.NOT_DIGITS,
                        "a payment code is digits only; character " + (index + 1) + " is not");
            }
        }
        for (CodeRoute route : routes) {
            if (route.matches(code)) {
                return new Routed(route.channel(), code);
            }
        }
        return new Unroutable(UnroutableReason.UNKNOWN_CODE, "no channel takes a "
                + code.length() + "-digit code starting " + masked(code));
    }

    /**
     * The first two digits only: a payment code is a bearer credential for about a minute, so
     * neither logs nor explanations carry it whole.
     */
    private static String masked(String code) {
        return code.substring(0, Math.min(2, code.length()));
    }
}
