package io.kassa.engine.server.checkout;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Ids (of orders, ledger transactions) as UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids
 * sort by creation time, so the primary-key index is appended to rather than written at random
 * pages, and an id reveals when the order was made.
 */
public final class TimeOrderedIds {

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TimeOrderedIds(Clock clock) {
        this.clock = clock;
    }

    public UUID next() {
        long millis = clock.millis();
        long randomHigh = random.nextLong();
        long randomLow = random.nextLong();
        long mostSignificant = (millis << 16) | 0x7000L | (randomHigh & 0x0FFFL);
        long leastSignificant = (randomLow & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(mostSignificant, leastSignificant);
    }
}
