package io.kassa.engine.server.checkout;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.core.channel.ChannelTimings;
import io.kassa.engine.core.channel.CodeRouting;
import io.kassa.engine.core.channel.PaymentCodeRouter;
import io.kassa.engine.core.channel.UnknownResolution;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.checkout.PaymentIntents.Transition;
import io.kassa.engine.server.gateways.PayRequest;
import io.kassa.engine.server.gateways.PayResult;
import io.kassa.engine.server.gateways.PaymentChannel;
import io.kassa.engine.server.gateways.QueryResult;
import io.kassa.engine.server.gateways.RefundRequest;
import io.kassa.engine.server.gateways.RefundResult;
import io.kassa.engine.server.gateways.ReverseResult;
import io.kassa.engine.server.gateways.TradeState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the external tenders of one sale through their channels, one payment intent per
 * attempt, written before the channel is called, and gives back whatever was taken when the
 * sale cannot complete.
 *
 * <pre>
 * for each channel tender, in order:
 *   intent CREATED -> SENT -> pay
 *     Paid    -> SUCCEEDED                         next tender
 *     Failed  -> FAILED                            give back the earlier ones; NotPaid
 *     NotSent -> FAILED                            give back the earlier ones; NotPaid
 *     Unknown -> UNKNOWN -> QUERYING ... (UnknownResolution: query until the deadline)
 *                  paid -> SUCCEEDED; closed/failed -> FAILED; deadline -> REVERSING
 * give back: REVERSING -> reverse (repeated while unanswered) -> REVERSED
 *            reverse refused and the trade is paid -> full refund -> REFUNDED
 *            still unanswered -> left REVERSING with its lease run out: the janitor goes on
 * </pre>
 *
 * <p>Every state change is a conditional transition in PostgreSQL; when another owner (a
 * notification, the janitor) moved the intent first, the orchestration reads it back and
 * acts on what it finds. It never pays twice under one sale tender and never guesses.
 */
public final class PaymentOrchestrator {

    private static final Logger log = LoggerFactory.getLogger(PaymentOrchestrator.class);

    /** External tenders of one sale, at most: the core's limit on tenders. */
    public static final int CHANNEL_TENDERS_MAX = 8;

    private static final Set<IntentState> PAY_ANSWERABLE = EnumSet.of(IntentState.SENT);
    private static final Set<IntentState> RESOLVING =
            EnumSet.of(IntentState.SENT, IntentState.UNKNOWN, IntentState.QUERYING);
    private static final Set<IntentState> RETURNABLE = EnumSet.of(IntentState.CREATED,
            IntentState.SENT, IntentState.UNKNOWN, IntentState.QUERYING,
            IntentState.SUCCEEDED, IntentState.FAILED, IntentState.REVERSED);

    /**
     * @param owner this node's name on the intents it works on (its leases)
     * @param leaseMargin how long past the channel's deadline an intent stays this node's
     *     before the janitor may take it
     * @param reverseRoundsMax rounds of reverse calls (each already retried by the adapter)
     *     before a reverse is left to the janitor
     * @param reverseRoundPause the wait between two rounds
     */
    public record Options(String owner, Duration leaseMargin, int reverseRoundsMax,
            Duration reverseRoundPause) {

        /** Most reverse rounds: the janitor takes over after these. */
        public static final int REVERSE_ROUNDS_LIMIT = 10;

        public Options {
            Objects.requireNonNull(owner, "owner");
            if (owner.isEmpty() || owner.length() > 64) {
                throw new IllegalArgumentException("an owner is 1..64 characters");
            }
            if (reverseRoundsMax < 1 || reverseRoundsMax > REVERSE_ROUNDS_LIMIT) {
                throw new IllegalArgumentException(
                        "reverse rounds are 1.." + REVERSE_ROUNDS_LIMIT + ": " + reverseRoundsMax);
            }
            if (leaseMargin.isNegative() || reverseRoundPause.isNegative()) {
                throw new IllegalArgumentException("durations are not negative");
            }
        }

        public static Options defaults(String owner) {
            return new Options(owner, Duration.ofSeconds(30), 3, Duration.ofSeconds(2));
        }
    }

    /** A tender of the sale paid through a channel; {@code paymentCode} is the scan. */
    public record ChannelTender(int tenderNumber, TenderKind kind, String paymentCode,
            long amountFen) {
    }

    /** How collecting a sale's channel tenders ended. */
    public sealed interface Collection {

        /** Every channel tender is paid: the intents, by tender number. */
        record AllPaid(List<PaymentIntent> intents) implements Collection {
        }

        /** Not paid; whatever was taken has been given back or is left to the janitor. */
        record NotPaid(PaymentFailure failure) implements Collection {
        }
    }

    private final PaymentTimers timers;
    private final PaymentIntents intents;
    private final Function<ChannelId, Optional<PaymentChannel>> channels;
    private final Map<ChannelId, ChannelTimings> timings;
    private final PaymentCodeRouter router;
    private final Clock clock;
    private final Options options;
    private final TimeOrderedIds ids;
    private volatile CheckoutMetrics metrics = CheckoutMetrics.NONE;

    public PaymentOrchestrator(Vertx vertx, PaymentIntents intents,
            Function<ChannelId, Optional<PaymentChannel>> channels,
            Map<ChannelId, ChannelTimings> timings, PaymentCodeRouter router, Clock clock,
            Options options) {
        this(PaymentTimers.of(vertx), intents, channels, timings, router, clock, options);
    }

    /** As above, waiting on {@code timers} (the deterministic simulation's scheduler). */
    public PaymentOrchestrator(PaymentTimers timers, PaymentIntents intents,
            Function<ChannelId, Optional<PaymentChannel>> channels,
            Map<ChannelId, ChannelTimings> timings, PaymentCodeRouter router, Clock clock,
            Options options) {
        this.timers = Objects.requireNonNull(timers, "timers");
        this.intents = intents;
        this.channels = channels;
        this.timings = Map.copyOf(timings);
        this.router = router;
        this.clock = clock;
        this.options = options;
        this.ids = new TimeOrderedIds(clock);
    }

    public void instrument(CheckoutMetrics checkoutMetrics) {
        this.metrics = Objects.requireNonNull(checkoutMetrics, "checkoutMetrics");
    }

    public PaymentIntents intents() {
        return intents;
    }

    /** The channel a tender kind pays through. */
    public static Optional<ChannelId> channelOf(TenderKind kind) {
        switch (kind) {
            case WECHAT_PAY:
                return Optional.of(ChannelId.WECHAT_PAY);
            case ALIPAY:
                return Optional.of(ChannelId.ALIPAY);
            case UNIONPAY_QR:
                return Optional.of(ChannelId.UNIONPAY);
            default:
                return Optional.empty();
        }
    }

    /**
     * Checks every code before any money moves: it routes, to the channel its tender names, and
     * that channel is configured here.
     */
    public Optional<PaymentFailure> check(List<ChannelTender> tenders) {
        if (tenders.size() > CHANNEL_TENDERS_MAX) {
            return Optional.of(new PaymentFailure(PaymentFailure.Reason.CODE_INVALID,
                    "at most " + CHANNEL_TENDERS_MAX + " channel tenders per sale"));
        }
        for (ChannelTender tender : tenders) {
            CodeRouting routing = router.route(tender.paymentCode());
            if (routing instanceof CodeRouting.Unroutable unroutable) {
                return Optional.of(new PaymentFailure(PaymentFailure.Reason.CODE_INVALID,
                        "tender " + tender.tenderNumber() + ": " + unroutable.explanation()));
            }
            ChannelId routed = ((CodeRouting.Routed) routing).channel();
            Optional<ChannelId> expected = channelOf(tender.kind());
            if (expected.isEmpty() || !expected.get().equals(routed)) {
                return Optional.of(new PaymentFailure(PaymentFailure.Reason.CODE_INVALID,
                        "tender " + tender.tenderNumber() + " is " + tender.kind()
                                + " but its code belongs to " + routed));
            }
            if (channels.apply(routed).isEmpty() || !timings.containsKey(routed)) {
                return Optional.of(new PaymentFailure(
                        PaymentFailure.Reason.CHANNEL_UNAVAILABLE,
                        "channel " + routed + " is not configured on this engine"));
            }
        }
        return Optional.empty();
    }

    /**
     * Pays the tenders one after another. When one is not paid, the ones paid before it are
     * given back before this completes (or, if a channel does not answer, left to the janitor).
     */
    public Future<Collection> collect(SaleKey sale, List<ChannelTender> tenders,
            String description) {
        Optional<PaymentFailure> invalid = check(tenders);
        if (invalid.isPresent()) {
            return Future.succeededFuture(new Collection.NotPaid(invalid.get()));
        }
        List<PaymentIntent> paid = new ArrayList<>(tenders.size());
        Future<Optional<PaymentFailure>> chain = Future.succeededFuture(Optional.empty());
        for (ChannelTender tender : tenders) {
            chain = chain.compose(failed -> failed.isPresent() ? Future.succeededFuture(failed)
                    : payOne(sale, tender, description).map(outcome -> {
                        if (outcome instanceof PaidOrNot.Paid done) {
                            paid.add(done.intent());
                            return Optional.<PaymentFailure>empty();
                        }
                        return Optional.of(((PaidOrNot.NotPaid) outcome).failure());
                    }));
        }
        return chain.compose(failed -> {
            if (failed.isEmpty()) {
                return Future.succeededFuture(new Collection.AllPaid(List.copyOf(paid)));
            }
            return giveBackAll(paid).map(done -> new Collection.NotPaid(failed.get()));
        });
    }

    /** Gives back the money of every intent listed; completes when each is settled or left. */
    public Future<Void> giveBackAll(List<PaymentIntent> captured) {
        List<Future<PaymentIntent>> returns = new ArrayList<>(captured.size());
        for (PaymentIntent intent : captured) {
            returns.add(giveBack(intent).recover(error -> {
                log.warn("giving back intent {} failed; the janitor will", intent.outTradeNo(),
                        error);
                return Future.succeededFuture(intent);
            }));
        }
        return Future.join(returns).mapEmpty();
    }

    private sealed interface PaidOrNot {
        record Paid(PaymentIntent intent) implements PaidOrNot {
        }

        record NotPaid(PaymentFailure failure) implements PaidOrNot {
        }
    }

    private Future<PaidOrNot> payOne(SaleKey sale, ChannelTender tender, String description) {
        CodeRouting.Routed routed = (CodeRouting.Routed) router.route(tender.paymentCode());
        ChannelId channelId = routed.channel();
        PaymentChannel channel = channels.apply(channelId).orElseThrow();
        ChannelTimings channelTimings = timings.get(channelId);
        String outTradeNo = ids.next().toString().replace("-", "");
        Instant lease = clock.instant().plus(channelTimings.resolutionDeadline())
                .plus(channelTimings.reverseEarliestAfterPay()).plus(options.leaseMargin());
        long startedNanos = timers.nanoTime();
        return intents.create(new PaymentIntents.NewIntent(outTradeNo, sale,
                        tender.tenderNumber(), 1, channelId, tender.kind(), tender.amountFen(),
                        options.owner(), lease))
                .compose(created -> intents.transition(outTradeNo,
                        EnumSet.of(IntentState.CREATED), Transition.to(IntentState.SENT)))
                .compose(sent -> {
                    if (sent.isEmpty()) {
                        throw new IllegalStateException("intent " + outTradeNo
                                + " was moved before its pay call was sent");
                    }
                    long sentNanos = timers.nanoTime();
                    return channel.pay(new PayRequest(outTradeNo, routed.code(),
                                    tender.amountFen(), sale.storeId(), description))
                            .compose(result -> afterPay(sent.get(), result, sentNanos));
                })
                .andThen(done -> metrics.paymentFinished(channelId.name(),
                        done.succeeded() ? outcomeName(done.result()) : "error",
                        timers.nanoTime() - startedNanos));
    }

    private static String outcomeName(PaidOrNot outcome) {
        return outcome instanceof PaidOrNot.Paid ? "paid"
                : ((PaidOrNot.NotPaid) outcome).failure().reason().name().toLowerCase(
                        java.util.Locale.ROOT);
    }

    private Future<PaidOrNot> afterPay(PaymentIntent intent, PayResult result, long sentNanos) {
        if (result instanceof PayResult.Paid paid) {
            if (paid.amountFen() != intent.amountFen()) {
                // A channel that reports another amount is not believed: resolve by query.
                return unknown(intent, "paid amount " + paid.amountFen() + " differs",
                        sentNanos);
            }
            return settle(intent.outTradeNo(), PAY_ANSWERABLE,
                    Transition.to(IntentState.SUCCEEDED).channelState("SUCCESS")
                            .transactionId(paid.transactionId()))
                    .compose(settled -> outcomeOf(settled, sentNanos));
        }
        if (result instanceof PayResult.Failed failed) {
            return settle(intent.outTradeNo(), PAY_ANSWERABLE,
                    Transition.to(IntentState.FAILED).channelState(failed.code())
                            .detail(failed.message()))
                    .compose(settled -> outcomeOf(settled, sentNanos));
        }
        if (result instanceof PayResult.NotSent notSent) {
            return settle(intent.outTradeNo(), PAY_ANSWERABLE,
                    Transition.to(IntentState.FAILED).detail("not sent: " + notSent.reason()))
                    .compose(settled -> settled.state() == IntentState.FAILED
                            ? Future.succeededFuture(new PaidOrNot.NotPaid(new PaymentFailure(
                                    PaymentFailure.Reason.CHANNEL_UNAVAILABLE, "channel "
                                            + intent.channel() + " is unavailable: "
                                            + notSent.reason())))
                            : outcomeOf(settled, sentNanos));
        }
        PayResult.Unknown unknown = (PayResult.Unknown) result;
        if (unknown.reason() == io.kassa.engine.server.gateways.UnknownReason.USER_PAYING) {
            metrics.userPaying(intent.channel().name());
        }
        return unknown(intent, unknown.reason() + ": " + unknown.detail(), sentNanos);
    }

    private Future<PaidOrNot> unknown(PaymentIntent intent, String detail, long sentNanos) {
        return settle(intent.outTradeNo(), PAY_ANSWERABLE,
                Transition.to(IntentState.UNKNOWN).detail(detail))
                .compose(settled -> outcomeOf(settled, sentNanos));
    }

    /** What the sale makes of an intent in {@code state}, resolving it while it is open. */
    private Future<PaidOrNot> outcomeOf(PaymentIntent intent, long sentNanos) {
        switch (intent.state()) {
            case SUCCEEDED:
                return Future.succeededFuture(new PaidOrNot.Paid(intent));
            case FAILED:
                return Future.succeededFuture(new PaidOrNot.NotPaid(new PaymentFailure(
                        PaymentFailure.Reason.DECLINED, "the " + intent.channel()
                                + " payment was declined: " + intent.channelState() + " "
                                + intent.detail())));
            case UNKNOWN:
            case QUERYING:
            case SENT:
                return resolve(intent, sentNanos)
                        .compose(resolved -> resolved.state().isOpen()
                                || resolved.state() == IntentState.SUCCEEDED
                                || resolved.state() == IntentState.FAILED
                                ? outcomeOf(resolved, sentNanos)
                                : Future.succeededFuture(notConfirmed(resolved)));
            default:
                // REVERSING, REVERSED, REFUNDED: someone gave up on it; the sale cannot use it.
                return Future.succeededFuture(notConfirmed(intent));
        }
    }

    private static PaidOrNot notConfirmed(PaymentIntent intent) {
        return new PaidOrNot.NotPaid(new PaymentFailure(PaymentFailure.Reason.NOT_CONFIRMED,
                "the " + intent.channel() + " payment was not confirmed in time and was"
                        + " reversed; the customer is not charged"));
    }

    /**
     * Resolves an open intent: queries on the channel's rhythm until a final answer or the
     * deadline, then gives it back. Completes with the intent as it then stands (SUCCEEDED,
     * FAILED, or one of the give-back states).
     */
    private Future<PaymentIntent> resolve(PaymentIntent intent, long sentNanos) {
        ChannelTimings channelTimings = timings.get(intent.channel());
        Duration elapsed = Duration.ofNanos(timers.nanoTime() - sentNanos);
        UnknownResolution.Step step = UnknownResolution.next(channelTimings, elapsed);
        Duration wait = step.at().minus(elapsed);
        if (step instanceof UnknownResolution.Query) {
            return sleep(wait).compose(slept -> intents.find(intent.outTradeNo()))
                    .compose(current -> {
                        PaymentIntent now = current.orElseThrow();
                        if (!RESOLVING.contains(now.state())) {
                            return Future.succeededFuture(now);
                        }
                        return queryOnce(now).compose(queried -> RESOLVING.contains(
                                queried.state()) ? resolve(queried, sentNanos)
                                        : Future.succeededFuture(queried));
                    });
        }
        return sleep(wait).compose(slept -> giveBack(intent));
    }

    /** One query, and the transition its answer allows. */
    private Future<PaymentIntent> queryOnce(PaymentIntent intent) {
        PaymentChannel channel = channels.apply(intent.channel()).orElseThrow();
        return channel.query(intent.outTradeNo()).compose(result -> {
            Transition transition = Transition.to(IntentState.QUERYING).queried();
            if (result instanceof QueryResult.Found found) {
                transition = transition.channelState(found.channelState());
                if (found.state() == TradeState.PAID && found.amountFen() == intent.amountFen()) {
                    transition = Transition.to(IntentState.SUCCEEDED).queried()
                            .channelState(found.channelState())
                            .transactionId(found.transactionId());
                } else if (found.state() == TradeState.CLOSED
                        || found.state() == TradeState.FAILED
                        || found.state() == TradeState.REVERSED) {
                    transition = Transition.to(IntentState.FAILED).queried()
                            .channelState(found.channelState());
                } else if (found.state() == TradeState.PAID) {
                    transition = transition.detail("paid amount " + found.amountFen()
                            + " differs from the intent");
                }
            } else if (result instanceof QueryResult.NotFound) {
                transition = transition.detail("not found at the channel");
            } else {
                transition = transition.detail("query: " + ((QueryResult.Unknown) result).reason());
            }
            return settle(intent.outTradeNo(), RESOLVING, transition);
        });
    }

    /**
     * Returns the money of an intent whose sale will not complete, or closes it if unpaid:
     * REVERSING, then a reverse repeated while unanswered; when the channel refuses the reverse
     * and the trade is paid, a full refund. An intent that was never sent is simply FAILED.
     */
    public Future<PaymentIntent> giveBack(PaymentIntent intent) {
        return giveBack(intent, Optional.empty());
    }

    /**
     * As {@link #giveBack(PaymentIntent)}, for an intent the channel has reported paid (with
     * {@code paidTransactionId}) although Kassa had given up on it.
     */
    public Future<PaymentIntent> giveBack(PaymentIntent intent,
            Optional<String> paidTransactionId) {
        if (intent.state() == IntentState.CREATED) {
            return settle(intent.outTradeNo(), EnumSet.of(IntentState.CREATED),
                    Transition.to(IntentState.FAILED).detail("never sent"));
        }
        Instant lease = clock.instant().plus(options.leaseMargin());
        Transition toReversing = Transition.to(IntentState.REVERSING).leaseUntil(lease)
                .detail("giving back");
        if (paidTransactionId.isPresent() && !paidTransactionId.get().isEmpty()) {
            toReversing = toReversing.transactionId(paidTransactionId.get());
        }
        return intents.transition(intent.outTradeNo(), RETURNABLE, toReversing)
                .compose(reversing -> {
                    if (reversing.isPresent()) {
                        return reverseRounds(reversing.get(), 1);
                    }
                    return intents.find(intent.outTradeNo()).compose(current -> current
                            .get().state() == IntentState.REVERSING
                            ? reverseRounds(current.get(), 1)
                            : Future.succeededFuture(current.get()));
                });
    }

    /** Continues giving back an intent already REVERSING (the janitor after a restart). */
    public Future<PaymentIntent> continueGivingBack(PaymentIntent intent) {
        if (intent.state() != IntentState.REVERSING) {
            return giveBack(intent);
        }
        return reverseRounds(intent, 1);
    }

    private Future<PaymentIntent> reverseRounds(PaymentIntent intent, int round) {
        ChannelTimings channelTimings = timings.get(intent.channel());
        PaymentChannel channel = channels.apply(intent.channel()).orElseThrow();
        Duration early = Duration.ZERO;
        if (intent.sentAt().isPresent()) {
            early = Duration.between(clock.instant(), intent.sentAt().get()
                    .plus(channelTimings.reverseEarliestAfterPay()));
        }
        return sleep(early).compose(slept -> channel.reverse(intent.outTradeNo()))
                .compose(result -> {
                    if (result instanceof ReverseResult.Reversed reversed) {
                        metrics.paymentReversed(intent.channel().name(), "reversed");
                        // WeChat Pay's answer does not say whether money moved; an intent
                        // with a transaction id was paid, so its reverse returned the money.
                        boolean returned = reversed.moneyReturned()
                                || !intent.transactionId().isEmpty();
                        return settle(intent.outTradeNo(), EnumSet.of(IntentState.REVERSING),
                                Transition.to(IntentState.REVERSED).reverseTried()
                                        .moneyReturned(returned)
                                        .detail(returned ? "reversed, money returned"
                                                : "reversed (closed, or paid unseen)"));
                    }
                    if (result instanceof ReverseResult.Refused refused) {
                        return refundInstead(intent, refused);
                    }
                    int attempts = ((ReverseResult.Unanswered) result).attempts();
                    if (round < options.reverseRoundsMax()) {
                        return intents.transition(intent.outTradeNo(),
                                        EnumSet.of(IntentState.REVERSING),
                                        Transition.to(IntentState.REVERSING).reverseTried()
                                                .leaseUntil(clock.instant()
                                                        .plus(options.leaseMargin())))
                                .compose(kept -> sleep(options.reverseRoundPause()))
                                .compose(paused -> reverseRounds(intent, round + 1));
                    }
                    log.warn("reverse of {} unanswered after {} rounds ({} attempts in the"
                            + " last); left to the janitor", intent.outTradeNo(), round,
                            attempts);
                    return settle(intent.outTradeNo(), EnumSet.of(IntentState.REVERSING),
                            Transition.to(IntentState.REVERSING).reverseTried()
                                    .detail("reverse unanswered").leaseUntil(clock.instant()));
                });
    }

    private Future<PaymentIntent> refundInstead(PaymentIntent intent,
            ReverseResult.Refused refused) {
        PaymentChannel channel = channels.apply(intent.channel()).orElseThrow();
        return channel.query(intent.outTradeNo()).compose(result -> {
            if (result instanceof QueryResult.Found found && found.state() == TradeState.PAID) {
                return channel.refund(new RefundRequest(intent.outTradeNo(),
                                returnRefundNumber(intent.outTradeNo()), intent.amountFen(),
                                intent.amountFen(), "sale not completed"))
                        .compose(refund -> {
                            if (refund instanceof RefundResult.Refunded) {
                                metrics.paymentReversed(intent.channel().name(), "refunded");
                                return settle(intent.outTradeNo(),
                                        EnumSet.of(IntentState.REVERSING),
                                        Transition.to(IntentState.REFUNDED).moneyReturned(true)
                                                .detail("refunded in full: reverse refused "
                                                        + refused.code()));
                            }
                            return settle(intent.outTradeNo(), EnumSet.of(IntentState.REVERSING),
                                    Transition.to(IntentState.REVERSING)
                                            .detail("refund not done: " + refund)
                                            .leaseUntil(clock.instant()));
                        });
            }
            if (result instanceof QueryResult.Found found && found.state().settled()) {
                return settle(intent.outTradeNo(), EnumSet.of(IntentState.REVERSING),
                        Transition.to(found.state().moneyTaken() ? IntentState.REFUNDED
                                : IntentState.REVERSED)
                                .moneyReturned(found.state().moneyTaken())
                                .channelState(found.channelState())
                                .detail("reverse refused " + refused.code() + "; trade "
                                        + found.channelState()));
            }
            if (result instanceof QueryResult.NotFound) {
                // The channel refuses to reverse a trade it says it never had: the pay call
                // never arrived, and no money moved.
                return settle(intent.outTradeNo(), EnumSet.of(IntentState.REVERSING),
                        Transition.to(IntentState.FAILED).detail("reverse refused "
                                + refused.code() + "; the channel has no such trade"));
            }
            // Not settled or not known: leave it for the janitor to try again.
            return settle(intent.outTradeNo(), EnumSet.of(IntentState.REVERSING),
                    Transition.to(IntentState.REVERSING).detail("reverse refused "
                            + refused.code() + ", trade not settled").leaseUntil(clock.instant()));
        });
    }

    /** The refund number that gives back an intent's money: one per intent, so idempotent. */
    static String returnRefundNumber(String outTradeNo) {
        return "R" + outTradeNo.substring(1);
    }

    /** Applies a transition, or reads back what another owner made of the intent. */
    private Future<PaymentIntent> settle(String outTradeNo, Set<IntentState> from,
            Transition transition) {
        return intents.transition(outTradeNo, from, transition).compose(done -> done.isPresent()
                ? Future.succeededFuture(done.get())
                : intents.find(outTradeNo).map(Optional::orElseThrow));
    }

    /** {@code work}'s result if it completes within {@code bound}, else empty then. */
    public <T> Future<Optional<T>> within(Future<T> work, Duration bound) {
        Promise<Optional<T>> answer = Promise.promise();
        long timer = timers.setTimer(Math.max(1, bound.toMillis()),
                () -> answer.tryComplete(Optional.empty()));
        work.onComplete(done -> {
            timers.cancelTimer(timer);
            if (done.succeeded()) {
                answer.tryComplete(Optional.of(done.result()));
            } else {
                answer.tryFail(done.cause());
            }
        });
        return answer.future();
    }

    private Future<Void> sleep(Duration duration) {
        long millis = duration.toMillis();
        if (millis <= 0) {
            return Future.succeededFuture();
        }
        Promise<Void> promise = Promise.promise();
        timers.setTimer(millis, promise::complete);
        return promise.future();
    }
}
