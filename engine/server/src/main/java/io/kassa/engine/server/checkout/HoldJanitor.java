package io.kassa.engine.server.checkout;

import io.kassa.engine.server.checkout.MemberBalances.HoldEntry;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends holds whose sales were abandoned: past its deadline, a hold still held is released, but
 * only after its sale is fenced in PostgreSQL (a conditional write after which the sale can
 * never commit). If the fence finds the sale committed, the hold is left for the outbox relay
 * to commit instead. No hold is ever ended by a key expiring on its own.
 *
 * <p>Any node may run it; the fence and release are idempotent, so two janitors on one hold do
 * no harm.
 */
public final class HoldJanitor {

    private static final Logger log = LoggerFactory.getLogger(HoldJanitor.class);

    /** Holds looked at per run. */
    public static final int BATCH_MAX = 100;

    private final MemberBalances balances;
    private final SalesLedger ledger;
    private final Clock clock;

    public HoldJanitor(MemberBalances balances, SalesLedger ledger, Clock clock) {
        this.balances = balances;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** One pass; completes with the number of holds released. */
    public Future<Integer> sweepOnce() {
        return balances.holdsDueBefore(clock.instant(), BATCH_MAX).compose(due -> {
            List<Future<Boolean>> handled = new ArrayList<>(due.size());
            for (HoldEntry entry : due) {
                handled.add(handle(entry));
            }
            return Future.join(handled).map(done -> {
                int released = 0;
                for (Future<Boolean> result : handled) {
                    if (result.succeeded() && result.result()) {
                        released++;
                    } else if (result.failed()) {
                        log.warn("overdue hold not handled yet", result.cause());
                    }
                }
                return released;
            });
        });
    }

    private Future<Boolean> handle(HoldEntry entry) {
        return balances.hold(entry.memberId(), entry.holdId()).compose(hold -> {
            if (hold.isEmpty() || !"H".equals(hold.get().state())) {
                return balances.unindexHold(entry).map(false);
            }
            return ledger.fence(entry.sale()).compose(fenced -> {
                if (!fenced) {
                    // Committed in PostgreSQL: the outbox relay commits the hold; look again
                    // on the next pass.
                    return Future.succeededFuture(false);
                }
                log.info("releasing abandoned hold of sale {}", entry.sale());
                return balances.release(entry.memberId(), entry.holdId())
                        .compose(released -> balances.unindexHold(entry))
                        .map(true);
            });
        });
    }
}
