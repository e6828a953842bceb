package io.kassa.engine.server.checkout;

import io.kassa.engine.core.points.PointsLot;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The hot copy's side of a refund, beside {@link MemberBalances}: the points a refund claws
 * back are taken out as a hold before PostgreSQL records the refund (so that no sale spends
 * them meanwhile); once it is recorded, the hold becomes final and what the refund gives back
 * becomes spendable. An abandoned refund's hold is ended by {@link MemberBalances#release},
 * which gives the points back. Every operation is atomic per member and idempotent.
 */
public interface RefundBalances {

    /**
     * Takes {@code takes} (lot id to points, from the lots the refund was computed on) out of
     * the member's lots as the hold {@code holdId}, in {@code generation}. An empty map places
     * an empty hold: the commit still needs it to be idempotent.
     */
    Future<RefundReserve> reserveRefund(String memberId, String holdId, String generation,
            Map<String, Long> takes);

    /** Makes a recorded refund's effects spendable in the hot copy. */
    Future<MemberBalances.FinishResult> commitRefund(RefundCommit commit);

    /**
     * What a recorded refund gives back: stored value, points into lots (added to a lot the hot
     * copy has, or recreating one it dropped when it was emptied), coupons made available.
     */
    record RefundCommit(String memberId, String holdId, long storedValueBackFen,
            List<PointsLot> lotsGaining, List<String> couponIds) {

        public RefundCommit {
            Objects.requireNonNull(memberId, "memberId");
            Objects.requireNonNull(holdId, "holdId");
            lotsGaining = List.copyOf(lotsGaining);
            couponIds = List.copyOf(couponIds);
            if (storedValueBackFen < 0) {
                throw new IllegalArgumentException("a refund never takes stored value");
            }
        }
    }

    sealed interface RefundReserve {
        record Reserved() implements RefundReserve {
        }

        /** This refund's hold exists already in this generation (a retry): its state. */
        record Existing(String state) implements RefundReserve {
        }

        record NotLoaded() implements RefundReserve {
        }

        record StaleGeneration(String current) implements RefundReserve {
        }

        /** A lot no longer holds what the refund was computed on; compute again. */
        record Changed(String lotId) implements RefundReserve {
        }
    }
}
