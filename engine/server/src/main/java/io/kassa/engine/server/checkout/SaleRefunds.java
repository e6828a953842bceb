package io.kassa.engine.server.checkout;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.core.coupon.Coupon;
import io.kassa.engine.core.coupon.CouponBenefit;
import io.kassa.engine.core.coupon.CouponCondition;
import io.kassa.engine.core.coupon.CouponKind;
import io.kassa.engine.core.coupon.CouponScope;
import io.kassa.engine.core.coupon.CouponTemplate;
import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.ledger.RefundPosting;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.points.PointsLot;
import io.kassa.engine.core.points.PointsWallet;
import io.kassa.engine.core.refund.RefundOutcome;
import io.kassa.engine.core.refund.RefundRequest;
import io.kassa.engine.core.refund.Refunds;
import io.kassa.engine.core.refund.TenderRefund;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.rules.Store;
import io.kassa.engine.core.rules.StoreRules;
import io.kassa.engine.core.rules.StoreScope;
import io.kassa.engine.core.sale.Sale;
import io.kassa.engine.core.sale.SaleLine;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.checkout.RefundBalances.RefundReserve;
import io.kassa.engine.server.checkout.RefundReceipt.TenderReceipt;
import io.kassa.engine.server.checkout.RefundReceipt.TenderState;
import io.kassa.engine.server.checkout.SaleRefundOutcome.Reason;
import io.kassa.engine.server.checkout.SaleRefundStore.ChannelRefund;
import io.kassa.engine.server.checkout.SaleRefundStore.LotDelta;
import io.kassa.engine.server.checkout.SaleRefundStore.MemberRefund;
import io.kassa.engine.server.checkout.SaleRefundStore.PendingRefund;
import io.kassa.engine.server.checkout.SaleRefundStore.RefundRecord;
import io.kassa.engine.server.checkout.SaleRefundStore.RefundableSale;
import io.kassa.engine.server.gateways.PaymentChannel;
import io.kassa.engine.server.gateways.RefundResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refunds of committed sales, whole or per line, idempotent on the terminal's refund id. The
 * domain core decides every amount ({@link Refunds}: shares over the original tenders by
 * largest remainder, points restored to their lots, earned points clawed back, the shortfall
 * charged to the money refund, coupons back on a full refund while valid) from what the sale
 * stored when it committed, never from today's rules; this class sequences the writes so that
 * nothing is refunded twice and no point is spent twice.
 *
 * <pre>
 * find refund id -> committed: answer it again | pending: REFUND_PENDING
 * read sale + earlier refunds (PostgreSQL) -> member's lots (hot copy) -> compute (core)
 * record PENDING (one refund of a sale at a time, by sequence)
 *   -> hold the clawed-back points in the hot copy (a sale cannot spend them meanwhile)
 *   -> commit in PostgreSQL: lines, tender shares, ledger, lots, stored value, coupons,
 *      outbox row, channel refunds 'requested' -- all or nothing
 *   -> hot copy: hold final, points / stored value / coupons given back (outbox redoes it)
 *   -> each channel's refund API, idempotent on out_refund_no; an unknown answer is left
 *      'requested' for {@link RefundJanitor}, which repeats it with the same number
 * any failure before the commit: abandon the PENDING row (conditionally), then release the hold
 * </pre>
 */
public final class SaleRefunds {

    private static final Logger log = LoggerFactory.getLogger(SaleRefunds.class);

    /** How long a refund may stay PENDING before the janitor abandons it. */
    public static final Duration PENDING_LEASE = Duration.ofMinutes(2);

    /** How long an unanswered channel refund waits before it is asked again. */
    public static final Duration CHANNEL_RETRY_AFTER = Duration.ofSeconds(30);

    /** Computations per request when a sale spends the member's points meanwhile. */
    public static final int COMPUTE_ATTEMPTS_MAX = 3;

    /** The reason sent with every channel refund. */
    static final String CHANNEL_REASON = "Kassa refund";

    private final Vertx vertx;
    private final Supplier<ChainRules> rules;
    private final SaleRefundStore store;
    private final HotCopy hotCopy;
    private final MemberBalances balances;
    private final RefundBalances refundBalances;
    private final Outbox outbox;
    private final Function<ChannelId, Optional<PaymentChannel>> channels;
    private final Clock clock;
    private final Duration answerWithin;
    private final TimeOrderedIds ids;
    /** Refunds running on this node, so that a retry (after a reconnect) joins its run. */
    private final Map<RefundKey, Future<SaleRefundOutcome>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param answerWithin how long a request waits for the channels' refund answers before it
     *     is answered with those tenders PENDING
     */
    public SaleRefunds(Vertx vertx, Supplier<ChainRules> rules, SaleRefundStore store,
            HotCopy hotCopy, MemberBalances balances, RefundBalances refundBalances,
            Outbox outbox, Function<ChannelId, Optional<PaymentChannel>> channels, Clock clock,
            Duration answerWithin) {
        this.vertx = vertx;
        this.rules = rules;
        this.store = store;
        this.hotCopy = hotCopy;
        this.balances = balances;
        this.refundBalances = refundBalances;
        this.outbox = outbox;
        this.channels = channels;
        this.clock = clock;
        this.answerWithin = answerWithin;
        this.ids = new TimeOrderedIds(clock);
    }

    public SaleRefundStore store() {
        return store;
    }

    /** Refunds once per refund key; a retry answers what the first attempt committed. */
    public Future<SaleRefundOutcome> refund(RefundCommand command) {
        Promise<SaleRefundOutcome> run = Promise.promise();
        Future<SaleRefundOutcome> earlier = inFlight.putIfAbsent(command.key(), run.future());
        if (earlier != null) {
            // The same refund is running here (a resend after a reconnect): once it ends, this
            // request is answered as any retry is, from what it recorded.
            return earlier.transform(done -> refund(command));
        }
        run.future().onComplete(done -> inFlight.remove(command.key(), run.future()));
        store.find(command.key()).compose(found -> {
            if (found.isPresent()) {
                return answerExisting(command, found.get());
            }
            return store.sale(command.sale()).compose(sale -> sale.isEmpty()
                    ? Future.succeededFuture(refused(Reason.ORDER_NOT_FOUND, "no committed sale '"
                            + command.sale().saleId() + "' of terminal "
                            + command.sale().terminalId() + " in store "
                            + command.sale().storeId()))
                    : attempt(command, sale.get(), 1));
        }).onComplete(run);
        return run.future();
    }

    private static SaleRefundOutcome conflict(RefundCommand command) {
        return refused(Reason.REFUND_CONFLICT, "refund id '" + command.key().refundId()
                + "' was used for another sale or other lines; use a new refund id");
    }

    private Future<SaleRefundOutcome> answerExisting(RefundCommand command,
            SaleRefundStore.StoredRefund existing) {
        if (!existing.fingerprint().equals(command.fingerprint())) {
            return Future.succeededFuture(conflict(command));
        }
        if (existing.receipt().isEmpty()) {
            return Future.succeededFuture(refused(Reason.REFUND_PENDING, "refund '"
                    + command.key().refundId() + "' is being recorded; retry shortly"));
        }
        return withChannelStates(existing.receipt().get())
                .map(receipt -> new SaleRefundOutcome.Refunded(receipt, true));
    }

    /** The receipt with each channel tender's state as its channel refund now stands. */
    public Future<RefundReceipt> withChannelStates(RefundReceipt receipt) {
        return store.channelRefunds(receipt.refundUuid()).map(channelRefunds -> {
            Map<Integer, TenderState> states = new HashMap<>();
            for (ChannelRefund channelRefund : channelRefunds) {
                states.put(channelRefund.tenderNumber(), switch (channelRefund.state()) {
                    case "refunded" -> TenderState.DONE;
                    case "refused" -> TenderState.REFUSED;
                    default -> TenderState.PENDING;
                });
            }
            List<TenderReceipt> tenders = new ArrayList<>();
            for (TenderReceipt tender : receipt.tenders()) {
                tenders.add(new TenderReceipt(tender.tenderNumber(), tender.kind(),
                        tender.shareFen(), tender.amountFen(),
                        states.getOrDefault(tender.tenderNumber(), tender.state())));
            }
            return receipt.withTenders(tenders);
        });
    }

    private Future<SaleRefundOutcome> attempt(RefundCommand command, RefundableSale sale,
            int attempt) {
        if (sale.tenders().isEmpty()) {
            return Future.succeededFuture(refused(Reason.REFUND_EXCEEDS_SALE, "sale '"
                    + sale.key().saleId() + "' took no money: there is nothing to refund"));
        }
        Future<Optional<MemberBalances.HotMember>> hot = sale.memberId().isPresent()
                ? hotCopy.member(sale.memberId().get()).map(Optional::of)
                : Future.succeededFuture(Optional.empty());
        return hot.compose(member -> {
            ChainRules chain = rules.get();
            ZonedDateTime at = clock.instant().atZone(chain.forStore(sale.key().storeId())
                    .map(StoreRules::store).map(Store::zone).orElse(ZoneOffset.UTC));
            Optional<MemberSnapshot> snapshot = member.map(hotMember -> new MemberSnapshot(
                    sale.memberId().get(), "NORMAL", 0, new PointsWallet(hotMember.lots()),
                    hotMember.storedValueFen(), Optional.empty(), 0, Optional.empty()));
            RefundRequest request = command.wholeOrder() ? RefundRequest.wholeOrder()
                    : new RefundRequest.Lines(Set.copyOf(command.lineNumbers()));
            Decision<RefundOutcome> decided = Refunds.refund(chain, coreSale(chain, sale, at),
                    sale.refunded(), request, snapshot, at);
            if (decided instanceof Decision.Rejected<RefundOutcome> rejected) {
                return Future.succeededFuture(refused(Reason.REFUND_EXCEEDS_SALE,
                        rejected.rejection().explanation()));
            }
            RefundOutcome outcome = ((Decision.Accepted<RefundOutcome>) decided).value();
            return record(command, sale, outcome, member, attempt);
        });
    }

    /** The sale as the core's refunds take it, from what was stored when it committed. */
    private static Sale coreSale(ChainRules chain, RefundableSale sale, ZonedDateTime at) {
        List<Coupon> coupons = new ArrayList<>();
        for (MemberDirectory.CouponRecord record : sale.coupons()) {
            // A template since removed from the rules still names the coupon; a refund only
            // asks of it its code and validity.
            CouponTemplate template = chain.couponTemplate(record.templateId())
                    .orElseGet(() -> new CouponTemplate(record.templateId(),
                            CouponKind.NO_THRESHOLD_CASH, new CouponBenefit.AmountOff(0), 0,
                            new CouponScope(StoreScope.ALL_STORES, Set.of(), Set.of(),
                                    Set.of()), false, 1, CouponCondition.NONE, 0));
            coupons.add(new Coupon(record.couponId(), template, record.memberId(),
                    record.validFrom(), record.validUntil(), true));
        }
        return new Sale(sale.orderId().toString(), sale.key().storeId(),
                sale.committedAt().atZone(at.getZone()), sale.memberId(), sale.lines(),
                sale.tenders(), sale.bonusPoints(), coupons, sale.draws(),
                sale.pointsRedeemed(), sale.pointsPerYuan());
    }

    private Future<SaleRefundOutcome> record(RefundCommand command, RefundableSale sale,
            RefundOutcome outcome, Optional<MemberBalances.HotMember> member, int attempt) {
        UUID refundUuid = ids.next();
        String holdId = member.isPresent() ? "rf" + hex(refundUuid) : "";
        Instant now = clock.instant();
        PendingRefund pending = new PendingRefund(refundUuid, command.key(), sale.orderId(),
                sale.committedRefunds() + 1, command.fingerprint(), sale.memberId(), holdId,
                outcome.refunded().amountMinor(), now, now.plus(PENDING_LEASE));
        LotChanges lots = member.isPresent()
                ? LotChanges.of(new PointsWallet(member.get().lots()),
                        outcome.memberAfter().orElseThrow().points())
                : LotChanges.NONE;
        return store.begin(pending).compose(begun -> {
            if (!begun) {
                return store.find(command.key()).compose(found -> found.isPresent()
                        ? answerExisting(command, found.get())
                        : Future.succeededFuture(refused(Reason.REFUND_PENDING, "another"
                                + " refund of sale '" + sale.key().saleId() + "' is being"
                                + " recorded; retry shortly")));
            }
            if (member.isEmpty()) {
                return commit(command, sale, outcome, pending, Optional.empty(), lots);
            }
            String memberId = sale.memberId().get();
            String generation = member.get().generation();
            return refundBalances.reserveRefund(memberId, holdId, generation, lots.takes())
                    .compose(reserved -> {
                        if (reserved instanceof RefundReserve.Reserved
                                || reserved instanceof RefundReserve.Existing) {
                            return commit(command, sale, outcome, pending,
                                    Optional.of(generation), lots);
                        }
                        return abandon(pending).compose(abandoned -> {
                            if (reserved instanceof RefundReserve.Changed
                                    && attempt < COMPUTE_ATTEMPTS_MAX) {
                                // A sale spent the points meanwhile: compute from the new lots.
                                return store.sale(command.sale()).compose(again -> again
                                        .isEmpty() ? Future.succeededFuture(refused(
                                                Reason.ORDER_NOT_FOUND, "sale vanished"))
                                        : attempt(command, again.get(), attempt + 1));
                            }
                            if (reserved instanceof RefundReserve.Changed) {
                                return Future.succeededFuture(refused(Reason.REFUND_PENDING,
                                        "the member's points keep changing; retry shortly"));
                            }
                            return Future.failedFuture(new HotCopyLostException("member"
                                    + " balances are being rebuilt; retry shortly"));
                        });
                    });
        });
    }

    private Future<SaleRefundOutcome> commit(RefundCommand command, RefundableSale sale,
            RefundOutcome outcome, PendingRefund pending, Optional<String> generation,
            LotChanges lots) {
        RefundRecord record = recordOf(command, sale, outcome, pending, generation, lots);
        return store.commit(record).transform(done -> {
            if (done.succeeded()) {
                return afterCommit(record, done.result());
            }
            Throwable failure = done.cause();
            if (failure instanceof SaleRefundStore.NotPendingException) {
                // The janitor abandoned it (this took longer than the lease) and releases it.
                return Future.succeededFuture(refused(Reason.REFUND_PENDING, "the refund took"
                        + " too long and was abandoned; retry"));
            }
            return abandon(pending).compose(abandoned -> {
                if (!abandoned) {
                    // The commit's answer was lost but it committed: carry on from there.
                    return afterCommit(record, Optional.empty());
                }
                if (raced(failure)) {
                    return Future.succeededFuture(refused(Reason.REFUND_PENDING, "another"
                            + " refund of sale '" + sale.key().saleId() + "' committed"
                            + " meanwhile; retry"));
                }
                return Future.failedFuture(failure);
            });
        });
    }

    /** Another refund of the sale committed the same lines (or tender remainders) first. */
    private static boolean raced(Throwable failure) {
        return failure instanceof SaleRefundStore.RacedException;
    }

    /** Abandons a PENDING refund; once it can no longer commit, releases its hold. */
    private Future<Boolean> abandon(PendingRefund pending) {
        return store.abandon(pending.refundUuid()).compose(abandoned -> {
            if (!abandoned || pending.holdId().isEmpty()) {
                return Future.succeededFuture(abandoned);
            }
            return balances.release(pending.memberId().orElseThrow(), pending.holdId())
                    .compose(released -> store.holdReleased(pending.refundUuid()))
                    .map(true)
                    .recover(error -> {
                        log.warn("refund hold {} stays until the refund janitor releases it",
                                pending.holdId(), error);
                        return Future.succeededFuture(true);
                    });
        });
    }

    private RefundRecord recordOf(RefundCommand command, RefundableSale sale,
            RefundOutcome outcome, PendingRefund pending, Optional<String> generation,
            LotChanges lots) {
        Set<Integer> lines = new TreeSet<>(outcome.stateAfter().refundedLines());
        lines.removeAll(sale.refunded().refundedLines());
        List<SaleRefundStore.LineRefund> lineRefunds = new ArrayList<>();
        long grossFen = 0;
        long discountFen = 0;
        for (SaleLine line : sale.lines()) {
            if (lines.contains(line.lineNumber())) {
                lineRefunds.add(new SaleRefundStore.LineRefund(line.lineNumber(),
                        line.net().amountMinor()));
                grossFen = Math.addExact(grossFen, sale.lineGrossFen().get(line.lineNumber()));
                discountFen = Math.addExact(discountFen,
                        sale.lineDiscountFen().get(line.lineNumber()));
            }
        }
        List<TenderReceipt> tenders = new ArrayList<>();
        List<ChannelRefund> channelRefunds = new ArrayList<>();
        long storedValueBack = 0;
        for (TenderRefund refund : outcome.tenderRefunds()) {
            int tenderNumber = refund.tenderIndex() + 1;
            long amount = refund.amount().amountMinor();
            boolean throughChannel = PaymentOrchestrator.channelOf(refund.kind()).isPresent()
                    && amount > 0;
            tenders.add(new TenderReceipt(tenderNumber, refund.kind(),
                    refund.share().amountMinor(), amount,
                    throughChannel ? TenderState.PENDING : TenderState.DONE));
            if (throughChannel) {
                channelRefunds.add(new ChannelRefund("K" + hex(ids.next()).substring(1),
                        pending.refundUuid(), tenderNumber,
                        sale.tenderReferences().get(refund.tenderIndex()), refund.kind(),
                        amount, sale.tenders().get(refund.tenderIndex()).amount().amountMinor(),
                        "requested", "", 0));
            }
            if (refund.kind() == TenderKind.STORED_VALUE) {
                storedValueBack = Math.addExact(storedValueBack, amount);
            }
        }
        List<String> couponsRestored = new ArrayList<>();
        for (Coupon coupon : outcome.couponsRestored()) {
            couponsRestored.add(coupon.code());
        }
        Instant committedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        RefundReceipt receipt = new RefundReceipt(pending.refundUuid(), command.key(),
                command.sale(), sale.orderId(), List.copyOf(lines),
                outcome.refunded().amountMinor(), tenders, outcome.pointsRestored(),
                outcome.pointsClawedBack(), outcome.shortfallDeducted().amountMinor(),
                outcome.fullRefund(), couponsRestored, outcome.explanation(), committedAt);
        Optional<MemberRefund> member = generation.map(current -> new MemberRefund(
                sale.memberId().orElseThrow(), pending.holdId(), current, lots.deltas(),
                storedValueBackFen(outcome), outcome.pointsClawedBack(), couponsRestored,
                payloadOf(lots.gaining(), storedValueBackFen(outcome), couponsRestored)));
        assert member.isEmpty() || member.get().storedValueBackFen() == storedValueBack;
        return new RefundRecord(pending.refundUuid(), sale.orderId(), sale.key().storeId(),
                receipt, lineRefunds, tenders,
                RefundPosting.entries(sale.key().storeId(), sale.memberId(), grossFen,
                        discountFen, outcome),
                member, channelRefunds, outcome.pointsRestored(), outcome.pointsClawedBack(),
                outcome.shortfallDeducted().amountMinor(), outcome.fullRefund());
    }

    private static long storedValueBackFen(RefundOutcome outcome) {
        long back = 0;
        for (TenderRefund refund : outcome.tenderRefunds()) {
            if (refund.kind() == TenderKind.STORED_VALUE) {
                back = Math.addExact(back, refund.amount().amountMinor());
            }
        }
        return back;
    }

    /** After the commit: the hot copy (not awaited), then the channels (awaited, bounded). */
    private Future<SaleRefundOutcome> afterCommit(RefundRecord record, Optional<Long> outboxId) {
        record.member().ifPresent(member -> refundBalances.commitRefund(commitOf(member))
                .compose(result -> {
                    if (result == MemberBalances.FinishResult.CONFLICT) {
                        log.error("refund hold {} was released although the refund committed",
                                member.holdId());
                    }
                    // The refund took lifetime points back: the hot copy's profile follows.
                    return hotCopy.refreshProfile(member.memberId()).map(result);
                })
                .onSuccess(result -> outboxId.ifPresent(outbox::markApplied))
                .onFailure(error -> log.warn("refund {} not applied to the hot copy yet; the"
                        + " outbox relay will", record.refundUuid(), error)));
        if (record.channelRefunds().isEmpty()) {
            return Future.succeededFuture(
                    new SaleRefundOutcome.Refunded(record.receipt(), false));
        }
        List<Future<ChannelRefund>> calls = new ArrayList<>();
        for (ChannelRefund channelRefund : record.channelRefunds()) {
            calls.add(callChannel(channelRefund));
        }
        Promise<Void> answered = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, answerWithin.toMillis()),
                id -> answered.tryComplete());
        Future.join(calls).onComplete(done -> {
            vertx.cancelTimer(timer);
            answered.tryComplete();
        });
        return answered.future().compose(done -> withChannelStates(record.receipt()))
                .map(receipt -> new SaleRefundOutcome.Refunded(receipt, false));
    }

    /**
     * Asks a tender's channel to refund it, with its out_refund_no (the channel processes a
     * number once, so asking again is safe), and records the answer: refunded, refused (the
     * store must return the money another way), or still requested, to be asked again after
     * {@link #CHANNEL_RETRY_AFTER}.
     */
    public Future<ChannelRefund> callChannel(ChannelRefund refund) {
        Optional<PaymentChannel> channel = PaymentOrchestrator.channelOf(refund.kind())
                .flatMap(channels::apply);
        if (channel.isEmpty()) {
            return store.settleChannelRefund(refund.outRefundNo(), "requested", "",
                    "channel of " + refund.kind() + " not configured on this engine",
                    clock.instant().plus(CHANNEL_RETRY_AFTER));
        }
        return channel.get().refund(new io.kassa.engine.server.gateways.RefundRequest(
                        refund.outTradeNo(), refund.outRefundNo(), refund.amountFen(),
                        refund.tradeAmountFen(), CHANNEL_REASON))
                .compose(result -> {
                    if (result instanceof RefundResult.Refunded refunded) {
                        return store.settleChannelRefund(refund.outRefundNo(), "refunded",
                                refunded.refundId(), refunded.settled() ? "refunded"
                                        : "accepted, processing at the channel",
                                clock.instant());
                    }
                    if (result instanceof RefundResult.Refused refusal) {
                        log.error("channel refused refund {} of trade {} ({} fen): {} {}; the"
                                + " money must be returned another way", refund.outRefundNo(),
                                refund.outTradeNo(), refund.amountFen(), refusal.code(),
                                refusal.message());
                        return store.settleChannelRefund(refund.outRefundNo(), "refused", "",
                                refusal.code() + ": " + refusal.message(), clock.instant());
                    }
                    RefundResult.Unknown unknown = (RefundResult.Unknown) result;
                    return store.settleChannelRefund(refund.outRefundNo(), "requested", "",
                            "unknown: " + unknown.reason() + " " + unknown.detail(),
                            clock.instant().plus(CHANNEL_RETRY_AFTER));
                });
    }

    static RefundBalances.RefundCommit commitOf(MemberRefund member) {
        return new RefundBalances.RefundCommit(member.memberId(), member.holdId(),
                member.storedValueBackFen(), lotsOf(member.outboxPayload()),
                member.couponsRestored());
    }

    /** What the outbox row of a committed refund carries for the hot copy. */
    static JsonObject payloadOf(List<PointsLot> gaining, long storedValueBackFen,
            List<String> coupons) {
        JsonArray lots = new JsonArray();
        for (PointsLot lot : gaining) {
            lots.add(new JsonObject().put("lotId", lot.lotId()).put("points", lot.points())
                    .put("earnedOn", lot.earnedOn().toString())
                    .put("expiresOn", lot.expiresOn().toString())
                    .put("birthdayYear", lot.birthdayExtendedYear()));
        }
        return new JsonObject().put("storedValueBackFen", storedValueBackFen)
                .put("lots", lots).put("coupons", new JsonArray(coupons));
    }

    private static List<PointsLot> lotsOf(JsonObject payload) {
        List<PointsLot> lots = new ArrayList<>();
        JsonArray array = payload.getJsonArray("lots", new JsonArray());
        for (int index = 0; index < array.size(); index++) {
            JsonObject lot = array.getJsonObject(index);
            lots.add(new PointsLot(lot.getString("lotId"), lot.getLong("points"),
                    LocalDate.parse(lot.getString("earnedOn")),
                    LocalDate.parse(lot.getString("expiresOn")),
                    lot.getInteger("birthdayYear", 0)));
        }
        return lots;
    }

    /** Applies an outbox row of kind {@link OutboxRelay#KIND_COMMIT_REFUND}; idempotent. */
    static Future<Long> applyCommitted(MemberBalances balances, Outbox.Pending row) {
        if (!(balances instanceof RefundBalances refunds)) {
            return Future.failedFuture(new IllegalStateException("outbox row "
                    + row.outboxId() + " needs a hot copy that takes refunds"));
        }
        List<String> coupons = new ArrayList<>();
        row.payload().getJsonArray("coupons", new JsonArray())
                .forEach(coupon -> coupons.add((String) coupon));
        return refunds.commitRefund(new RefundBalances.RefundCommit(row.memberId(),
                        row.holdId(), row.payload().getLong("storedValueBackFen", 0L),
                        lotsOf(row.payload()), coupons))
                .map(result -> {
                    if (result == MemberBalances.FinishResult.CONFLICT) {
                        log.error("refund hold {} of member {} was released but its refund"
                                + " committed", row.holdId(), row.memberId());
                    }
                    return row.outboxId();
                });
    }

    private static SaleRefundOutcome refused(Reason reason, String explanation) {
        return new SaleRefundOutcome.Refused(reason, explanation);
    }

    private static String hex(UUID uuid) {
        return uuid.toString().replace("-", "");
    }

    /**
     * What a refund does to the member's lots, as the difference between the lots before (the
     * hot copy's) and after (the core's outcome): points taken out of a lot are clawed back and
     * are held before the commit; points a lot gains are restored and are added after it.
     */
    record LotChanges(Map<String, Long> takes, List<LotDelta> deltas, List<PointsLot> gaining) {

        static final LotChanges NONE = new LotChanges(Map.of(), List.of(), List.of());

        static LotChanges of(PointsWallet before, PointsWallet after) {
            Map<String, PointsLot> beforeLots = new LinkedHashMap<>();
            for (PointsLot lot : before.lots()) {
                beforeLots.put(lot.lotId(), lot);
            }
            Map<String, PointsLot> afterLots = new LinkedHashMap<>();
            for (PointsLot lot : after.lots()) {
                afterLots.put(lot.lotId(), lot);
            }
            Set<String> lotIds = new TreeSet<>(beforeLots.keySet());
            lotIds.addAll(afterLots.keySet());
            Map<String, Long> takes = new LinkedHashMap<>();
            List<LotDelta> deltas = new ArrayList<>();
            List<PointsLot> gaining = new ArrayList<>();
            for (String lotId : lotIds) {
                PointsLot was = beforeLots.get(lotId);
                PointsLot is = afterLots.get(lotId);
                long delta = (is == null ? 0 : is.points()) - (was == null ? 0 : was.points());
                if (delta < 0) {
                    takes.put(lotId, -delta);
                    deltas.add(new LotDelta(lotId, delta, was.expiresOn(),
                            was.birthdayExtendedYear()));
                } else if (delta > 0) {
                    deltas.add(new LotDelta(lotId, delta, is.expiresOn(),
                            is.birthdayExtendedYear()));
                    gaining.add(new PointsLot(lotId, delta, is.earnedOn(), is.expiresOn(),
                            is.birthdayExtendedYear()));
                }
            }
            return new LotChanges(takes, deltas, gaining);
        }
    }
}
