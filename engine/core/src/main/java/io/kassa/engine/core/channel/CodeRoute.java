package io.kassa.engine.core.channel;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One row of the routing table: a scanned payment code matching {@code pattern} in full belongs
 * to {@code channel}. The patterns are configuration (PAYMENTS.md marks some as unverified),
 * so they are bounded in length; the codes they run on are bounded too (see {@link
 * PaymentCodeRouter#CODE_DIGITS_MAX}), which bounds any backtracking.
 */
public record CodeRoute(ChannelId channel, Pattern pattern) {

    /** Longest regular expression a configured route may have. */
    public static final int PATTERN_CHARS_MAX = 128;

    public CodeRoute {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.pattern().length() > PATTERN_CHARS_MAX) {
            throw new IllegalArgumentException("a route pattern has at most "
                    + PATTERN_CHARS_MAX + " characters: " + pattern.pattern().length());
        }
    }

    /** @throws java.util.regex.PatternSyntaxException when {@code regex} is not valid */
    public static CodeRoute of(ChannelId channel, String regex) {
        Objects.requireNonNull(regex, "regex");
        if (regex.length() > PATTERN_CHARS_MAX) {
            throw new IllegalArgumentException("a route pattern has at most "
                    + PATTERN_CHARS_MAX + " characters: " + regex.length());
        }
        return new CodeRoute(channel, Pattern.compile(regex));
    }

    boolean matches(String digits) {
        return pattern.matcher(digits).matches();
    }
}
