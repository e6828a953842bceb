package io.kassa.engine.server.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A split red packet (拼手气红包) as recorded: a sharer's amount cut into shares when it was
 * created, opened by friends until {@code openUntil}, each opened share a coupon of its amount
 * owned by its opener. The shares not yet opened are not part of this view: their amounts stay
 * unknown until someone opens them.
 *
 * @param storeId the sharer's home store when the packet was made: whose managers see it
 * @param openings the shares opened so far, in the order they were opened
 */
public record RedPacket(String packetId, String requestId, String templateId,
        String sharerMemberId, Optional<String> storeId, long amountFen, int shares,
        long minimumShareFen, Instant openUntil, Instant createdAt, List<Opening> openings) {

    public RedPacket {
        Objects.requireNonNull(packetId, "packetId");
        Objects.requireNonNull(openUntil, "openUntil");
        openings = List.copyOf(openings);
        if (openings.size() > shares) {
            throw new IllegalStateException("packet " + packetId + " has " + openings.size()
                    + " openings for " + shares + " shares");
        }
        long opened = openings.stream().mapToLong(Opening::amountFen).sum();
        if (opened > amountFen) {
            throw new IllegalStateException("packet " + packetId + " gave " + opened
                    + " fen of " + amountFen);
        }
    }

    /** One opened share: who opened it (the phone as stored: mask it before showing it). */
    public record Opening(int shareNumber, String memberId, Optional<String> phone,
            long amountFen, String couponId, Instant openedAt) {
    }

    public boolean isOpenAt(Instant at) {
        return at.isBefore(openUntil);
    }

    public long openedFen() {
        return openings.stream().mapToLong(Opening::amountFen).sum();
    }

    /**
     * A packet to create: its split (the core's RedPacketSplit of {@code amountFen} from
     * {@code seed}: the shares in the order they are handed out) and its deadline.
     */
    public record New(String packetId, String requestId, String templateId,
            String sharerMemberId, Optional<String> storeId, long amountFen,
            long minimumShareFen, long seed, List<Long> shareAmountsFen, Instant createdAt, Instant openUntil) {

        public New {
            shareAmountsFen = List.copyOf(shareAmountsFen);
            long sum = shareAmountsFen.stream().mapToLong(Long::longValue).sum();
            if (sum != amountFen || shareAmountsFen.stream().anyMatch(
                    share -> share < minimumShareFen)) {
                throw new IllegalArgumentException("shares " + shareAmountsFen + " do not split "
                        + amountFen + " fen with a minimum of " + minimumShareFen);
            }
            if (!createdAt.isBefore(openUntil)) {
                throw new IllegalArgumentException("a packet closes after it is made");
            }
        }

        /** Whether {@code recorded} is this packet (a retry of its request), not another. */
        public boolean sameAs(RedPacket recorded) {
            return recorded.templateId().equals(templateId)
                    && recorded.sharerMemberId().equals(sharerMemberId)
                    && recorded.amountFen() == amountFen
                    && recorded.shares() == shareAmountsFen.size()
                    && recorded.minimumShareFen() == minimumShareFen;
        }
    }

    /** What creating a packet gave. */
    public sealed interface Creation {
    }

    /** The packet, made now or (replayed) by an earlier attempt of the same request id. */
    public record Created(RedPacket packet, boolean replayed) implements Creation {
    }

    /** The request id names another packet: its first use made something else. */
    public record RequestIdReused(RedPacket packet) implements Creation {
    }

    /**
     * An opening to make: the next free share of {@code packetId} for {@code memberId}, as a
     * coupon of {@code templateId} valid for {@code couponValidity} from {@code at}.
     */
    public record OpenRequest(String packetId, String memberId, String templateId,
            Duration couponValidity, Instant at) {
    }

    /** What opening a packet gave. */
    public sealed interface Opened {
    }

    /** The member's share: taken now, or (replayed) the one the member opened before. */
    public record ShareOpened(Opening opening, boolean replayed, int openedCount)
            implements Opened {
    }

    /** Every share is taken. */
    public record Empty(int shares) implements Opened {
    }

    /** The packet's deadline has passed and the member holds no share of it. */
    public record Expired(Instant openUntil) implements Opened {
    }

    /** No packet of that id. */
    public record Missing() implements Opened {
    }
}
