package io.kassa.engine.server.checkout;

import io.kassa.engine.server.checkout.MemberDirectory.MemberWithCoupons;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The member and coupons a quote read from PostgreSQL, kept on this node for the quotes and
 * the checkout of the same sale, so that a sale reads its member from PostgreSQL once instead
 * of at every quote and again at its checkout.
 *
 * <p>Only the profile (tier, lifetime points, birth month, orders) and which coupons were
 * issued come from here; balances, coupon states and holds are read from the hot copy at every
 * quote and checkout, and the hold and the PostgreSQL commit check them again, so a view that
 * is seconds old never lets a sale spend what is not there. A checkout takes its store's view
 * of the member (the next sale reads afresh), and a finished checkout drops any view of its
 * member that a concurrent quote left; a view nobody took is dropped after {@link #TTL}. What
 * an operator changes in a member's profile meanwhile applies from the next sale.
 *
 * <p>Keyed by store and by the code or phone number presented: the customer at one till.
 * Thread-safe: quotes and checkouts arrive on every event loop.
 */
final class QuotedMembers {

    /** How long a quote's view of a member serves its sale's later quotes and checkout. */
    static final Duration TTL = Duration.ofSeconds(30);

    /** Views kept at most; past that, quotes read without keeping (a flood of abandoned ones). */
    static final int MAX_VIEWS = 50_000;

    private record Key(String storeId, String memberCode) {
    }

    private record View(Key key, MemberWithCoupons member, long expiresAtNanos) {
    }

    private final ConcurrentHashMap<Key, View> views = new ConcurrentHashMap<>();
    /** Views in the order they were kept, so that expired ones leave without a scan. */
    private final ConcurrentLinkedQueue<View> byAge = new ConcurrentLinkedQueue<>();
    private final long ttlNanos;

    QuotedMembers() {
        this(TTL);
    }

    QuotedMembers(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    /** The view a quote of this store kept for this member, still fresh, if any. */
    Optional<MemberWithCoupons> peek(String storeId, String memberCode) {
        View view = views.get(new Key(storeId, memberCode));
        return view == null || expired(view, System.nanoTime()) ? Optional.empty()
                : Optional.of(view.member());
    }

    /** As {@link #peek}, and the view is gone: the checkout of the sale takes it. */
    Optional<MemberWithCoupons> take(String storeId, String memberCode) {
        View view = views.remove(new Key(storeId, memberCode));
        return view == null || expired(view, System.nanoTime()) ? Optional.empty()
                : Optional.of(view.member());
    }

    /** Keeps what a quote read, for the rest of its sale. */
    void keep(String storeId, String memberCode, MemberWithCoupons member) {
        long now = System.nanoTime();
        dropExpired(now);
        if (views.size() >= MAX_VIEWS) {
            return;
        }
        View view = new View(new Key(storeId, memberCode), member, now + ttlNanos);
        views.put(view.key(), view);
        byAge.add(view);
    }

    /** Forgets this store's view of the member (its sale finished: its profile moved on). */
    void drop(String storeId, String memberCode) {
        views.remove(new Key(storeId, memberCode));
    }

    int size() {
        return views.size();
    }

    private void dropExpired(long now) {
        for (View oldest = byAge.peek(); oldest != null && expired(oldest, now);
                oldest = byAge.peek()) {
            if (byAge.remove(oldest)) {
                views.remove(oldest.key(), oldest);
            }
        }
    }

    private static boolean expired(View view, long now) {
        return now - view.expiresAtNanos() >= 0;
    }
}
