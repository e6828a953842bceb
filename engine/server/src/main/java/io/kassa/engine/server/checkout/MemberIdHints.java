package io.kassa.engine.server.checkout;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which member a code or phone number named when this node last read it from PostgreSQL: a
 * hint, never an answer. A quote that must read its member from PostgreSQL reads the member's
 * hot copy at the same time under the hinted id, so the two round trips overlap instead of
 * following each other; PostgreSQL's answer decides, and when it names another member (a phone
 * number passed to someone else) the hot copy is read again under the right id.
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
