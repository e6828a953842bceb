package io.kassa.engine.server.checkout;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a terminal may ask about its sales besides checking them out: where one stands, and
 * voiding one before it is paid.
 *
 * <p>A void reuses the paths that end a sale which cannot complete: the sale is fenced in
 * PostgreSQL first (from then on it can never commit: a checkout of it in flight, here or on
 * another node, ends {@code Abandoned} or with its payment given back), then the member's hold
 * is released, then each channel payment still open or taken without a sale is given back
 * through the {@link PaymentOrchestrator}, as its janitor would. Every step is idempotent, so a
 * repeated void repeats nothing that was done.
 */
public final class SaleDesk {

    private static final Logger log = LoggerFactory.getLogger(SaleDesk.class);

    /** How long a void waits for its payments to be given back before it answers. */
    public static final Duration VOID_ANSWER_WITHIN = Duration.ofSeconds(10);

    /** Coupons are of no use to a void: asking as of this far instant lists none. */
    private static final Instant NO_COUPONS_AFTER = Instant.parse("9999-01-01T00:00:00Z");

    private final SalesLedger ledger;
    private final SaleVoids voids;
    private final MemberDirectory directory;
    private final MemberBalances balances;
    private volatile PaymentOrchestrator payments;

    public SaleDesk(SalesLedger ledger, SaleVoids voids, MemberDirectory directory,
            MemberBalances balances) {
        this.ledger = ledger;
        this.voids = voids;
        this.directory = directory;
        this.balances = balances;
    }

    /** Lets status and voids see and give back channel payments (set once payments run). */
    public void enablePayments(PaymentOrchestrator orchestrator) {
        this.payments = java.util.Objects.requireNonNull(orchestrator, "orchestrator");
    }

    public Future<SaleStatus> status(SaleKey key) {
        Future<Optional<SalesLedger.RecordResult>> recorded = ledger.find(key);
        Future<Optional<Instant>> voided = voids.voidedAt(key);
        Future<List<PaymentIntent>> intents = intentsOf(key);
        return Future.all(recorded, voided, intents).map(all -> {
            Optional<SalesLedger.RecordResult> found = recorded.result();
            if (found.isPresent()
                    && found.get() instanceof SalesLedger.RecordResult.AlreadyRecorded sale) {
                return new SaleStatus(key, SaleStatus.State.COMMITTED,
                        Optional.of(sale.existing()), intents.result());
            }
            SaleStatus.State state;
            if (voided.result().isPresent()) {
                state = SaleStatus.State.VOIDED;
            } else if (found.isPresent()) {
                state = SaleStatus.State.FAILED;
            } else {
                state = SaleStatus.ofIntents(intents.result());
            }
            return new SaleStatus(key, state, Optional.empty(), intents.result());
        });
    }

    /**
     * Voids a sale not committed: fences it, records the void, releases the hold of the
     * member presented (if any; otherwise the hold janitor releases it at its deadline), and
     * gives back its channel payments, waiting for them at most {@link #VOID_ANSWER_WITHIN}.
     */
    public Future<VoidOutcome> voidSale(SaleKey key, Optional<String> memberCode,
            String reason) {
        return ledger.fence(key).compose(fenced -> {
            if (!fenced) {
                return ledger.find(key).compose(found -> {
                    if (found.isPresent() && found.get()
                            instanceof SalesLedger.RecordResult.AlreadyRecorded sale) {
                        return Future.succeededFuture(
                                new VoidOutcome.AlreadyCommitted(sale.existing()));
                    }
                    return Future.failedFuture(new IllegalStateException("sale " + key
                            + " is neither fenced nor committed"));
                });
            }
            return voids.record(key, reason).compose(voided -> releaseHold(key, memberCode)
                    .compose(released -> giveBackPayments(key))
                    .compose(settled -> intentsOf(key))
                    .map(intents -> new VoidOutcome.Voided(key, voided.voidedAt(),
                            voided.replayed(), intents)));
        });
    }

    /** Releases the hold the sale placed for the member, once the sale is fenced. */
    private Future<Void> releaseHold(SaleKey key, Optional<String> memberCode) {
        if (memberCode.isEmpty()) {
            return Future.succeededFuture();
        }
        String holdId = HoldIds.of(key);
        return directory.findWithCoupons(memberCode.get(), NO_COUPONS_AFTER).compose(member -> {
            if (member.isEmpty()) {
                return Future.<Void>succeededFuture();
            }
            String memberId = member.get().profile().memberId();
            return balances.release(memberId, holdId).compose(released -> balances.unindexHold(
                    new MemberBalances.HoldEntry(memberId, holdId, key)));
        }).recover(error -> {
            // The sale is fenced: the hold janitor releases the hold at its deadline anyway.
            log.warn("hold of voided sale {} not released now; the janitor will", key, error);
            return Future.succeededFuture();
        });
    }

    /** Gives back every payment of the sale still open or taken, within the answer bound. */
    private Future<Void> giveBackPayments(SaleKey key) {
        PaymentOrchestrator orchestrator = payments;
        if (orchestrator == null) {
            return Future.succeededFuture();
        }
        return intentsOf(key).compose(intents -> {
            List<PaymentIntent> toReturn = new ArrayList<>();
            for (PaymentIntent intent : intents) {
                // REVERSING is left to whoever started it (or the janitor): a second reverse
                // would only repeat the channel call.
                boolean open = intent.state().isOpen() && intent.state() != IntentState.REVERSING;
                if (open || intent.capturedWithoutSale()) {
                    toReturn.add(intent);
                }
            }
            if (toReturn.isEmpty()) {
                return Future.succeededFuture();
            }
            log.info("voided sale {}: giving back {} payment(s)", key, toReturn.size());
            // within() wraps the result in Optional.of: give it a non-null one.
            return orchestrator.within(orchestrator.giveBackAll(toReturn).map(Boolean.TRUE),
                    VOID_ANSWER_WITHIN).mapEmpty();
        });
    }

    private Future<List<PaymentIntent>> intentsOf(SaleKey key) {
        PaymentOrchestrator orchestrator = payments;
        return orchestrator == null ? Future.succeededFuture(List.of())
                : orchestrator.intents().ofSale(key);
    }
}
