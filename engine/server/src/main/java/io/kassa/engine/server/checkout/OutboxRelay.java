package io.kassa.engine.server.checkout;

import io.kassa.engine.core.points.PointsLot;
import io.kassa.engine.server.checkout.MemberBalances.FinishResult;
import io.kassa.engine.server.checkout.MemberBalances.HoldCommit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies to the hot copy what PostgreSQL committed but the hot copy may not have seen: the
 * engine crashed between the two, or Redis did not answer. Every application is the idempotent
 * commit of a hold, so applying twice changes nothing. Runs on one node's timer, but running
 * on several at once is equally safe.
 */
public final class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    /** Rows younger than this are left to the engine's own post-commit apply. */
    public static final Duration GRACE = Duration.ofSeconds(2);

    public static final int BATCH_MAX = 200;

    private final Outbox outbox;
    private final MemberBalances balances;
    private final HotCopy hotCopy;

    /** {@code hotCopy} puts PostgreSQL's profile in place after a sale or refund is redone. */
    public OutboxRelay(Outbox outbox, MemberBalances balances, HotCopy hotCopy) {
        this.outbox = outbox;
        this.balances = balances;
        this.hotCopy = hotCopy;
    }

    /** Applies one batch of pending rows; completes with how many were applied. */
    public Future<Integer> relayOnce(Duration olderThan) {
        return outbox.pending(olderThan, BATCH_MAX).compose(pending -> {
            List<Future<Long>> applied = new ArrayList<>(pending.size());
            for (Outbox.Pending row : pending) {
                applied.add(apply(row));
            }
            return Future.join(applied).transform(done -> {
                List<Long> ids = new ArrayList<>();
                for (Future<Long> result : applied) {
                    if (result.succeeded()) {
                        ids.add(result.result());
                    } else {
                        log.warn("outbox row not applied yet", result.cause());
                    }
                }
                return outbox.markAppliedNow(ids).map(marked -> ids.size());
            });
        });
    }

    /** Outbox kinds: what a row asks of the hot copy. */
    public static final String KIND_COMMIT_HOLD = "COMMIT_HOLD";
    public static final String KIND_EXPIRE_LOTS = "EXPIRE_LOTS";
    public static final String KIND_EXTEND_LOTS = "EXTEND_LOTS";
    /** An administrative change (admin API): the member's hot copy is dropped and reloaded. */
    public static final String KIND_RELOAD_MEMBER = "RELOAD_MEMBER";
    /** A committed refund: its clawback hold becomes final, what it gives back spendable. */
    public static final String KIND_COMMIT_REFUND = "COMMIT_REFUND";

    private Future<Long> apply(Outbox.Pending row) {
        switch (row.kind()) {
            case KIND_COMMIT_HOLD:
                return applyCommit(row);
            case KIND_EXPIRE_LOTS: {
                List<String> lotIds = new ArrayList<>();
                row.payload().getJsonArray("lotIds").forEach(id -> lotIds.add((String) id));
                return balances.expireLots(row.memberId(),
                        LocalDate.parse(row.payload().getString("today")), lotIds)
                        .map(removed -> row.outboxId());
            }
            case KIND_EXTEND_LOTS: {
                java.util.Map<String, LocalDate> expiries = new java.util.HashMap<>();
                JsonObject lots = row.payload().getJsonObject("expiries");
                for (String lotId : lots.fieldNames()) {
                    expiries.put(lotId, LocalDate.parse(lots.getString(lotId)));
                }
                return balances.extendLots(row.memberId(), row.payload().getInteger("year"),
                        expiries).map(extended -> row.outboxId());
            }
            case KIND_RELOAD_MEMBER:
                return balances.invalidate(row.memberId()).compose(result -> result
                        == MemberBalances.InvalidateResult.BUSY
                        ? Future.failedFuture(new IllegalStateException("member "
                                + row.memberId() + " has a sale in flight; reload retried"))
                        : Future.succeededFuture(row.outboxId()));
            case KIND_COMMIT_REFUND:
                return SaleRefunds.applyCommitted(balances, row).compose(outboxId ->
                        hotCopy.refreshProfile(row.memberId()).map(outboxId));
            default:
                return Future.failedFuture(new IllegalStateException(
                        "outbox row " + row.outboxId() + " has unknown kind " + row.kind()));
        }
    }

    private Future<Long> applyCommit(Outbox.Pending row) {
        HoldCommit commit = commitOf(row);
        return balances.commit(commit).compose(result -> {
            if (result == FinishResult.CONFLICT) {
                // The hold was released although its sale committed: a fencing bug. The
                // reconciler reports the member; nothing here can make it right blindly.
                log.error("hold {} of member {} was released but its sale committed",
                        row.holdId(), row.memberId());
            }
            // The row does not carry the sale's profile: PostgreSQL's, at least as new, goes in.
            return hotCopy.refreshProfile(row.memberId()).map(row.outboxId());
        });
    }

    /** What the hot copy's commit of a member sale needs, as the outbox row stores it. */
    public static JsonObject payloadOf(SalesLedger.MemberEffects effects) {
        JsonArray earned = new JsonArray();
        effects.earnedLot().ifPresent(lot -> earned.add(new JsonObject()
                .put("lotId", lot.lotId()).put("points", lot.points())
                .put("earnedOn", lot.earnedOn().toString())
                .put("expiresOn", lot.expiresOn().toString())));
        JsonObject payload = new JsonObject().put("today", effects.today().toString())
                .put("earnedLots", earned);
        effects.restartExpiryOn().ifPresent(day -> payload.put("restartExpiryOn", day.toString()));
        return payload;
    }

    /** The commit an outbox row describes (the inverse of {@link #payloadOf}). */
    static HoldCommit commitOf(Outbox.Pending row) {
        JsonObject payload = row.payload();
        List<PointsLot> earned = new ArrayList<>();
        JsonArray lots = payload.getJsonArray("earnedLots", new JsonArray());
        for (int index = 0; index < lots.size(); index++) {
            JsonObject lot = lots.getJsonObject(index);
            earned.add(new PointsLot(lot.getString("lotId"), lot.getLong("points"),
                    LocalDate.parse(lot.getString("earnedOn")),
                    LocalDate.parse(lot.getString("expiresOn")), 0));
        }
        return new HoldCommit(row.memberId(), row.holdId(),
                LocalDate.parse(payload.getString("today")),
                Optional.ofNullable(payload.getString("restartExpiryOn")).map(LocalDate::parse),
                earned);
    }
}
