package io.kassa.engine.core.points;

import java.util.Optional;

/**
 * A member's standing before and after an order.
 *
 * @param upgraded whether this order takes the member up a tier (effective from the next order)
 * @param pointsToNextTier lifetime points still missing for {@code nextTier} after this order
 */
public record TierProgress(
        String tierBefore, long lifetimePointsBefore, long lifetimePointsAfter, String tierAfter,
        boolean upgraded, Optional<String> nextTier, long pointsToNextTier) {
}
