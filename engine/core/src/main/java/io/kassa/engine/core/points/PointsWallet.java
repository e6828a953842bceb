package io.kassa.engine.core.points;

import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.rules.ExpiryPolicy;
import java.time.LocalDate;
import java.time.Month;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A member's points as lots, each with its own expiry, kept in spending order: first-expiring
 * first, then by lot id. Spending consumes the lots that expire first. Immutable: every
 * operation returns a new wallet. Lots never hold negative points and empty lots are dropped.
 */
public record PointsWallet(List<PointsLot> lots) {

    public static final PointsWallet EMPTY = new PointsWallet(List.of());

    private static final Comparator<PointsLot> SPENDING_ORDER =
            Comparator.comparing(PointsLot::expiresOn).thenComparing(PointsLot::lotId);

    public PointsWallet {
        List<PointsLot> sorted = new ArrayList<>();
        for (PointsLot lot : lots) {
            if (lot.points() > 0) {
                sorted.add(lot);
            }
        }
        sorted.sort(SPENDING_ORDER);
        lots = List.copyOf(sorted);
    }

    /** Points that can be spent on {@code date}: those of lots not yet expired. */
    public long balanceOn(LocalDate date) {
        long balance = 0;
        for (PointsLot lot : lots) {
            if (lot.isLiveOn(date)) {
                balance = Math.addExact(balance, lot.points());
            }
        }
        return balance;
    }

    /** Adds a lot of {@code points} earned on {@code earnedOn}, expiring per the policy. */
    public PointsWallet earn(String lotId, long points, LocalDate earnedOn, ExpiryPolicy policy) {
        if (points < 0) {
            throw new IllegalArgumentException("cannot earn negative points: " + points);
        }
        List<PointsLot> next = new ArrayList<>(lots);
        next.add(new PointsLot(lotId, points, earnedOn, policy.expiryOfLotEarnedOn(earnedOn), 0));
        return new PointsWallet(next);
    }

    /**
     * Spends {@code points} on {@code date}, first-expiring lots first. Under a rolling policy
     * every remaining lot's expiry restarts from {@code date} (never earlier than it was).
     */
    public Decision<PointsSpend> spend(long points, LocalDate date, ExpiryPolicy policy) {
        if (points < 0) {
            throw new IllegalArgumentException("cannot spend negative points: " + points);
        }
        long balance = balanceOn(date);
        if (points > balance) {
            return Decision.reject(RejectionCode.INSUFFICIENT_POINTS,
                    "spending " + points + " points, the member has " + balance + " on " + date);
        }
        List<PointsLot> next = new ArrayList<>(lots.size());
        List<LotDraw> draws = new ArrayList<>();
        long left = points;
        for (PointsLot lot : lots) {
            if (left > 0 && lot.isLiveOn(date)) {
                long taken = Math.min(left, lot.points());
                left -= taken;
                draws.add(new LotDraw(lot.lotId(), taken, lot.earnedOn(), lot.expiresOn(),
                        lot.birthdayExtendedYear()));
                next.add(lot.withPoints(lot.points() - taken));
            } else {
                next.add(lot);
            }
        }
        assert left == 0 : "balance covered the spend";
        if (policy.restartsOnUse() && points > 0) {
            LocalDate restarted = date.plusMonths(policy.months());
            for (int index = 0; index < next.size(); index++) {
                PointsLot lot = next.get(index);
                if (lot.isLiveOn(date) && lot.expiresOn().isBefore(restarted)) {
                    next.set(index, lot.withExpiresOn(restarted));
                }
            }
        }
        return Decision.accept(new PointsSpend(new PointsWallet(next), draws));
    }

    /** Drops every lot expired on {@code date}. */
    public PointsExpiry expire(LocalDate date) {
        List<PointsLot> next = new ArrayList<>(lots.size());
        long expired = 0;
        for (PointsLot lot : lots) {
            if (lot.isLiveOn(date)) {
                next.add(lot);
            } else {
                expired = Math.addExact(expired, lot.points());
            }
        }
        return new PointsExpiry(new PointsWallet(next), expired);
    }

    /**
     * The birthday extension: in the member's birth month, every live lot gains the policy's
     * extension months, once per calendar year. Idempotent within a year.
     */
    public PointsWallet extendForBirthday(Month birthMonth, LocalDate date, ExpiryPolicy policy) {
        if (policy.birthdayExtensionMonths() == 0 || date.getMonth() != birthMonth) {
            return this;
        }
        List<PointsLot> next = new ArrayList<>(lots.size());
        for (PointsLot lot : lots) {
            if (lot.isLiveOn(date) && lot.birthdayExtendedYear() != date.getYear()) {
                next.add(new PointsLot(lot.lotId(), lot.points(), lot.earnedOn(),
                        lot.expiresOn().plusMonths(policy.birthdayExtensionMonths()),
                        date.getYear()));
            } else {
                next.add(lot);
            }
        }
        return new PointsWallet(next);
    }

    /**
     * Puts back up to {@code points} of earlier draws, the last draw first (the points that
     * would have expired last go back first), into their original lots with their dates.
     */
    public PointsWallet restore(List<LotDraw> draws, long points) {
        List<PointsLot> next = new ArrayList<>(lots);
        long left = points;
        for (int index = draws.size() - 1; index >= 0 && left > 0; index--) {
            LotDraw draw = draws.get(index);
            long back = Math.min(left, draw.points());
            left -= back;
            int existing = indexOf(next, draw.lotId());
            if (existing >= 0) {
                PointsLot lot = next.get(existing);
                next.set(existing, lot.withPoints(Math.addExact(lot.points(), back)));
            } else {
                next.add(new PointsLot(draw.lotId(), back, draw.earnedOn(), draw.expiresOn(),
                        draw.birthdayExtendedYear()));
            }
        }
        if (left > 0) {
            throw new IllegalArgumentException("restoring " + points
                    + " points, more than the draws hold");
        }
        return new PointsWallet(next);
    }

    /**
     * Takes back {@code points} earned by an order: first from the order's own lot {@code
     * preferredLotId}, then from live lots in spending order. What the wallet cannot cover is
     * the shortfall.
     */
    public PointsClawback clawback(long points, String preferredLotId, LocalDate date) {
        if (points < 0) {
            throw new IllegalArgumentException("cannot claw back negative points: " + points);
        }
        List<PointsLot> next = new ArrayList<>(lots);
        long left = points;
        int preferred = indexOf(next, preferredLotId);
        if (preferred >= 0 && next.get(preferred).isLiveOn(date)) {
            PointsLot lot = next.get(preferred);
            long taken = Math.min(left, lot.points());
            left -= taken;
            next.set(preferred, lot.withPoints(lot.points() - taken));
        }
        for (int index = 0; index < next.size() && left > 0; index++) {
            PointsLot lot = next.get(index);
            if (lot.isLiveOn(date)) {
                long taken = Math.min(left, lot.points());
                left -= taken;
                next.set(index, lot.withPoints(lot.points() - taken));
            }
        }
        return new PointsClawback(new PointsWallet(next), points - left, left);
    }

    private static int indexOf(List<PointsLot> lots, String lotId) {
        for (int index = 0; index < lots.size(); index++) {
            if (lots.get(index).lotId().equals(lotId)) {
                return index;
            }
        }
        return -1;
    }
}
