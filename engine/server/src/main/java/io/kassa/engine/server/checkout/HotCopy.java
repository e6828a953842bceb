package io.kassa.engine.server.checkout;

import io.kassa.engine.server.checkout.MemberBalances.HoldEntry;
import io.kassa.engine.server.checkout.MemberBalances.HoldRequest;
import io.kassa.engine.server.checkout.MemberBalances.HotMember;
import io.kassa.engine.server.checkout.MemberBalances.HotMemberAndHold;
import io.kassa.engine.server.checkout.MemberBalances.ReserveResult;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the hot copy of balances honest: it knows which generation of PostgreSQL's truth the
 * hot copy holds, notices when the hot copy was lost (Redis restarted without persistence,
 * FLUSHALL, failover to an empty replica), and rebuilds before any debit is accepted again.
 *
 * <p>The rebuild is lazy per member and safe by construction: first PostgreSQL advances to a
 * new generation (which fences every hold made in the lost copy: those sales can no longer
 * commit), then the new generation is published to Redis, then each member is loaded from
 * PostgreSQL the first time a quote or checkout needs it. Until the new generation is in
 * place, checkouts with a member get {@link HotCopyLostException} (terminals: retry shortly).
 */
public final class HotCopy {

    private static final Logger log = LoggerFactory.getLogger(HotCopy.class);

    private final MemberBalances balances;
    private final MemberDirectory directory;
    private final GenerationFence fence;
    private final AtomicBoolean reconciling = new AtomicBoolean();
    private volatile String generation;

    public HotCopy(MemberBalances balances, MemberDirectory directory, GenerationFence fence) {
        this.balances = balances;
        this.directory = directory;
        this.fence = fence;
    }

    /** The generation debits are accepted in, or empty while a rebuild is starting. */
    public Optional<String> generation() {
        return Optional.ofNullable(generation);
    }

    /**
     * Compares the hot copy's generation with PostgreSQL's and starts a new one if they differ.
     * Called at start-up and by the periodic check; concurrent calls coalesce.
     */
    public Future<Void> check() {
        return balances.generation().compose(published -> {
            if (generation != null && published.isPresent()
                    && published.get().equals(generation)) {
                return Future.succeededFuture();
            }
            if (!reconciling.compareAndSet(false, true)) {
                return Future.succeededFuture();
            }
            if (generation != null) {
                log.warn("hot copy holds generation {}, expected {}: rebuilding",
                        published.orElse("none"), generation);
            }
            generation = null;
            return reconcile(published).onComplete(done -> reconciling.set(false));
        });
    }

    private Future<Void> reconcile(Optional<String> published) {
        return fence.current().compose(durable -> {
            if (published.isPresent() && published.get().equals(durable)) {
                generation = durable;
                return Future.succeededFuture();
            }
            return fence.advance(durable).compose(next -> balances.publishGeneration(next)
                    .onSuccess(done -> {
                        log.info("hot copy now holds generation {}; members load on use", next);
                        generation = next;
                    }));
        });
    }

    /** The member's hot state, loading it from PostgreSQL first when needed. */
    public Future<HotMember> member(String memberId) {
        String current = generation;
        if (current == null) {
            return Future.failedFuture(unavailable());
        }
        return balances.read(memberId).compose(hot -> {
            if (hot.isPresent() && hot.get().generation().equals(current)) {
                return Future.succeededFuture(hot.get());
            }
            return load(memberId, current).compose(loaded -> balances.read(memberId))
                    .compose(reread -> reread.filter(h -> h.generation().equals(current))
                            .map(Future::succeededFuture)
                            .orElseGet(() -> Future.failedFuture(unavailable())));
        });
    }

    /**
     * The member's hot state with the hold of a checkout's sale (a retry finds its first
     * attempt's), read in one step, loading the member from PostgreSQL first when needed.
     */
    public Future<HotMemberAndHold> memberWithHold(String memberId, String holdId) {
        String current = generation;
        if (current == null) {
            return Future.failedFuture(unavailable());
        }
        return balances.readWithHold(memberId, holdId).compose(hot -> {
            if (hot.isPresent() && hot.get().member().generation().equals(current)) {
                return Future.succeededFuture(hot.get());
            }
            return load(memberId, current)
                    .compose(loaded -> balances.readWithHold(memberId, holdId))
                    .compose(reread -> reread
                            .filter(h -> h.member().generation().equals(current))
                            .map(Future::succeededFuture)
                            .orElseGet(() -> Future.failedFuture(unavailable())));
        });
    }

    /**
     * Puts the member's profile as PostgreSQL holds it now into the hot copy (after a refund,
     * or an outbox row redone without the sale's own profile): a newer version than any the
     * hot copy may hold, so it never puts an older one back.
     */
    public Future<Void> refreshProfile(String memberId) {
        return directory.profile(memberId).compose(profile -> profile
                .map(balances::applyProfile).orElseGet(Future::succeededFuture));
    }

    /**
     * Drops a member's hot copy unless a sale of the member holds something in it (then it is
     * left as it is); the next use loads the member afresh. Answers nothing: a drop that does
     * not happen now happens at a later use.
     */
    public void dropUnlessHeld(String memberId) {
        balances.invalidate(memberId).onFailure(error -> log.debug(
                "member {} not dropped from the hot copy", memberId, error));
    }

    /**
     * Places a hold in the current generation, loading the member once if the hot copy does
     * not have it (or has it from a lost generation). The caller indexes the hold first.
     */
    public Future<ReserveResult> reserve(HoldRequest request) {
        return reserve(Optional.empty(), request);
    }

    /**
     * Indexes a checkout's hold ({@code entry}, for the janitor) and places it, as
     * {@link #reserve(HoldRequest)} does; the store sends both in one round trip.
     */
    public Future<ReserveResult> reserve(HoldEntry entry, HoldRequest request) {
        return reserve(Optional.of(entry), request);
    }

    private Future<ReserveResult> reserve(Optional<HoldEntry> entry, HoldRequest request) {
        String current = generation;
        if (current == null) {
            return Future.failedFuture(unavailable());
        }
        HoldRequest inGeneration = new HoldRequest(request.memberId(), request.holdId(),
                current, request.points(), request.storedValueFen(), request.couponIds(),
                request.today(), request.deadline());
        Future<ReserveResult> first = entry.isPresent()
                ? balances.indexAndReserve(entry.get(), inGeneration)
                : balances.reserve(inGeneration);
        return first.compose(result -> {
            if (result instanceof ReserveResult.NotLoaded
                    || result instanceof ReserveResult.StaleGeneration) {
                return load(request.memberId(), current)
                        .compose(loaded -> balances.reserve(inGeneration));
            }
            return Future.succeededFuture(result);
        }).compose(result -> result instanceof ReserveResult.NotLoaded
                || result instanceof ReserveResult.StaleGeneration
                ? Future.failedFuture(unavailable()) : Future.succeededFuture(result));
    }

    /**
     * Loads a member, but only while the hot copy still holds {@code current}: a member missing
     * because the hot copy was just lost must wait for the new generation (see {@link #check}).
     */
    private Future<Void> load(String memberId, String current) {
        return balances.generation().compose(published -> {
            if (published.isEmpty() || !published.get().equals(current)) {
                check().onFailure(error -> log.warn("generation check failed", error));
                return Future.failedFuture(unavailable());
            }
            return directory.balances(memberId)
                    .compose(record -> balances.load(current, record));
        });
    }

    private static HotCopyLostException unavailable() {
        return new HotCopyLostException(
                "member balances are being rebuilt after a loss of the hot copy; retry shortly");
    }
}
