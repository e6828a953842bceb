package io.kassa.engine.server.checkout;

import io.kassa.engine.core.decision.Rejection;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.tender.TenderKind;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Top-ups of stored value taken at a terminal: the member found by code or phone, the tender
 * checked, the top-up recorded once per top-up id ({@link StoredValueTopUps}), then the
 * member's hot copy dropped so that the next use loads the credited balance — the same
 * RELOAD_MEMBER path the admin API's top-ups take, applied at once here instead of by the
 * outbox relay a few seconds later, because the customer usually pays with it next.
 */
public final class TopUpService {

    private static final Logger log = LoggerFactory.getLogger(TopUpService.class);

    private final StoredValueTopUps topUps;
    private final MemberDirectory directory;
    private final MemberBalances balances;
    private final Outbox outbox;
    private final Clock clock;

    public TopUpService(StoredValueTopUps topUps, MemberDirectory directory,
            MemberBalances balances, Outbox outbox, Clock clock) {
        this.topUps = topUps;
        this.directory = directory;
        this.balances = balances;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** A top-up as the terminal asks for it. */
    public record Command(StoredValueTopUps.Key key, String memberCode, TenderKind tenderKind,
            long amountFen, long receivedFen, String reference) {
    }

    /** How a top-up ended. */
    public sealed interface Outcome {
        record Done(StoredValueTopUps.Recorded recorded, boolean replayed) implements Outcome {
        }

        /** Refused before anything was written. */
        record Rejected(Rejection rejection) implements Outcome {
        }

        /** The top-up id names another top-up; nothing was written. */
        record Conflict(StoredValueTopUps.Recorded existing) implements Outcome {
        }
    }

    public Future<Outcome> topUp(Command command) {
        long received = command.tenderKind() == TenderKind.CASH ? command.receivedFen()
                : command.amountFen();
        if (received < command.amountFen()) {
            return rejected(RejectionCode.CASH_RECEIVED_SHORT, "cash received "
                    + received + " fen is less than the top-up of " + command.amountFen()
                    + " fen");
        }
        return directory.findWithCoupons(command.memberCode(), clock.instant()).compose(found -> {
            if (found.isEmpty()) {
                return rejected(RejectionCode.UNKNOWN_MEMBER,
                        "no member has the code or phone number presented");
            }
            String memberId = found.get().profile().memberId();
            StoredValueTopUps.TopUp topUp = new StoredValueTopUps.TopUp(command.key(), memberId,
                    command.tenderKind(), command.amountFen(), received, command.reference());
            return topUps.topUp(topUp).map(result -> {
                if (result instanceof StoredValueTopUps.Result.Conflict conflict) {
                    return new Outcome.Conflict(conflict.existing());
                }
                StoredValueTopUps.Result.Done done = (StoredValueTopUps.Result.Done) result;
                done.outboxId().ifPresent(outboxId -> refreshHotCopy(memberId, outboxId));
                return new Outcome.Done(done.recorded(), done.replayed());
            });
        });
    }

    /**
     * Drops the member's hot copy so that the next use loads the credited balance. While a sale
     * of the member holds balances it is refused; the outbox relay then retries it.
     */
    private void refreshHotCopy(String memberId, long outboxId) {
        balances.invalidate(memberId).onSuccess(result -> {
            if (result != MemberBalances.InvalidateResult.BUSY) {
                outbox.markApplied(outboxId);
            }
        }).onFailure(error -> log.warn("hot copy of member {} not refreshed after a top-up;"
                + " the outbox relay will", memberId, error));
    }

    private static Future<Outcome> rejected(RejectionCode code, String explanation) {
        return Future.succeededFuture(new Outcome.Rejected(Rejection.of(code, explanation)));
    }
}
