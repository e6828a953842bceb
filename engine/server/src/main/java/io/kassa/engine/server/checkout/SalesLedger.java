package io.kassa.engine.server.checkout;

import io.kassa.engine.core.ledger.LedgerEntry;
import io.kassa.engine.core.points.LotDraw;
import io.kassa.engine.core.points.PointsLot;
import io.vertx.core.Future;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The port through which a checkout becomes durable: the sale, its lines and tenders and its
 * balanced ledger entries, in one transaction, exactly once per {@link SaleKey}.
 */
public interface SalesLedger {

    /**
     * Records the sale unless its key is already recorded.
     *
     * @return {@link RecordResult.Recorded} when this call wrote it, or {@link
     *     RecordResult.AlreadyRecorded} with the sale recorded earlier under the same key (in
     *     which case this call wrote nothing)
     */
    Future<RecordResult> record(SaleRecord sale);

    /**
     * A sale to write: what the terminal will be told plus what the books need, and what it
     * does to its member if it has one.
     */
    record SaleRecord(
            CommittedSale sale, List<RecordedLine> lines, List<RecordedTender> tenders,
            List<LedgerEntry> entries, Optional<MemberEffects> member) {

        public SaleRecord {
            lines = List.copyOf(lines);
            tenders = List.copyOf(tenders);
            entries = List.copyOf(entries);
            Objects.requireNonNull(member, "member");
        }

        public SaleRecord(CommittedSale sale, List<RecordedLine> lines,
                List<RecordedTender> tenders, List<LedgerEntry> entries) {
            this(sale, lines, tenders, entries, Optional.empty());
        }
    }

    /**
     * A member sale's effects, as reserved in the hot copy: the exact lot draws the hold made,
     * the stored value and coupons it holds, and what the sale adds (the earned lot, lifetime
     * points, an upgraded tier, a rolling restart of lot expiries).
     *
     * @param generation the hot copy's generation the hold was made in; the commit aborts if
     *     it is no longer current
     * @param bonusPoints the sale's points not attributed to lines (thresholds, first order),
     *     clawed back by the refund that completes the order
     * @param pointsPerYuan the redemption rate the sale's points tender was valued at
     */
    record MemberEffects(
            String memberId, String holdId, String generation, List<LotDraw> draws,
            long pointsRedeemed, long pointsEarned, Optional<PointsLot> earnedLot,
            LocalDate today, Optional<LocalDate> restartExpiryOn, long storedValueSpentFen,
            List<String> couponIds, String tierAfter, int tierRankAfter, long bonusPoints,
            long pointsPerYuan) {

        public MemberEffects {
            draws = List.copyOf(draws);
            couponIds = List.copyOf(couponIds);
            long drawn = 0;
            for (LotDraw draw : draws) {
                drawn = Math.addExact(drawn, draw.points());
            }
            if (drawn != pointsRedeemed) {
                throw new IllegalArgumentException("draws of " + drawn
                        + " points must equal the " + pointsRedeemed + " redeemed");
            }
        }
    }

    /**
     * @param earnedPoints the line's share of the order's floored points (largest remainder),
     *     kept so that a refund of the line claws back exactly what it earned
     */
    record RecordedLine(
            int lineNumber, String sku, String category, String name, long unitPriceFen,
            int quantity, long grossFen, long discountFen, long netFen, long earnedPoints) {

        public RecordedLine(int lineNumber, String sku, String category, String name,
                long unitPriceFen, int quantity, long grossFen, long discountFen, long netFen) {
            this(lineNumber, sku, category, name, unitPriceFen, quantity, grossFen,
                    discountFen, netFen, 0);
        }
    }

    /** @param reference what identifies the tender outside Kassa, or an empty string */
    record RecordedTender(int tenderNumber, String kind, long amountFen, long receivedFen,
            String reference) {

        public RecordedTender(int tenderNumber, String kind, long amountFen, long receivedFen) {
            this(tenderNumber, kind, amountFen, receivedFen, "");
        }
    }

    sealed interface RecordResult {
        /**
         * @param outboxId the outbox row carrying the member's effects to the hot copy, when the
         *     sale has a member
         * @param profile the member's profile as the sale's transaction left it, when the sale
         *     has a member and the ledger answers it
         */
        record Recorded(CommittedSale sale, Optional<Long> outboxId,
                Optional<ProfileUpdate> profile) implements RecordResult {
            public Recorded(CommittedSale sale) {
                this(sale, Optional.empty(), Optional.empty());
            }
        }

        record AlreadyRecorded(CommittedSale existing) implements RecordResult {
        }

        /** The sale key was fenced (abandoned past its hold's deadline): it never commits. */
        record Fenced(SaleKey key) implements RecordResult {
        }
    }

    /**
     * Makes a sale impossible to commit from now on, unless it already is committed: the
     * conditional write a hold's release waits for.
     *
     * @return true when the sale is (now) fenced, false when it had already committed
     */
    Future<Boolean> fence(SaleKey key);

    /**
     * What is recorded under {@code key}: the committed sale ({@link
     * RecordResult.AlreadyRecorded}), a fence ({@link RecordResult.Fenced}), or empty when
     * nothing is. A read for a terminal asking after its sale; writes nothing.
     */
    default Future<Optional<RecordResult>> find(SaleKey key) {
        return Future.failedFuture(new UnsupportedOperationException("find"));
    }
}
