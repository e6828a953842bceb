package io.kassa.engine.server.checkout;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which member a code or phone number named when PostgreSQL last answered it on this node: a
 * hint, never an answer. A quote or checkout whose code has a hint reads the hot copy under the
 * hinted id, and uses what it finds only when that member answers to the code (its member code
 * or phone, kept in the hot copy's profile); otherwise PostgreSQL names the member again
 * (ADR 0014).
 *
 * <p>Bounded: past {@link #MAX_HINTS} the hints are forgotten all at once and relearnt from
 * the next reads (a few megabytes at most). Thread-safe: quotes arrive on every event loop.
 */
final class MemberIdHints {

    /** Codes remembered at most, about 150 bytes each. */
    static final int MAX_HINTS = 50_000;

    private final ConcurrentHashMap<String, String> memberIds = new ConcurrentHashMap<>();
    private final int maxHints;

    MemberIdHints() {
        this(MAX_HINTS);
    }

    MemberIdHints(int maxHints) {
        if (maxHints < 1) {
            throw new IllegalArgumentException("maxHints must be >= 1");
        }
        this.maxHints = maxHints;
    }

    /** The member {@code codeOrPhone} named at the last read, if this node remembers it. */
    Optional<String> memberId(String codeOrPhone) {
        return Optional.ofNullable(memberIds.get(codeOrPhone));
    }

    /** What PostgreSQL just answered for {@code codeOrPhone}. */
    void learn(String codeOrPhone, String memberId) {
        if (memberIds.size() >= maxHints && !memberIds.containsKey(codeOrPhone)) {
            memberIds.clear();
        }
        memberIds.put(codeOrPhone, memberId);
    }

    int size() {
        return memberIds.size();
    }
}
