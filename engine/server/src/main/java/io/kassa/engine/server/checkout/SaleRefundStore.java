package io.kassa.engine.server.checkout;

import io.kassa.engine.core.ledger.LedgerEntry;
import io.kassa.engine.core.points.LotDraw;
import io.kassa.engine.core.refund.RefundState;
import io.kassa.engine.core.sale.SaleLine;
import io.kassa.engine.core.tender.Tender;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The port to durable refunds: the committed sale as a refund needs it, refunds recorded
 * PENDING before the hot copy is touched and COMMITTED in one transaction with their ledger
 * transaction and member effects, and the channel refunds they ask for.
 */
public interface SaleRefundStore {

    /** The committed sale under {@code key} with what its earlier refunds did; empty if none. */
    Future<Optional<RefundableSale>> sale(SaleKey key);

    /** The live (pending or committed) refund under {@code key}. */
    Future<Optional<StoredRefund>> find(RefundKey key);

    /**
     * Records a refund as PENDING.
     *
     * @return false when the key or the sale's next sequence is taken (a refund with the same
     *     key, or another refund of the sale, got there first)
     */
    Future<Boolean> begin(PendingRefund refund);

    /**
     * Commits a PENDING refund with everything it does, in one transaction.
     *
     * @return the outbox row carrying the member's side to the hot copy (empty without a
     *     member), or a failed future with {@link NotPendingException} when the refund was
     *     abandoned meanwhile, or with {@link RacedException} when another refund of the sale
     *     took its lines first
     */
    Future<Optional<Long>> commit(RefundRecord refund);

    /**
     * PENDING to ABANDONED, conditionally: after this the refund can never commit.
     *
     * @return true when the refund is (now) abandoned, false when it had committed
     */
    Future<Boolean> abandon(UUID refundUuid);

    /** Refunds PENDING past their lease, and abandoned ones whose hold is still to release. */
    Future<List<PendingRefund>> overdue(Instant now, int limit);

    /** Forgets an abandoned refund's hold once it is released. */
    Future<Void> holdReleased(UUID refundUuid);

    /** The channel refunds a committed refund asked for. */
    Future<List<ChannelRefund>> channelRefunds(UUID refundUuid);

    /**
     * Takes one channel refund still 'requested' whose lease ran out, leasing it until {@code
     * leaseUntil}: one caller at a time across nodes.
     */
    Future<Optional<ChannelRefund>> claimOverdueChannelRefund(Instant now, Instant leaseUntil);

    /** Records a channel's answer; a 'requested' refund keeps its state with a new lease. */
    Future<ChannelRefund> settleChannelRefund(String outRefundNo, String state,
            String channelRefundId, String detail, Instant leaseUntil);

    /**
     * Thrown (as a failed future) by {@link #commit} when another refund of the sale committed
     * the same lines, or the tenders' remainders, first: nothing was written; compute again.
     */
    final class RacedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RacedException(UUID refundUuid, Throwable cause) {
            super("refund " + refundUuid + " lost a race with another refund of its sale",
                    cause);
        }
    }

    /** Thrown (as a failed future) when a refund is committed that is no longer PENDING. */
    final class NotPendingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NotPendingException(UUID refundUuid) {
            super("refund " + refundUuid + " is no longer pending");
        }
    }

    /**
     * A committed sale as refunds see it. {@code lineGrossFen} and {@code lineDiscountFen}
     * are by line number; {@code tenderReferences} by tender index (an external tender's
     * merchant order number).
     */
    record RefundableSale(
            UUID orderId, SaleKey key, Instant committedAt, Optional<String> memberId,
            List<SaleLine> lines, Map<Integer, Long> lineGrossFen,
            Map<Integer, Long> lineDiscountFen, List<Tender> tenders,
            List<String> tenderReferences, long bonusPoints, List<LotDraw> draws,
            long pointsRedeemed, long pointsPerYuan, List<MemberDirectory.CouponRecord> coupons,
            RefundState refunded, int committedRefunds) {

        public RefundableSale {
            lines = List.copyOf(lines);
            lineGrossFen = Map.copyOf(lineGrossFen);
            lineDiscountFen = Map.copyOf(lineDiscountFen);
            tenders = List.copyOf(tenders);
            tenderReferences = List.copyOf(tenderReferences);
            draws = List.copyOf(draws);
            coupons = List.copyOf(coupons);
        }
    }

    /** @param state PENDING or COMMITTED; {@code receipt} is present once committed */
    record StoredRefund(UUID refundUuid, RefundKey key, UUID orderId, String fingerprint,
            String state, Optional<RefundReceipt> receipt) {
    }

    /** A refund as first recorded, before the hot copy is touched. */
    record PendingRefund(UUID refundUuid, RefundKey key, UUID orderId, int sequence,
            String fingerprint, Optional<String> memberId, String holdId, long refundedFen,
            Instant createdAt, Instant leaseUntil) {

        public PendingRefund {
            Objects.requireNonNull(memberId, "memberId");
        }
    }

    /**
     * Everything a refund writes when it commits.
     *
     * @param channelRefunds the channel refunds to ask for, written before any is called
     */
    record RefundRecord(
            UUID refundUuid, UUID orderId, String storeId, RefundReceipt receipt,
            List<LineRefund> lines, List<RefundReceipt.TenderReceipt> tenders,
            List<LedgerEntry> entries, Optional<MemberRefund> member,
            List<ChannelRefund> channelRefunds, long pointsRestored, long pointsClawedBack,
            long shortfallFen, boolean fullRefund) {

        public RefundRecord {
            lines = List.copyOf(lines);
            tenders = List.copyOf(tenders);
            entries = List.copyOf(entries);
            channelRefunds = List.copyOf(channelRefunds);
            Objects.requireNonNull(member, "member");
        }
    }

    record LineRefund(int lineNumber, long netFen) {
    }

    /**
     * A refund's effect on its member, in PostgreSQL as in the hot copy.
     *
     * @param lotDeltas per lot, points added (restored) or, negative, taken (clawed back)
     * @param generation the hot copy generation the clawback hold was placed in
     * @param outboxPayload what the outbox row carries for the hot copy
     */
    record MemberRefund(String memberId, String holdId, String generation,
            List<LotDelta> lotDeltas, long storedValueBackFen, long lifetimePointsClawedBack,
            List<String> couponsRestored, JsonObject outboxPayload) {

        public MemberRefund {
            lotDeltas = List.copyOf(lotDeltas);
            couponsRestored = List.copyOf(couponsRestored);
        }
    }

    /**
     * @param expiresOn for a lot gaining points: its expiry when the store no longer has any of
     *     its points (it is recreated so)
     */
    record LotDelta(String lotId, long points, java.time.LocalDate expiresOn,
            int birthdayExtendedYear) {
    }

    /**
     * One tender's refund through its channel.
     *
     * @param state requested (not yet answered definitely), refunded or refused
     */
    record ChannelRefund(String outRefundNo, UUID refundUuid, int tenderNumber,
            String outTradeNo, io.kassa.engine.core.tender.TenderKind kind, long amountFen,
            long tradeAmountFen, String state, String detail, int attempts) {
    }
}
