package io.kassa.engine.server.checkout;

import io.kassa.engine.core.basket.PricedLine;
import io.kassa.engine.core.coupon.Coupon;
import io.kassa.engine.core.coupon.CouponBenefit;
import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.ledger.SalePosting;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.points.LotDraw;
import io.kassa.engine.core.points.PointsLot;
import io.kassa.engine.core.points.PointsWallet;
import io.kassa.engine.core.quote.Quote;
import io.kassa.engine.core.quote.QuoteEngine;
import io.kassa.engine.core.quote.QuoteRequest;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.rules.Store;
import io.kassa.engine.core.rules.StoreRules;
import io.kassa.engine.core.rules.Tier;
import io.kassa.engine.core.sale.Checkout;
import io.kassa.engine.core.sale.CompletedSale;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.checkout.MemberBalances.FinishResult;
import io.kassa.engine.server.checkout.MemberBalances.HoldCommit;
import io.kassa.engine.server.checkout.MemberBalances.HoldRequest;
import io.kassa.engine.server.checkout.MemberBalances.HoldView;
import io.kassa.engine.server.checkout.MemberBalances.ReserveResult;
import io.kassa.engine.server.checkout.SalesLedger.MemberEffects;
import io.kassa.engine.server.checkout.SalesLedger.RecordResult;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkout orchestration. It decides nothing about money itself: the domain core prices
 * and validates; this class sequences the one hold in the hot copy, the one durable write and
 * the hold's commit, and turns a retry into the answer the first attempt got.
 *
 * <pre>
 * price + validate (core) -> reserve hold (hot copy) -> record sale (PostgreSQL, group commit)
 *     -> commit hold (hot copy; the outbox redoes it after a crash) -> answer
 * any failure before the record: fence the sale in PostgreSQL, then release the hold
 * </pre>
 */
public final class CheckoutService {

    private static final Logger log = LoggerFactory.getLogger(CheckoutService.class);

    /** How long a hold may stay open before the janitor may fence and release it. */
    public static final Duration HOLD_DEADLINE = Duration.ofMinutes(2);

    /** The rules in force, read at each use: a new configuration version applies at once. */
    private final Supplier<ChainRules> rules;
    private final SalesLedger ledger;
    private final HotCopy hotCopy;
    private final MemberDirectory directory;
    private final MemberBalances balances;
    private final Outbox outbox;
    private final Clock clock;
    private final TimeOrderedIds orderIds;
    /** Which member a code named when this node last asked PostgreSQL. */
    private final MemberIdHints memberIdHints = new MemberIdHints();
    private volatile CheckoutMetrics metrics = CheckoutMetrics.NONE;
    private volatile PaymentSetup payments;
    /** Checkouts with channel tenders running on this node, so that a retry joins its run. */
    private final Map<SaleKey, Future<CheckoutOutcome>> paymentsInFlight =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * How channel tenders are taken: the orchestration, where late outcomes go, and how long a
     * checkout request is held open before it is answered "payment pending".
     */
    private record PaymentSetup(PaymentOrchestrator orchestrator, PaymentUpdates updates,
            Duration answerWithin) {
    }

    public CheckoutService(ChainRules rules, SalesLedger ledger, HotCopy hotCopy,
            MemberDirectory directory, MemberBalances balances, Outbox outbox, Clock clock) {
        this(() -> rules, ledger, hotCopy, directory, balances, outbox, clock);
    }

    /** Prices with whatever version {@code rules} gives at each request. */
    public CheckoutService(Supplier<ChainRules> rules, SalesLedger ledger, HotCopy hotCopy,
            MemberDirectory directory, MemberBalances balances, Outbox outbox, Clock clock) {
        this.rules = rules;
        this.ledger = ledger;
        this.hotCopy = hotCopy;
        this.directory = directory;
        this.balances = balances;
        this.outbox = outbox;
        this.clock = clock;
        this.orderIds = new TimeOrderedIds(clock);
    }

    /** Prices a basket for a customer; reads only. */
    public Future<Decision<Quote>> quote(QuoteCommand command) {
        long startedNanos = System.nanoTime();
        ZonedDateTime at = storeTime(command.storeId());
        return memberContext(command.memberCode(), at, Optional.empty(), MemberRead.HOT)
                .map(member -> member.then(context -> QuoteEngine.quote(rules.get(),
                        new QuoteRequest(command.storeId(), at, command.lines(),
                                context.map(MemberContext::snapshot),
                                context.map(MemberContext::coupons).orElse(List.of()),
                                command.pointsWish()))))
                .andThen(result -> metrics.quoteFinished(command.storeId(), result.succeeded(),
                        System.nanoTime() - startedNanos));
    }

    /** Refunds of this engine's committed sales, once enabled. */
    private volatile SaleRefunds refunds;

    /** Enables refunds (SPEC.md 6.21) through {@code saleRefunds}. */
    public void enableRefunds(SaleRefunds saleRefunds) {
        this.refunds = java.util.Objects.requireNonNull(saleRefunds, "saleRefunds");
    }

    /** The refunds of committed sales, when enabled on this engine. */
    public Optional<SaleRefunds> refunds() {
        return Optional.ofNullable(refunds);
    }

    /** Where checkout outcomes and latencies are reported; nothing is by default. */
    public void instrument(CheckoutMetrics checkoutMetrics) {
        this.metrics = java.util.Objects.requireNonNull(checkoutMetrics, "checkoutMetrics");
    }

    /**
     * Enables tenders paid through a channel (WeChat Pay, Alipay, UnionPay QR). A checkout whose
     * payment takes longer than {@code answerWithin} (a customer entering a password) is
     * answered {@link CheckoutOutcome.PaymentPending}; its outcome then goes to {@code updates}.
     */
    public void enablePayments(PaymentOrchestrator orchestrator, PaymentUpdates updates,
            Duration answerWithin) {
        if (answerWithin.isNegative() || answerWithin.isZero()) {
            throw new IllegalArgumentException("answerWithin must be positive");
        }
        this.payments = new PaymentSetup(orchestrator, updates, answerWithin);
    }

    /** Completes a sale exactly once per sale key. */
    public Future<CheckoutOutcome> checkout(CheckoutCommand command) {
        long startedNanos = System.nanoTime();
        ZonedDateTime at = storeTime(command.key().storeId());
        String holdId = HoldIds.of(command.key());
        return memberContext(command.memberCode(), at, Optional.of(holdId), MemberRead.HOT)
                .compose(member -> {
            if (member instanceof Decision.Rejected<Optional<MemberContext>> rejected) {
                return rejectedUnlessRecorded(command,
                        new CheckoutOutcome.Rejected(rejected.rejection()));
            }
            Optional<MemberContext> context =
                    ((Decision.Accepted<Optional<MemberContext>>) member).value();
            UUID orderId = orderIds.next();
            QuoteRequest request = new QuoteRequest(command.key().storeId(), at, command.lines(),
                    context.map(MemberContext::snapshot),
                    context.map(MemberContext::coupons).orElse(List.of()), 0);
            Decision<CompletedSale> completed =
                    Checkout.complete(rules.get(), request, command.tenders(),
                            orderId.toString());
            if (completed instanceof Decision.Rejected<CompletedSale> rejected) {
                return rejectedUnlessRecorded(command,
                        new CheckoutOutcome.Rejected(rejected.rejection()));
            }
            CompletedSale sale = ((Decision.Accepted<CompletedSale>) completed).value();
            String fingerprint = RequestFingerprint.of(command);
            List<PaymentOrchestrator.ChannelTender> channelTenders = channelTenders(command);
            if (!channelTenders.isEmpty()) {
                return payThenRecord(command, context, sale, orderId, fingerprint, holdId,
                        channelTenders);
            }
            if (context.isEmpty()) {
                return record(command, sale, orderId, fingerprint, Optional.empty(),
                        command.tenderReferences());
            }
            return reserveAndThen(command, context.get(), sale, orderId, fingerprint, holdId,
                    effects -> record(command, sale, orderId, fingerprint,
                            Optional.of(effects), command.tenderReferences()));
        }).andThen(result -> metrics.checkoutFinished(command.key(), result,
                System.nanoTime() - startedNanos));
    }

    /**
     * Reserves the member's internal tenders as a hold, then runs {@code finish} with the
     * effects the sale will have; when {@code finish} fails, the sale is fenced and the hold
     * released.
     */
    private Future<CheckoutOutcome> reserveAndThen(CheckoutCommand command,
            MemberContext member, CompletedSale sale, UUID orderId, String fingerprint,
            String holdId,
            java.util.function.Function<MemberEffects, Future<CheckoutOutcome>> finish) {
        LocalDate today = sale.quote().storeLocalDate();
        long pointsRedeemed = sale.sale().pointsRedeemed();
        long storedValueFen = sumOf(sale.settled().tenders(), TenderKind.STORED_VALUE);
        List<String> coupons = new ArrayList<>();
        for (Coupon coupon : sale.couponsRedeemed()) {
            coupons.add(coupon.code());
        }
        HoldRequest hold = new HoldRequest(member.profile().memberId(), holdId, "",
                pointsRedeemed, storedValueFen, coupons, today,
                clock.instant().plus(HOLD_DEADLINE));
        MemberBalances.HoldEntry entry =
                new MemberBalances.HoldEntry(member.profile().memberId(), holdId, command.key());
        return hotCopy.reserve(entry, hold).compose(reserved -> {
            List<LotDraw> draws;
            if (reserved instanceof ReserveResult.Reserved placed) {
                draws = placed.draws();
            } else if (reserved instanceof ReserveResult.Existing existing) {
                draws = existing.draws();
            } else {
                balances.unindexHold(entry);
                CheckoutOutcome refusal = refused(reserved);
                return refusal instanceof CheckoutOutcome.Rejected rejected
                        ? rejectedUnlessRecorded(command, rejected)
                        : Future.succeededFuture(refusal);
            }
            String generation = hotCopy.generation().orElse("");
            MemberEffects effects = effects(member, sale, holdId, generation, draws, today,
                    storedValueFen, coupons, orderId);
            return finish.apply(effects)
                    .recover(failure -> fenceAndRelease(command, member, holdId)
                            .transform(released -> Future.failedFuture(failure)));
        });
    }

    /** The rank of {@code tierName} among the chain's tiers, lowest 0. */
    private int tierRank(String tierName) {
        List<Tier> tiers = rules.get().tiers().tiers();
        for (int rank = 0; rank < tiers.size(); rank++) {
            if (tiers.get(rank).name().equals(tierName)) {
                return rank;
            }
        }
        return 0;
    }

    private MemberEffects effects(MemberContext member, CompletedSale sale, String holdId,
            String generation, List<LotDraw> draws, LocalDate today, long storedValueFen,
            List<String> coupons, UUID orderId) {
        long earned = sale.quote().pointsToEarn();
        Optional<PointsLot> earnedLot = earned > 0
                ? Optional.of(new PointsLot(orderId.toString(), earned, today,
                        rules.get().expiry().expiryOfLotEarnedOn(today), 0))
                : Optional.empty();
        long redeemed = sale.sale().pointsRedeemed();
        Optional<LocalDate> restart = rules.get().expiry().restartsOnUse() && redeemed > 0
                ? Optional.of(today.plusMonths(rules.get().expiry().months()))
                : Optional.empty();
        String tierAfter = sale.memberAfter().map(MemberSnapshot::tierName)
                .orElse(member.profile().tierName());
        return new MemberEffects(member.profile().memberId(), holdId, generation, draws,
                redeemed, earned, earnedLot, today, restart, storedValueFen, coupons, tierAfter,
                tierRank(tierAfter), sale.sale().bonusPoints(), sale.sale().pointsPerYuan());
    }

    private Future<CheckoutOutcome> record(CheckoutCommand command, CompletedSale sale,
            UUID orderId, String fingerprint, Optional<MemberEffects> member,
            List<String> references) {
        SalesLedger.SaleRecord record =
                saleRecord(command, sale, orderId, fingerprint, member, references);
        return ledger.record(record).compose(result -> {
            if (result instanceof RecordResult.Recorded recorded) {
                member.ifPresent(effects -> commitHold(effects, recorded.outboxId(),
                        recorded.profile(), new MemberBalances.HoldEntry(effects.memberId(),
                                effects.holdId(), command.key())));
                return Future.succeededFuture(
                        new CheckoutOutcome.Committed(recorded.sale(), false));
            }
            if (result instanceof RecordResult.Fenced fenced) {
                Future<FinishResult> released = member.isPresent()
                        ? balances.release(member.get().memberId(), member.get().holdId())
                        : Future.succeededFuture(FinishResult.NO_HOLD);
                return released.map(done -> new CheckoutOutcome.Abandoned(fenced.key()));
            }
            CommittedSale existing = ((RecordResult.AlreadyRecorded) result).existing();
            return Future.succeededFuture(existing.requestFingerprint().equals(fingerprint)
                    ? new CheckoutOutcome.Committed(existing, true)
                    : new CheckoutOutcome.Conflict(existing));
        });
    }

    /**
     * Turns the hold into final debits. The terminal is answered without waiting: PostgreSQL
     * already holds the sale, and the outbox relay redoes this if it does not happen.
     */
    private void commitHold(MemberEffects effects, Optional<Long> outboxId,
            Optional<ProfileUpdate> profile, MemberBalances.HoldEntry entry) {
        // The index entry and the member's new profile go with the commit (one round trip):
        // the sale is in PostgreSQL, so should this commit not happen, the outbox relay
        // finishes the hold and puts PostgreSQL's profile in place.
        balances.commitAndUnindex(new HoldCommit(effects.memberId(), effects.holdId(),
                        effects.today(), effects.restartExpiryOn(),
                        effects.earnedLot().map(List::of).orElse(List.of()), profile), entry)
                .onSuccess(result -> {
                    if (result == FinishResult.CONFLICT) {
                        log.error("hold {} was released although its sale committed",
                                effects.holdId());
                    } else {
                        outboxId.ifPresent(outbox::markApplied);
                    }
                })
                .onFailure(error -> log.warn("hold {} not committed in the hot copy yet; the"
                        + " outbox relay will", effects.holdId(), error));
    }

    /** The tenders paid through a channel; their references hold the scanned codes. */
    private static List<PaymentOrchestrator.ChannelTender> channelTenders(
            CheckoutCommand command) {
        List<PaymentOrchestrator.ChannelTender> found = new ArrayList<>();
        for (int index = 0; index < command.tenders().size(); index++) {
            Tender tender = command.tenders().get(index);
            if (PaymentOrchestrator.channelOf(tender.kind()).isPresent()) {
                found.add(new PaymentOrchestrator.ChannelTender(index + 1, tender.kind(),
                        command.tenderReferences().get(index), tender.amount().amountMinor()));
            }
        }
        return found;
    }

    /**
     * A sale with channel tenders: hold the internal tenders, take the channel tenders (one
     * intent per attempt, see {@link PaymentOrchestrator}), then record the sale naming its
     * intents; a retry of a sale in flight here joins its run. Answered within the configured
     * bound, else "payment pending" with the outcome pushed later.
     */
    private Future<CheckoutOutcome> payThenRecord(CheckoutCommand command,
            Optional<MemberContext> context, CompletedSale sale, UUID orderId,
            String fingerprint, String holdId,
            List<PaymentOrchestrator.ChannelTender> channelTenders) {
        PaymentSetup setup = payments;
        SaleKey key = command.key();
        if (setup == null) {
            return Future.succeededFuture(new CheckoutOutcome.PaymentFailed(key,
                    new PaymentFailure(PaymentFailure.Reason.CHANNEL_UNAVAILABLE,
                            "this engine takes no channel payments")));
        }
        Optional<PaymentFailure> invalid = setup.orchestrator().check(channelTenders);
        if (invalid.isPresent()) {
            return Future.succeededFuture(new CheckoutOutcome.PaymentFailed(key, invalid.get()));
        }
        io.vertx.core.Promise<CheckoutOutcome> run = io.vertx.core.Promise.promise();
        Future<CheckoutOutcome> earlier = paymentsInFlight.putIfAbsent(key, run.future());
        if (earlier != null) {
            return bounded(setup, key, earlier, false);
        }
        run.future().onComplete(done -> paymentsInFlight.remove(key, run.future()));
        setup.orchestrator().intents().ofSale(key).compose(found -> {
            if (!found.isEmpty()) {
                return earlierAttempt(command, sale, orderId, fingerprint, found);
            }
            if (context.isEmpty()) {
                return collectThenRecord(setup, command, sale, orderId, fingerprint,
                        Optional.empty(), channelTenders);
            }
            return reserveAndThen(command, context.get(), sale, orderId, fingerprint, holdId,
                    effects -> collectThenRecord(setup, command, sale, orderId, fingerprint,
                            Optional.of(effects), channelTenders));
        }).onComplete(run);
        return bounded(setup, key, run.future(), true);
    }

    /** The run's outcome if it comes within the bound, else "payment pending". */
    private Future<CheckoutOutcome> bounded(PaymentSetup setup, SaleKey key,
            Future<CheckoutOutcome> run, boolean pushLateOutcome) {
        return setup.orchestrator().within(run, setup.answerWithin()).map(answered -> {
            if (answered.isPresent()) {
                return answered.get();
            }
            if (pushLateOutcome) {
                run.onSuccess(outcome -> setup.updates().saleResolved(key, outcome))
                        .onFailure(error -> log.warn("sale {} answered pending failed; the"
                                + " payment janitor resolves its intents", key, error));
            }
            return new CheckoutOutcome.PaymentPending(key);
        });
    }

    private Future<CheckoutOutcome> collectThenRecord(PaymentSetup setup,
            CheckoutCommand command, CompletedSale sale, UUID orderId, String fingerprint,
            Optional<MemberEffects> member,
            List<PaymentOrchestrator.ChannelTender> channelTenders) {
        SaleKey key = command.key();
        PaymentOrchestrator orchestrator = setup.orchestrator();
        return orchestrator.collect(key, channelTenders, "Kassa sale " + key.saleId())
                .compose(collection -> {
                    if (collection instanceof PaymentOrchestrator.Collection.NotPaid notPaid) {
                        return fence(key, member).map(fenced ->
                                new CheckoutOutcome.PaymentFailed(key, notPaid.failure()));
                    }
                    List<PaymentIntent> paid =
                            ((PaymentOrchestrator.Collection.AllPaid) collection).intents();
                    List<String> references = new ArrayList<>(command.tenderReferences());
                    for (PaymentIntent intent : paid) {
                        references.set(intent.tenderNumber() - 1, intent.outTradeNo());
                    }
                    return record(command, sale, orderId, fingerprint, member, references)
                            .compose(outcome -> {
                                if (outcome instanceof CheckoutOutcome.Committed) {
                                    return Future.succeededFuture(outcome);
                                }
                                // Abandoned (fenced meanwhile) or a conflicting sale under the
                                // key: this sale never commits, so its money goes back.
                                return orchestrator.giveBackAll(paid).map(done -> outcome);
                            }, failure -> fence(key, member).compose(fenced -> fenced
                                    ? orchestrator.giveBackAll(paid)
                                    : Future.<Void>succeededFuture())
                                    .transform(done -> Future.failedFuture(failure)));
                });
    }

    /** Fences the sale and, once fenced, releases its hold if it has one. */
    private Future<Boolean> fence(SaleKey key, Optional<MemberEffects> member) {
        return ledger.fence(key).compose(fenced -> {
            if (!fenced || member.isEmpty()) {
                return Future.succeededFuture(fenced);
            }
            MemberEffects effects = member.get();
            return balances.release(effects.memberId(), effects.holdId())
                    .compose(released -> balances.unindexHold(new MemberBalances.HoldEntry(
                            effects.memberId(), effects.holdId(), key)))
                    .map(done -> true)
                    .recover(error -> {
                        log.warn("hold {} stays held until the janitor releases it",
                                effects.holdId(), error);
                        return Future.succeededFuture(true);
                    });
        });
    }

    /**
     * A checkout of a sale whose intents exist but whose run is not on this node (a retry
     * after a restart or from another node): answer from what the intents say.
     */
    private Future<CheckoutOutcome> earlierAttempt(CheckoutCommand command, CompletedSale sale,
            UUID orderId, String fingerprint, List<PaymentIntent> found) {
        SaleKey key = command.key();
        List<String> references = new ArrayList<>(command.tenderReferences());
        boolean committed = false;
        boolean open = false;
        PaymentFailure failure = new PaymentFailure(PaymentFailure.Reason.DECLINED,
                "the payment of sale '" + key.saleId() + "' failed; start a new sale");
        for (PaymentIntent intent : found) {
            references.set(intent.tenderNumber() - 1, intent.outTradeNo());
            committed |= intent.orderId().isPresent();
            open |= intent.state().isOpen() || intent.capturedWithoutSale();
            if (intent.state() == IntentState.REVERSED || intent.state() == IntentState.REFUNDED) {
                failure = new PaymentFailure(PaymentFailure.Reason.NOT_CONFIRMED, "the payment"
                        + " of sale '" + key.saleId() + "' was reversed; the customer is not"
                        + " charged; start a new sale");
            }
        }
        if (committed) {
            // The key is taken: answer the committed sale from the ledger (a replay). Not by
            // recording again: a member's sale cannot be rebuilt without its member here.
            return recorded(command).map(replay -> replay.orElseGet(() ->
                    new CheckoutOutcome.PaymentPending(key)));
        }
        if (open) {
            return Future.succeededFuture(new CheckoutOutcome.PaymentPending(key));
        }
        return Future.succeededFuture(new CheckoutOutcome.PaymentFailed(key, failure));
    }

    /**
     * The answer to a sale already recorded under its key, if it is. A retry of a committed
     * sale is answered from the ledger whatever the member's balances say now (its own commit
     * spent them), and a retry of an abandoned one as abandoned.
     */
    private Future<Optional<CheckoutOutcome>> recorded(CheckoutCommand command) {
        return ledger.find(command.key()).map(found -> found.map(result -> {
            if (result instanceof RecordResult.AlreadyRecorded recorded) {
                CommittedSale existing = recorded.existing();
                return existing.requestFingerprint().equals(RequestFingerprint.of(command))
                        ? new CheckoutOutcome.Committed(existing, true)
                        : new CheckoutOutcome.Conflict(existing);
            }
            return new CheckoutOutcome.Abandoned(command.key());
        }));
    }

    /**
     * {@code rejection}, unless the sale is recorded already: a refusal is only ever about a
     * sale that is not, so a retry after its commit (a resend across a reconnect or a node's
     * loss) is never told to pay again.
     */
    private Future<CheckoutOutcome> rejectedUnlessRecorded(CheckoutCommand command,
            CheckoutOutcome.Rejected rejection) {
        return recorded(command).map(found -> found.orElse(rejection));
    }

    /** After a failed record: release the hold only once the sale can never commit. */
    private Future<Void> fenceAndRelease(CheckoutCommand command, MemberContext member,
            String holdId) {
        MemberBalances.HoldEntry entry =
                new MemberBalances.HoldEntry(member.profile().memberId(), holdId, command.key());
        return ledger.fence(command.key()).compose(fenced -> fenced
                ? balances.release(member.profile().memberId(), holdId)
                        .compose(released -> balances.unindexHold(entry))
                : Future.<Void>succeededFuture())
                .onFailure(error -> log.warn("hold {} stays held until the janitor fences it",
                        holdId, error));
    }

    private static CheckoutOutcome refused(ReserveResult result) {
        if (result instanceof ReserveResult.InsufficientPoints points) {
            return rejected(RejectionCode.INSUFFICIENT_POINTS, "the member's points ("
                    + points.live() + " available now) no longer cover this sale");
        }
        if (result instanceof ReserveResult.InsufficientStoredValue storedValue) {
            return rejected(RejectionCode.STORED_VALUE_OVER_BALANCE, "the member's stored"
                    + " value (" + storedValue.availableFen() + " fen available now) no longer"
                    + " covers this sale");
        }
        ReserveResult.CouponUnavailable coupon = (ReserveResult.CouponUnavailable) result;
        return rejected(RejectionCode.COUPON_ALREADY_USED, "coupon " + coupon.couponId()
                + " is no longer available");
    }

    private static CheckoutOutcome rejected(RejectionCode code, String explanation) {
        return new CheckoutOutcome.Rejected(
                io.kassa.engine.core.decision.Rejection.of(code, explanation));
    }

    /**
     * Where a member's profile and coupons come from: the hot copy, read under the id this
     * node last saw for the code (quotes and checkouts), or PostgreSQL (a fresh read).
     */
    enum MemberRead { HOT, FRESH }

    /**
     * The member of a quote or checkout, or none, read afresh from PostgreSQL. On a checkout
     * retry ({@code holdId} names a hold that exists), what the first attempt holds is added
     * back, so the retry is judged on the balances the first attempt saw.
     */
    Future<Decision<Optional<MemberContext>>> memberContext(
            Optional<String> memberCode, ZonedDateTime at, Optional<String> holdId) {
        return memberContext(memberCode, at, holdId, MemberRead.FRESH);
    }

    /**
     * A quote or a checkout reads its member from the hot copy alone (one Redis round trip)
     * when this node knows the code's member id and the hot copy holds the member's profile,
     * answering to that code (ADR 0014). Otherwise PostgreSQL names the member and gives the
     * profile and coupons, and the hot copy the balances.
     */
    private Future<Decision<Optional<MemberContext>>> memberContext(
            Optional<String> memberCode, ZonedDateTime at, Optional<String> holdId,
            MemberRead read) {
        if (memberCode.isEmpty()) {
            return Future.succeededFuture(Decision.accept(Optional.empty()));
        }
        String code = memberCode.get();
        Optional<String> hinted = read == MemberRead.HOT ? memberIdHints.memberId(code)
                : Optional.empty();
        if (hinted.isEmpty()) {
            return fromPostgres(code, at, holdId);
        }
        return hotMember(hinted.get(), holdId).compose(hot -> {
            Optional<MemberBalances.HotProfile> profile = hot.member().profile();
            if (profile.isEmpty()) {
                // Loaded by an engine that kept no profile: dropped while nothing of the
                // member is held, so that its next use loads it with one.
                hotCopy.dropUnlessHeld(hinted.get());
                return fromPostgres(code, at, holdId);
            }
            if (!profile.get().answersTo(code)) {
                return fromPostgres(code, at, holdId);
            }
            return Future.succeededFuture(Decision.accept(Optional.of(context(
                    profile.get().profile(), hot.member(), hot.hold(),
                    couponsUsableAt(profile.get().coupons(), at.toInstant())))));
        });
    }

    /** PostgreSQL names the member and gives the profile and coupons; the hot copy balances. */
    private Future<Decision<Optional<MemberContext>>> fromPostgres(String code,
            ZonedDateTime at, Optional<String> holdId) {
        return directory.findWithCoupons(code, at.toInstant()).compose(found -> {
            if (found.isEmpty()) {
                return Future.succeededFuture(Decision.reject(RejectionCode.UNKNOWN_MEMBER,
                        "no member has the code or phone number presented"));
            }
            MemberProfile profile = found.get().profile();
            memberIdHints.learn(code, profile.memberId());
            return hotMember(profile.memberId(), holdId).map(hot -> Decision.accept(
                    Optional.of(context(profile, hot.member(), hot.hold(),
                            found.get().coupons()))));
        });
    }

    /** The member's hot state, with a checkout's hold (one round trip) when it names one. */
    private Future<MemberBalances.HotMemberAndHold> hotMember(String memberId,
            Optional<String> holdId) {
        return holdId.isEmpty()
                ? hotCopy.member(memberId).map(member ->
                        new MemberBalances.HotMemberAndHold(member, Optional.empty()))
                : hotCopy.memberWithHold(memberId, holdId.get());
    }

    /**
     * The coupons of the hot copy that PostgreSQL would answer at {@code at}: valid until
     * after it, the ones expiring first first (their states are judged with the balances).
     */
    static List<MemberDirectory.CouponRecord> couponsUsableAt(
            List<MemberDirectory.CouponRecord> coupons, Instant at) {
        List<MemberDirectory.CouponRecord> usable = new ArrayList<>(coupons.size());
        for (MemberDirectory.CouponRecord coupon : coupons) {
            if (coupon.validUntil().isAfter(at)) {
                usable.add(coupon);
            }
        }
        usable.sort(Comparator.comparing(MemberDirectory.CouponRecord::validUntil)
                .thenComparing(MemberDirectory.CouponRecord::couponId));
        return usable;
    }

    private MemberContext context(MemberProfile profile, MemberBalances.HotMember hot,
            Optional<HoldView> hold, List<MemberDirectory.CouponRecord> records) {
        PointsWallet wallet = new PointsWallet(hot.lots());
        long storedValueFen = hot.storedValueFen();
        List<String> heldCoupons = List.of();
        if (hold.isPresent() && !"R".equals(hold.get().state())
                && hold.get().generation().equals(hot.generation())) {
            wallet = wallet.restore(hold.get().draws(), hold.get().points());
            storedValueFen += hold.get().storedValueFen();
            heldCoupons = hold.get().couponIds();
        }
        List<Coupon> coupons = new ArrayList<>();
        for (MemberDirectory.CouponRecord record : records) {
            String state = hot.couponStates().getOrDefault(record.couponId(), "");
            if (!"A".equals(state) && !heldCoupons.contains(record.couponId())) {
                continue;
            }
            // A coupon with its own amount (a red packet's share) takes that amount off on
            // its template's other terms.
            rules.get().couponTemplate(record.templateId()).map(template ->
                    record.amountOffFen().isPresent() ? template.withBenefit(
                            new CouponBenefit.AmountOff(record.amountOffFen().getAsLong()))
                            : template).ifPresent(template -> coupons.add(
                    new Coupon(record.couponId(), template, record.memberId(),
                            record.validFrom(), record.validUntil(), false)));
        }
        MemberSnapshot snapshot = new MemberSnapshot(profile.memberId(), profile.tierName(),
                profile.lifetimeEarnedPoints(), wallet, storedValueFen, profile.birthMonth(),
                profile.completedOrders(), profile.lastOrderOn());
        return new MemberContext(profile, snapshot, coupons);
    }

    private SalesLedger.SaleRecord saleRecord(CheckoutCommand command, CompletedSale sale,
            UUID orderId, String fingerprint, Optional<MemberEffects> member,
            List<String> references) {
        var basket = sale.quote().basket();
        List<CommittedSale.Line> saleLines = new ArrayList<>(basket.lines().size());
        List<SalesLedger.RecordedLine> recordedLines = new ArrayList<>(basket.lines().size());
        for (int index = 0; index < basket.lines().size(); index++) {
            PricedLine line = basket.lines().get(index);
            // Kept for refunds: only a member sale earns, so only its lines carry points.
            long lineEarned = member.isPresent() ? sale.sale().lines().get(index).earnedPoints()
                    : 0;
            saleLines.add(new CommittedSale.Line(line.lineNumber(), line.line().sku(),
                    line.gross(), line.discount(), line.net()));
            recordedLines.add(new SalesLedger.RecordedLine(line.lineNumber(), line.line().sku(),
                    line.line().category(), command.lineNames().get(line.lineNumber() - 1),
                    line.line().unitPrice().amountMinor(), line.line().quantity(),
                    line.gross().amountMinor(), line.discount().amountMinor(),
                    line.net().amountMinor(), lineEarned));
        }
        List<SalesLedger.RecordedTender> recordedTenders = new ArrayList<>();
        List<Tender> tenders = sale.settled().tenders();
        for (int index = 0; index < tenders.size(); index++) {
            Tender tender = tenders.get(index);
            recordedTenders.add(new SalesLedger.RecordedTender(index + 1, tender.kind().name(),
                    tender.amount().amountMinor(), tender.received().amountMinor(),
                    referenceOf(command, references, tender, index)));
        }
        long earned = member.map(MemberEffects::pointsEarned).orElse(0L);
        long redeemed = member.map(MemberEffects::pointsRedeemed).orElse(0L);
        CommittedSale committed = new CommittedSale(orderId, command.key(), fingerprint,
                command.currency(), saleLines, basket.payable(), sale.settled().change(),
                clock.instant().truncatedTo(ChronoUnit.MICROS),
                member.map(MemberEffects::memberId), earned, redeemed);
        return new SalesLedger.SaleRecord(committed, recordedLines, recordedTenders,
                SalePosting.entries(command.key().storeId(), member.map(MemberEffects::memberId),
                        basket, sale.settled(), earned, redeemed),
                member);
    }

    /**
     * The command's reference for a settled tender. The core returns the tenders it settled in
     * the order they were given, so the index matches; a mismatch would be a bug.
     */
    private static String referenceOf(CheckoutCommand command, List<String> references,
            Tender tender, int index) {
        if (!command.tenders().get(index).equals(tender)) {
            throw new IllegalStateException("settled tenders must keep the request's order");
        }
        return references.get(index);
    }

    /** The rules in force now (member lookups read tiers and templates from them). */
    ChainRules currentRules() {
        return rules.get();
    }

    /** Now, in the store's time zone (UTC for a store the rules do not know). */
    ZonedDateTime storeTime(String storeId) {
        return clock.instant().atZone(rules.get().forStore(storeId).map(StoreRules::store)
                .map(Store::zone).orElse(ZoneOffset.UTC));
    }

    private static long sumOf(List<Tender> tenders, TenderKind kind) {
        long sum = 0;
        for (Tender tender : tenders) {
            if (tender.kind() == kind) {
                sum = Math.addExact(sum, tender.amount().amountMinor());
            }
        }
        return sum;
    }
}
