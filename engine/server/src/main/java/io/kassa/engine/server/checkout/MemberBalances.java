package io.kassa.engine.server.checkout;

import io.kassa.engine.core.points.LotDraw;
import io.kassa.engine.core.points.PointsLot;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The port to the hot, atomic copy of members' balances: points lots, stored value and coupon
 * states, with holds keyed by sale. Every operation on one member is atomic; reserve is all or
 * nothing; commit and release are idempotent and only ever called once PostgreSQL has decided
 * the sale's fate (committed, or fenced so that it never can be).
 */
public interface MemberBalances {

    /** The generation the hot copy says it holds, or empty when it holds none (lost, new). */
    Future<Optional<String>> generation();

    /** Marks the hot copy as holding {@code generation} (after PostgreSQL moved to it). */
    Future<Void> publishGeneration(String generation);

    /**
     * Records that a hold for this sale may exist until {@code deadline}, before the hold is
     * placed, so that the janitor finds it even if this node dies right after placing it.
     */
    Future<Void> indexHold(HoldEntry entry, Instant deadline);

    /** Holds whose deadline is before {@code now}, oldest first. */
    Future<List<HoldEntry>> holdsDueBefore(Instant now, int limit);

    /** Forgets an index entry (its hold is committed, released, or was never placed). */
    Future<Void> unindexHold(HoldEntry entry);

    /** Where a hold lives and which sale it belongs to. */
    record HoldEntry(String memberId, String holdId, SaleKey sale) {

        /**
         * A JSON array of the five ids: unambiguous whatever characters a sale id has. Written
         * by hand when no id needs escaping (every checkout writes it twice), byte for byte
         * what the JSON encoder writes, so that an entry is always removed by its own string.
         */
        public String encoded() {
            String[] ids = {memberId, holdId, sale.storeId(), sale.terminalId(), sale.saleId()};
            StringBuilder json = new StringBuilder(128).append('[');
            for (int index = 0; index < ids.length; index++) {
                if (!plain(ids[index])) {
                    return new io.vertx.core.json.JsonArray(List.of(ids)).encode();
                }
                json.append(index == 0 ? "\"" : ",\"").append(ids[index]).append('"');
            }
            return json.append(']').toString();
        }

        /** Printable ASCII without a quote or a backslash: JSON writes it as it is. */
        private static boolean plain(String id) {
            for (int index = 0; index < id.length(); index++) {
                char c = id.charAt(index);
                if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                    return false;
                }
            }
            return true;
        }

        public static HoldEntry decode(String encoded) {
            io.vertx.core.json.JsonArray parts = new io.vertx.core.json.JsonArray(encoded);
            if (parts.size() != 5) {
                throw new IllegalArgumentException("not a hold entry: " + encoded);
            }
            return new HoldEntry(parts.getString(0), parts.getString(1),
                    new SaleKey(parts.getString(2), parts.getString(3), parts.getString(4)));
        }
    }

    /** Removes lots the ledger expired (only those no longer live on {@code today}). */
    Future<Integer> expireLots(String memberId, LocalDate today, List<String> lotIds);

    /** Moves lots' expiries later (birthday extension of {@code year}); never earlier. */
    Future<Integer> extendLots(String memberId, int year, Map<String, LocalDate> newExpiries);

    /**
     * Drops a member's hot copy after an administrative change committed in PostgreSQL, so that
     * the next use loads the truth; refused ({@link InvalidateResult#BUSY}) while the member
     * has points, stored value or a coupon held by a sale in flight. Idempotent.
     */
    default Future<InvalidateResult> invalidate(String memberId) {
        return Future.failedFuture(new UnsupportedOperationException("invalidate"));
    }

    enum InvalidateResult { INVALIDATED, NOT_LOADED, BUSY }

    /** The member's state as the hot copy holds it, or empty when not loaded. */
    Future<Optional<HotMember>> read(String memberId);

    /** The hold of a sale, if this hot copy has it (a retry finds its first attempt's hold). */
    Future<Optional<HoldView>> hold(String memberId, String holdId);

    /**
     * The member's hot state and a sale's hold, read in one atomic step where the store allows
     * (one round trip): a checkout retry is judged on the balances its first attempt saw.
     * Empty when the member is not loaded.
     */
    default Future<Optional<HotMemberAndHold>> readWithHold(String memberId, String holdId) {
        Future<Optional<HotMember>> member = read(memberId);
        Future<Optional<HoldView>> hold = hold(memberId, holdId);
        return Future.all(member, hold).map(all -> member.result()
                .map(found -> new HotMemberAndHold(found, hold.result())));
    }

    /** A member's hot state with the hold of one sale, if there is one. */
    record HotMemberAndHold(HotMember member, Optional<HoldView> hold) {
    }

    /**
     * {@link #indexHold} then {@link #reserve}: the index entry is in place before the hold
     * exists. The store may send both at once (one round trip) as long as it keeps that order;
     * when either fails this fails, and the entry stays (or is written again) so that the
     * janitor finds a hold placed all the same.
     */
    default Future<ReserveResult> indexAndReserve(HoldEntry entry, HoldRequest request) {
        return indexHold(entry, request.deadline()).compose(indexed -> reserve(request));
    }

    /**
     * {@link #commit}, then the hold's index entry is forgotten. Called once PostgreSQL holds
     * the sale: from then on the outbox relay, not the hold janitor, finishes the hold if this
     * commit does not happen, so the store may send both at once (one round trip).
     */
    default Future<FinishResult> commitAndUnindex(HoldCommit commit, HoldEntry entry) {
        return commit(commit).compose(result -> result == FinishResult.CONFLICT
                ? Future.succeededFuture(result)
                : unindexHold(entry).map(result));
    }

    /** Installs a member's state read from PostgreSQL, unless already loaded in generation. */
    Future<Void> load(String generation, MemberRecord member);

    Future<ReserveResult> reserve(HoldRequest request);

    Future<FinishResult> commit(HoldCommit commit);

    Future<FinishResult> release(String memberId, String holdId);

    /**
     * A hold as it stands.
     *
     * @param state H (held), C (committed) or R (released)
     * @param generation the hot copy's generation the hold was placed in
     */
    record HoldView(String state, long points, long storedValueFen, List<LotDraw> draws,
            List<String> couponIds, String generation) {

        public HoldView {
            draws = List.copyOf(draws);
            couponIds = List.copyOf(couponIds);
        }
    }

    /** A hold to place for one sale. */
    record HoldRequest(
            String memberId, String holdId, String generation, long points,
            long storedValueFen, List<String> couponIds, LocalDate today, Instant deadline) {

        public HoldRequest {
            Objects.requireNonNull(memberId, "memberId");
            Objects.requireNonNull(holdId, "holdId");
            couponIds = List.copyOf(couponIds);
            if (points < 0 || storedValueFen < 0) {
                throw new IllegalArgumentException("a hold never takes negative amounts");
            }
        }
    }

    /**
     * What a sale's commit adds to the member once its hold is final, and the member's profile
     * as the sale's transaction left it, when the ledger gave it.
     */
    record HoldCommit(
            String memberId, String holdId, LocalDate today, Optional<LocalDate> restartExpiryOn,
            List<PointsLot> earnedLots, Optional<ProfileUpdate> profile) {

        public HoldCommit {
            earnedLots = List.copyOf(earnedLots);
            Objects.requireNonNull(profile, "profile");
        }

        /** A commit that leaves the profile to {@link MemberBalances#applyProfile}. */
        public HoldCommit(String memberId, String holdId, LocalDate today,
                Optional<LocalDate> restartExpiryOn, List<PointsLot> earnedLots) {
            this(memberId, holdId, today, restartExpiryOn, earnedLots, Optional.empty());
        }
    }

    /**
     * Puts a member's profile as PostgreSQL committed it into the hot copy, unless the hot
     * copy holds that version or a newer one, or does not hold the member.
     */
    default Future<Void> applyProfile(ProfileUpdate update) {
        return Future.failedFuture(new UnsupportedOperationException("applyProfile"));
    }

    /** A member's balances and profile as PostgreSQL holds them, to load into the hot copy. */
    record MemberRecord(
            String memberId, long storedValueFen, List<PointsLot> lots,
            Map<String, String> couponStates, Optional<HotProfile> profile) {

        public MemberRecord {
            lots = List.copyOf(lots);
            couponStates = Map.copyOf(couponStates);
            Objects.requireNonNull(profile, "profile");
        }

        /** Balances alone: the hot copy holds no profile, readers take it from PostgreSQL. */
        public MemberRecord(String memberId, long storedValueFen, List<PointsLot> lots,
                Map<String, String> couponStates) {
            this(memberId, storedValueFen, lots, couponStates, Optional.empty());
        }
    }

    /**
     * What the hot copy keeps of a member besides balances, so that a quote or a checkout
     * reads nothing from PostgreSQL: the profile (identity, tier, lifetime points, orders),
     * the version PostgreSQL gave it, and the terms of every coupon the member was issued
     * (templates, validity, own amounts; their states live with the balances).
     */
    record HotProfile(MemberProfile profile, int tierRank, long version,
            List<MemberDirectory.CouponRecord> coupons) {

        public HotProfile {
            Objects.requireNonNull(profile, "profile");
            coupons = List.copyOf(coupons);
        }

        /** Whether the member presents themselves with {@code codeOrPhone}. */
        public boolean answersTo(String codeOrPhone) {
            return codeOrPhone.equals(profile.memberCode())
                    || profile.phone().map(codeOrPhone::equals).orElse(false);
        }
    }

    /**
     * The hot copy of a member: available balances and what is held for sales in flight, and
     * the profile when the member was loaded with one.
     */
    record HotMember(
            String generation, long storedValueFen, long storedValueHeldFen, long pointsHeld,
            List<PointsLot> lots, Map<String, String> couponStates,
            Optional<HotProfile> profile) {

        public HotMember {
            lots = List.copyOf(lots);
            couponStates = Map.copyOf(couponStates);
            Objects.requireNonNull(profile, "profile");
        }

        public HotMember(String generation, long storedValueFen, long storedValueHeldFen,
                long pointsHeld, List<PointsLot> lots, Map<String, String> couponStates) {
            this(generation, storedValueFen, storedValueHeldFen, pointsHeld, lots, couponStates,
                    Optional.empty());
        }

        /** Points spendable on {@code date}: live lots, holds already taken out. */
        public long livePointsOn(LocalDate date) {
            long live = 0;
            for (PointsLot lot : lots) {
                if (lot.isLiveOn(date)) {
                    live = Math.addExact(live, lot.points());
                }
            }
            return live;
        }
    }

    sealed interface ReserveResult {
        record Reserved(List<LotDraw> draws) implements ReserveResult {
            public Reserved {
                draws = List.copyOf(draws);
            }
        }

        /** The hold already exists (a retry of the same sale): its state and draws. */
        record Existing(String state, List<LotDraw> draws) implements ReserveResult {
            public Existing {
                draws = List.copyOf(draws);
            }
        }

        record NotLoaded() implements ReserveResult {
        }

        record StaleGeneration(String current) implements ReserveResult {
        }

        record InsufficientPoints(long live) implements ReserveResult {
        }

        record InsufficientStoredValue(long availableFen) implements ReserveResult {
        }

        record CouponUnavailable(String couponId, String state) implements ReserveResult {
        }
    }

    enum FinishResult {
        /** This call committed or released the hold. */
        DONE,
        /** An earlier call already did: nothing changed. */
        ALREADY_DONE,
        /** No such hold: the hot copy never saw it or was rebuilt since. */
        NO_HOLD,
        /** The hold ended the other way (released when committing, or the reverse). */
        CONFLICT
    }
}
