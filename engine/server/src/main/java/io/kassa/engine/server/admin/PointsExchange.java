package io.kassa.engine.server.admin;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Points exchanged for a coupon, as recorded: the caller's exchange id (its idempotency key),
 * the member, the offer, the coupon it issued, the points it took and the member's points
 * right after.
 */
public record PointsExchange(String exchangeId, String memberId, String offerId,
        String couponId, long pointsSpent, long pointsAfter) {

    public PointsExchange {
        Objects.requireNonNull(exchangeId, "exchangeId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(offerId, "offerId");
        Objects.requireNonNull(couponId, "couponId");
        if (pointsSpent <= 0 || pointsAfter < 0) {
            throw new IllegalArgumentException("an exchange spends points and leaves none"
                    + " negative: spent " + pointsSpent + ", after " + pointsAfter);
        }
    }

    /**
     * An exchange to make: {@code pointsCost} points of {@code memberId} for one coupon of
     * {@code couponTemplateId}, valid from {@code validFrom} until {@code validUntil}, within
     * the offer's chain-wide {@code stock} when it has one. {@code today} is the member's
     * calendar day, for which points lots are still live.
     */
    public record Request(String exchangeId, String memberId, String offerId, long pointsCost,
            String couponTemplateId, OptionalLong stock, Instant validFrom, Instant validUntil,
            LocalDate today) {

        public Request {
            Objects.requireNonNull(exchangeId, "exchangeId");
            Objects.requireNonNull(memberId, "memberId");
            Objects.requireNonNull(offerId, "offerId");
            Objects.requireNonNull(couponTemplateId, "couponTemplateId");
            Objects.requireNonNull(stock, "stock");
            if (pointsCost <= 0 || stock.isPresent() && stock.getAsLong() <= 0
                    || !validFrom.isBefore(validUntil)) {
                throw new IllegalArgumentException("not an exchange: cost " + pointsCost
                        + ", stock " + stock + ", valid " + validFrom + ".." + validUntil);
            }
        }

        /**
         * The answer to this request when {@code recorded} is the exchange its id names: the
         * recorded exchange, if it is this one retried; a 409 problem if the id was used for
         * another member or offer.
         */
        public Exchanged replayOf(PointsExchange recorded) {
            if (!recorded.exchangeId().equals(exchangeId)
                    || !recorded.memberId().equals(memberId)
                    || !recorded.offerId().equals(offerId)) {
                throw AdminProblem.conflict("exchange-id-reused", "exchange id " + exchangeId
                        + " names another exchange (another member or offer); use a new"
                        + " exchange id for a new exchange");
            }
            return new Exchanged(recorded, true, 0);
        }
    }

    /** What an exchange came to: a business outcome, never an exception. */
    public sealed interface Outcome permits Exchanged, SoldOut, InsufficientPoints {
    }

    /**
     * Done: now ({@code replayed} false), or earlier under the same exchange id. {@code
     * quotaTaken} is the offer's chain-wide count including this exchange when it was made
     * now on a limited offer, otherwise 0.
     */
    public record Exchanged(PointsExchange exchange, boolean replayed, long quotaTaken)
            implements Outcome {
    }

    /** The offer's stock is all taken; nothing was written. */
    public record SoldOut(long stock) implements Outcome {
    }

    /** The member has fewer live points than the offer costs; nothing was written. */
    public record InsufficientPoints(long available, long needed) implements Outcome {
    }
}
