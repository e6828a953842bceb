package io.kassa.engine.core.channel;

import java.util.Objects;

/**
 * Where a scanned payment code goes: to one channel, or nowhere with a reason. A value, not an
 * exception: an unreadable code is an everyday event at a till.
 */
public sealed interface CodeRouting permits CodeRouting.Routed, CodeRouting.Unroutable {

    /** The code belongs to {@code channel}; {@code code} is the normalised digits to send. */
    record Routed(ChannelId channel, String code) implements CodeRouting {
        public Routed {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(code, "code");
        }
    }

    /** No channel takes the code; the explanation never repeats the full code. */
    record Unroutable(UnroutableReason reason, String explanation) implements CodeRouting {
        public Unroutable {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(explanation, "explanation");
        }
    }

    /** Why a code was not routed. */
    enum UnroutableReason {
        /** Nothing was scanned (or only whitespace). */
        EMPTY,
        /** Longer than any payment code; not looked at further. */
        TOO_LONG,
        /** Holds something other than the digits 0-9. */
        NOT_DIGITS,
        /** Well-formed digits that no configured route matches. */
        UNKNOWN_CODE;

        /** The scan itself is broken, as opposed to a code of a channel the chain lacks. */
        public boolean malformed() {
            return this != UNKNOWN_CODE;
        }
    }
}
