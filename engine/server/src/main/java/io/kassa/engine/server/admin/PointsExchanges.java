package io.kassa.engine.server.admin;

import io.kassa.engine.server.admin.PointsExchange.Exchanged;
import io.kassa.engine.server.admin.PointsExchange.Outcome;
import io.kassa.engine.server.admin.PointsExchange.Request;
import io.kassa.engine.server.admin.PointsExchange.SoldOut;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Points exchanged for coupons, with the chain-wide quota of a limited offer kept by two
 * stores (docs/adr/0011-chain-wide-quotas.md):
 *
 * <ol>
 *   <li>{@link ChainQuotas} (Redis, shared by every node) holds one unit for the exchange, or
 *       refuses at once when the offer is sold out — most of a rush ends here, without a
 *       PostgreSQL transaction;</li>
 *   <li>one PostgreSQL transaction draws the points, issues the coupon, records the exchange
 *       and counts it on the offer's quota row, whose {@code check (taken <= stock)} refuses
 *       an oversell whatever Redis said;</li>
 *   <li>Redis is told the answer: the unit committed, given back, or (PostgreSQL said sold
 *       out while Redis had let it through: Redis had lost its count) the quota full.</li>
 * </ol>
 *
 * A Redis that cannot be reached costs the fast refusal only: the exchange goes straight to
 * PostgreSQL, which alone keeps the quota.
 */
public final class PointsExchanges {

    private static final Logger log = LoggerFactory.getLogger(PointsExchanges.class);

    /**
     * How long a unit stays held for an exchange that never settles (its node died between
     * the two stores): longer than any exchange transaction, short enough that a lost hold
     * does not keep a unit from the rush.
     */
    public static final Duration HOLD = Duration.ofSeconds(30);

    private final AdminStore store;
    private final ChainQuotas quotas;
    private final Supplier<Optional<String>> currentGeneration;
    private final Clock clock;

    /**
     * {@code generation} is the hot copy's current generation (empty while it is being
     * rebuilt: then PostgreSQL alone keeps quotas).
     */
    public PointsExchanges(AdminStore store, ChainQuotas quotas,
            Supplier<Optional<String>> generation, Clock clock) {
        this.store = store;
        this.quotas = quotas;
        this.currentGeneration = generation;
        this.clock = clock;
    }

    /** Makes the exchange once per exchange id; a retry answers the first exchange. */
    public Future<Outcome> exchange(Request request, AdminStore.Audit audit) {
        Optional<String> current = currentGeneration.get();
        if (request.stock().isEmpty()) {
            return store.exchangePoints(request, audit);
        }
        if (current.isEmpty()) {
            return inPostgres(request, audit, Optional.empty(), false);
        }
        return take(request, current.get())
                .compose(take -> decide(request, audit, current, take));
    }

    private Future<Outcome> decide(Request request, AdminStore.Audit audit,
            Optional<String> generation, ChainQuotas.Take take) {
        switch (take.verdict()) {
            case DONE:
                return replayOr(request, audit, generation, false);
            case SOLD_OUT:
                return take.complete()
                        ? Future.succeededFuture(new SoldOut(request.stock().getAsLong()))
                        : replayOr(request, audit, generation, true);
            case TAKEN:
                return inPostgres(request, audit, generation, true);
            case UNKNOWN:
            default:
                // Unknown even after seeding (replaced again meanwhile), or Redis unreachable:
                // PostgreSQL alone keeps the quota.
                return inPostgres(request, audit, generation, false);
        }
    }

    /**
     * Redis's verdict, seeding a count Redis does not know from PostgreSQL's first; a Redis
     * that fails answers UNKNOWN (go to PostgreSQL without a hold).
     */
    private Future<ChainQuotas.Take> take(Request request, String generation) {
        Instant now = clock.instant();
        long stock = request.stock().getAsLong();
        return quotas.take(request.offerId(), generation, request.exchangeId(), stock, now,
                        now.plus(HOLD))
                .compose(take -> take.verdict() != ChainQuotas.Verdict.UNKNOWN
                        ? Future.succeededFuture(take)
                        : store.quotaTaken(request.offerId())
                                .compose(taken -> quotas.seed(request.offerId(), generation,
                                        taken))
                                .compose(seeded -> quotas.take(request.offerId(), generation,
                                        request.exchangeId(), stock, now, now.plus(HOLD))))
                .recover(failure -> {
                    log.warn("quota {} not reachable in Redis, PostgreSQL alone decides: {}",
                            request.offerId(), failure.toString());
                    return Future.succeededFuture(new ChainQuotas.Take(
                            ChainQuotas.Verdict.UNKNOWN, false));
                });
    }

    /**
     * Redis refused (or knows the exchange as done): a retry of a committed exchange answers
     * it; otherwise {@code soldOut} says whether the refusal stands or, for an id Redis calls
     * done that PostgreSQL does not know, whether to try the exchange after all.
     */
    private Future<Outcome> replayOr(Request request, AdminStore.Audit audit,
            Optional<String> generation, boolean soldOut) {
        return store.pointsExchange(request.exchangeId()).compose(found -> {
            if (found.isPresent()) {
                return Future.succeededFuture(request.replayOf(found.get()));
            }
            return soldOut ? Future.succeededFuture(new SoldOut(request.stock().getAsLong()))
                    : inPostgres(request, audit, generation, false);
        });
    }

    /**
     * The transaction, then Redis told its answer when the generation is known (awaited, so
     * that a retry finds Redis up to date; a failure there is only logged: PostgreSQL's
     * answer stands).
     */
    private Future<Outcome> inPostgres(Request request, AdminStore.Audit audit,
            Optional<String> generation, boolean held) {
        return store.exchangePoints(request, audit).transform(done -> {
            Future<Void> settled = generation.isEmpty() ? Future.succeededFuture()
                    : tell(request, generation.get(), done, held);
            return settled.transform(told -> {
                if (told.failed()) {
                    log.warn("quota {} not told the outcome of exchange {}: {}",
                            request.offerId(), request.exchangeId(), told.cause().toString());
                }
                return done.succeeded() ? Future.succeededFuture(done.result())
                        : Future.failedFuture(done.cause());
            });
        });
    }

    private Future<Void> tell(Request request, String generation, AsyncResult<Outcome> done,
            boolean held) {
        String offer = request.offerId();
        String exchange = request.exchangeId();
        if (done.succeeded() && done.result() instanceof Exchanged exchanged
                && !exchanged.replayed()) {
            return quotas.committed(offer, generation, exchange, exchanged.quotaTaken());
        }
        if (done.succeeded() && done.result() instanceof SoldOut soldOut) {
            // Redis let it through, PostgreSQL did not: Redis's count was behind (lost, or a
            // settle never arrived). From now on Redis refuses at once.
            return quotas.soldOut(offer, generation, exchange, soldOut.stock());
        }
        // Refused for want of points, a retry, or failed: the unit goes back.
        return held ? quotas.released(offer, generation, exchange) : Future.succeededFuture();
    }
}
