package io.kassa.engine.server.checkout;

import io.kassa.engine.core.points.PointsLot;
import io.kassa.engine.server.checkout.MemberBalances.HotMember;
import io.kassa.engine.server.checkout.MemberBalances.MemberRecord;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compares the hot copy with PostgreSQL, member by member — stored value, every points lot
 * (points left and expiry), every coupon's state, and the profile (identity, tier, lifetime
 * points, orders, last order) when the hot copy holds one — and reports each difference. A member with
 * a hold in flight is compared as PostgreSQL will be once the hold ends: held amounts count as
 * still the member's. A member the hot copy has not loaded has nothing to differ.
 */
public final class Reconciler {

    /** Members compared per page. */
    public static final int PAGE_MEMBERS_MAX = 500;

    private final MemberBalances balances;
    private final MemberDirectory directory;
    private final AtomicLong lastDifferenceCount = new AtomicLong();

    public Reconciler(MemberBalances balances, MemberDirectory directory) {
        this.balances = balances;
        this.directory = directory;
    }

    /** One way the hot copy and PostgreSQL disagree about a member. */
    public record Difference(String memberId, String what, String hot, String durable) {
    }

    /** Differences found by the last full run. */
    public long lastDifferenceCount() {
        return lastDifferenceCount.get();
    }

    /** Compares every member; completes with every difference found. */
    public Future<List<Difference>> reconcileAll() {
        List<Difference> found = new ArrayList<>();
        return page("", found).map(done -> {
            lastDifferenceCount.set(found.size());
            return found;
        });
    }

    private Future<Void> page(String after, List<Difference> found) {
        return directory.memberIds(after, PAGE_MEMBERS_MAX).compose(ids -> {
            if (ids.isEmpty()) {
                return Future.succeededFuture();
            }
            List<Future<List<Difference>>> members = new ArrayList<>(ids.size());
            for (String id : ids) {
                members.add(reconcile(id));
            }
            return Future.all(members).compose(all -> {
                for (Future<List<Difference>> member : members) {
                    found.addAll(member.result());
                }
                return page(ids.get(ids.size() - 1), found);
            });
        });
    }

    /** Compares one member. */
    public Future<List<Difference>> reconcile(String memberId) {
        Future<Optional<HotMember>> hot = balances.read(memberId);
        Future<MemberRecord> durable = directory.balances(memberId);
        return Future.all(hot, durable).map(all -> hot.result()
                .map(member -> compare(member, durable.result()))
                .orElse(List.of()));
    }

    static List<Difference> compare(HotMember hot, MemberRecord durable) {
        List<Difference> differences = new ArrayList<>();
        String member = durable.memberId();
        long hotStoredValue = hot.storedValueFen() + hot.storedValueHeldFen();
        if (hotStoredValue != durable.storedValueFen() && hot.storedValueHeldFen() == 0) {
            differences.add(new Difference(member, "stored value",
                    Long.toString(hotStoredValue), Long.toString(durable.storedValueFen())));
        }
        if (hot.pointsHeld() == 0) {
            Map<String, PointsLot> hotLots = new HashMap<>();
            for (PointsLot lot : hot.lots()) {
                hotLots.put(lot.lotId(), lot);
            }
            for (PointsLot lot : durable.lots()) {
                PointsLot mirror = hotLots.remove(lot.lotId());
                if (mirror == null || mirror.points() != lot.points()
                        || !mirror.expiresOn().equals(lot.expiresOn())) {
                    differences.add(new Difference(member, "lot " + lot.lotId(),
                            describe(mirror), describe(lot)));
                }
            }
            for (PointsLot extra : hotLots.values()) {
                differences.add(new Difference(member, "lot " + extra.lotId(), describe(extra),
                        "absent"));
            }
        }
        for (Map.Entry<String, String> coupon : durable.couponStates().entrySet()) {
            String hotState = hot.couponStates().getOrDefault(coupon.getKey(), "absent");
            boolean bothAvailable = "A".equals(hotState) && "A".equals(coupon.getValue());
            boolean bothRedeemed = hotState.startsWith("R:")
                    && coupon.getValue().startsWith("R:");
            boolean held = hotState.startsWith("H:");
            if (!bothAvailable && !bothRedeemed && !held) {
                differences.add(new Difference(member, "coupon " + coupon.getKey(), hotState,
                        coupon.getValue()));
            }
        }
        hot.profile().ifPresent(hotProfile -> durable.profile().ifPresent(durableProfile ->
                compareProfiles(member, hotProfile, durableProfile, differences)));
        return differences;
    }

    private static void compareProfiles(String member, MemberBalances.HotProfile hot,
            MemberBalances.HotProfile durable, List<Difference> differences) {
        MemberProfile h = hot.profile();
        MemberProfile d = durable.profile();
        differ(member, "member code", h.memberCode(), d.memberCode(), differences);
        differ(member, "phone", h.phone(), d.phone(), differences);
        differ(member, "tier", h.tierName() + "/" + hot.tierRank(),
                d.tierName() + "/" + durable.tierRank(), differences);
        differ(member, "lifetime points", h.lifetimeEarnedPoints(), d.lifetimeEarnedPoints(),
                differences);
        differ(member, "completed orders", h.completedOrders(), d.completedOrders(),
                differences);
        differ(member, "last order", h.lastOrderOn(), d.lastOrderOn(), differences);
        differ(member, "birth month", h.birthMonth(), d.birthMonth(), differences);
    }

    private static void differ(String member, String what, Object hot, Object durable,
            List<Difference> differences) {
        if (!hot.equals(durable)) {
            differences.add(new Difference(member, "profile " + what, hot.toString(),
                    durable.toString()));
        }
    }

    private static String describe(PointsLot lot) {
        return lot == null ? "absent" : lot.points() + " points until " + lot.expiresOn();
    }
}
