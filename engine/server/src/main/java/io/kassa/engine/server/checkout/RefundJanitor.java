package io.kassa.engine.server.checkout;

import io.kassa.engine.server.checkout.SaleRefundStore.ChannelRefund;
import io.kassa.engine.server.checkout.SaleRefundStore.PendingRefund;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes what refunds left behind:
 *
 * <ul>
 *   <li>a refund PENDING past its lease (its node died, or lost PostgreSQL, between the hold
 *       and the commit) is abandoned, conditionally, so that it can never commit; only then is
 *       its hold of clawed-back points released in the hot copy;
 *   <li>a channel refund still 'requested' past its lease (the channel did not answer, or the
 *       node died before asking) is asked again with the same out_refund_no, which the
 *       channel processes once: an unknown outcome is resolved by asking, never by guessing.
 * </ul>
 *
 * <p>Any node may run it: the abandon is a conditional write and a channel refund is claimed by
 * one caller at a time ({@code FOR UPDATE SKIP LOCKED}).
 */
public final class RefundJanitor {

    private static final Logger log = LoggerFactory.getLogger(RefundJanitor.class);

    /** Refunds and channel refunds looked at per run. */
    public static final int BATCH_MAX = 50;

    private final SaleRefunds refunds;
    private final SaleRefundStore store;
    private final MemberBalances balances;
    private final Clock clock;

    public RefundJanitor(SaleRefunds refunds, MemberBalances balances, Clock clock) {
        this.refunds = refunds;
        this.store = refunds.store();
        this.balances = balances;
        this.clock = clock;
    }

    /** What one run did. */
    public record Sweep(int abandoned, int channelRefundsAsked) {
    }

    /** One pass over overdue refunds, then over overdue channel refunds. */
    public Future<Sweep> sweepOnce() {
        return store.overdue(clock.instant(), BATCH_MAX).compose(overdue -> {
            List<Future<Boolean>> handled = new ArrayList<>();
            for (PendingRefund refund : overdue) {
                handled.add(abandon(refund));
            }
            return Future.join(handled).transform(done -> {
                int abandoned = 0;
                for (Future<Boolean> result : handled) {
                    if (result.succeeded() && result.result()) {
                        abandoned++;
                    } else if (result.failed()) {
                        log.warn("overdue refund not handled yet", result.cause());
                    }
                }
                int count = abandoned;
                return askChannels(0).map(asked -> new Sweep(count, asked));
            });
        });
    }

    private Future<Boolean> abandon(PendingRefund refund) {
        return store.abandon(refund.refundUuid()).compose(abandoned -> {
            if (!abandoned) {
                return Future.succeededFuture(false);
            }
            if (refund.holdId().isEmpty() || refund.memberId().isEmpty()) {
                return Future.succeededFuture(true);
            }
            log.info("releasing the hold of abandoned refund {}", refund.key());
            return balances.release(refund.memberId().get(), refund.holdId())
                    .compose(released -> store.holdReleased(refund.refundUuid()))
                    .map(true);
        });
    }

    private Future<Integer> askChannels(int asked) {
        if (asked >= BATCH_MAX) {
            return Future.succeededFuture(asked);
        }
        return store.claimOverdueChannelRefund(clock.instant(),
                        clock.instant().plus(SaleRefunds.CHANNEL_RETRY_AFTER))
                .compose((Optional<ChannelRefund> claimed) -> claimed.isEmpty()
                        ? Future.succeededFuture(asked)
                        : refunds.callChannel(claimed.get()).compose(done -> askChannels(asked + 1)));
    }
}
