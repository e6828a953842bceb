package io.kassa.engine.core.coupon;

import io.kassa.engine.core.basket.PricedLine;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.money.Allocation;
import io.kassa.engine.core.rules.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which of the presented coupons apply to an order.
 *
 * <p>First every coupon is checked on its own (used, window, owner, first-order condition,
 * store, eligible lines, threshold on the eligible lines' gross subtotal); each that fails gets
 * its reason. Then the best combination of the rest is chosen: the largest total discount, ties
 * to the combination whose earliest expiry comes first, then to fewer coupons. A coupon that is
 * not stackable is alone in its order; stackable coupons combine with each other as long as the
 * combination holds no more coupons than the smallest {@code stackLimit} among them (and never
 * more than {@link #COUPONS_PER_ORDER_MAX}).
 *
 * <p>The search is bounded: every single coupon is always evaluated, then combinations of
 * stackable coupons are explored depth first, most valuable coupons first, until {@link
 * #COMBINATIONS_EVALUATED_MAX} combinations have been evaluated; past the bound the best found
 * so far is taken (still a valid combination, perhaps not the optimum). With 20 presented
 * coupons at most the bound keeps a quote within microseconds. A combination whose coupons'
 * standalone discounts sum to less than the best found is skipped without evaluation (and
 * without counting toward the bound): coupons that share lines only lose value together.
 *
 * <p>Within a combination, share-off coupons apply first (on the lines' gross), amounts off
 * after, each on the net its eligible lines have left, so no line's net goes below zero. Each
 * discount is spread over its eligible lines by largest remainder, weighted by their net.
 */
public final class CouponSelection {

    public static final int COUPONS_PER_ORDER_MAX = 5;
    public static final int COMBINATIONS_EVALUATED_MAX = 512;

    private CouponSelection() {
    }

    /** A coupon that passed every check on its own, with its eligible lines. */
    private record Candidate(Coupon coupon, boolean[] eligible, long standaloneDiscountFen) {
    }

    /** The state of the combination search: the best found and the evaluation budget. */
    private static final class Search {
        final long[] gross;
        List<Candidate> best = List.of();
        long bestDiscount = -1;
        int evaluations;

        Search(long[] gross) {
            this.gross = gross;
        }
    }

    /**
     * @param lines the priced lines, before any discount
     * @param at the moment of the order (validity windows are instants)
     */
    public static CouponOutcome select(List<Coupon> presented, List<PricedLine> lines,
            Store store, Optional<MemberSnapshot> member, Instant at) {
        long[] gross = new long[lines.size()];
        for (int index = 0; index < gross.length; index++) {
            gross[index] = lines.get(index).gross().amountMinor();
        }
        List<CouponRejection> rejected = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Coupon coupon : presented) {
            if (!seen.add(coupon.code())) {
                rejected.add(new CouponRejection(coupon.code(), RejectionCode.COUPON_DUPLICATE,
                        "coupon " + coupon.code() + " was presented more than once"));
                continue;
            }
            Optional<CouponRejection> rejection =
                    CouponEligibility.check(coupon, lines, store, member, at);
            if (rejection.isPresent()) {
                rejected.add(rejection.get());
                continue;
            }
            boolean[] eligible = new boolean[gross.length];
            long eligibleNet = 0;
            CouponScope scope = coupon.template().scope();
            for (int index = 0; index < gross.length; index++) {
                eligible[index] = scope.covers(lines.get(index).line());
                if (eligible[index]) {
                    eligibleNet += gross[index];
                }
            }
            candidates.add(new Candidate(coupon, eligible,
                    coupon.template().benefit().discountFen(eligibleNet)));
        }
        if (candidates.isEmpty()) {
            return new CouponOutcome(List.of(), rejected);
        }
        Search search = new Search(gross);
        for (Candidate candidate : candidates) {
            consider(search, List.of(candidate));
        }
        List<Candidate> stackable = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (candidate.coupon().template().stackable()) {
                stackable.add(candidate);
            }
        }
        stackable.sort(Comparator.comparingLong(Candidate::standaloneDiscountFen).reversed()
                .thenComparing(candidate -> candidate.coupon().validUntil())
                .thenComparing(candidate -> candidate.coupon().code()));
        explore(search, stackable, 0, new ArrayList<>(), COUPONS_PER_ORDER_MAX);
        List<AppliedCoupon> applied = apply(search.best, gross);
        Set<String> chosen = new HashSet<>();
        StringBuilder chosenCodes = new StringBuilder();
        for (AppliedCoupon coupon : applied) {
            chosen.add(coupon.coupon().code());
            chosenCodes.append(chosenCodes.length() == 0 ? "" : ", ")
                    .append(coupon.coupon().code());
        }
        for (Candidate candidate : candidates) {
            if (!chosen.contains(candidate.coupon().code())) {
                rejected.add(notChosen(candidate, chosenCodes.toString(), search.bestDiscount));
            }
        }
        return new CouponOutcome(applied, rejected);
    }

    private static CouponRejection notChosen(Candidate candidate, String chosenCodes,
            long bestDiscount) {
        boolean stackable = candidate.coupon().template().stackable();
        String why = stackable
                ? "it does not combine into a better one"
                : "it is not stackable, and only one such coupon applies per order";
        return new CouponRejection(candidate.coupon().code(),
                RejectionCode.COUPON_NOT_IN_BEST_COMBINATION,
                "the best combination (" + chosenCodes + ") takes " + fen(bestDiscount)
                        + " off; this coupon alone would take "
                        + fen(candidate.standaloneDiscountFen()) + " off and " + why);
    }

    private static void explore(Search search, List<Candidate> stackable, int start,
            List<Candidate> chosen, int limit) {
        for (int index = start; index < stackable.size(); index++) {
            if (search.evaluations >= COMBINATIONS_EVALUATED_MAX) {
                return;
            }
            Candidate next = stackable.get(index);
            int nextLimit = Math.min(limit, next.coupon().template().stackLimit());
            if (chosen.size() + 1 > nextLimit) {
                continue;
            }
            chosen.add(next);
            if (chosen.size() >= 2) {
                consider(search, chosen);
            }
            explore(search, stackable, index + 1, chosen, nextLimit);
            chosen.remove(chosen.size() - 1);
        }
    }

    private static void consider(Search search, List<Candidate> combination) {
        if (combination.size() > 1) {
            long upperBound = 0;
            for (Candidate candidate : combination) {
                upperBound += candidate.standaloneDiscountFen();
            }
            if (upperBound < search.bestDiscount) {
                // Coupons only lose value together (they share lines), never gain: this
                // combination cannot beat or tie the best, so it costs no evaluation.
                return;
            }
        }
        search.evaluations++;
        long discount = combination.size() == 1
                ? combination.get(0).standaloneDiscountFen()
                : evaluate(combination, search.gross.clone(), null);
        if (discount > search.bestDiscount || (discount == search.bestDiscount
                && isBetterTie(combination, search.best))) {
            search.best = List.copyOf(combination);
            search.bestDiscount = discount;
        }
    }

    private static boolean isBetterTie(List<Candidate> challenger, List<Candidate> holder) {
        int byExpiry = earliestExpiry(challenger).compareTo(earliestExpiry(holder));
        if (byExpiry != 0) {
            return byExpiry < 0;
        }
        return challenger.size() < holder.size();
    }

    private static Instant earliestExpiry(List<Candidate> combination) {
        Instant earliest = Instant.MAX;
        for (Candidate candidate : combination) {
            if (candidate.coupon().validUntil().isBefore(earliest)) {
                earliest = candidate.coupon().validUntil();
            }
        }
        return earliest;
    }

    /** Share-off coupons first, then amounts off; in each group the combination's order. */
    private static List<Candidate> applicationOrder(List<Candidate> combination) {
        List<Candidate> ordered = new ArrayList<>(combination.size());
        for (Candidate candidate : combination) {
            if (candidate.coupon().template().benefit() instanceof CouponBenefit.PercentOff) {
                ordered.add(candidate);
            }
        }
        for (Candidate candidate : combination) {
            if (candidate.coupon().template().benefit() instanceof CouponBenefit.AmountOff) {
                ordered.add(candidate);
            }
        }
        return ordered;
    }

    /**
     * Applies a combination to {@code nets} in place and returns its total discount; records
     * each coupon's spread in {@code applied} when it is not null.
     */
    private static long evaluate(List<Candidate> combination, long[] nets,
            List<AppliedCoupon> applied) {
        long total = 0;
        for (Candidate candidate : applicationOrder(combination)) {
            int eligibleCount = 0;
            long eligibleNet = 0;
            for (int index = 0; index < nets.length; index++) {
                if (candidate.eligible()[index]) {
                    eligibleCount++;
                    eligibleNet += nets[index];
                }
            }
            long discount = candidate.coupon().template().benefit().discountFen(eligibleNet);
            assert discount >= 0 && discount <= eligibleNet : "discount within eligible net";
            long[] weights = new long[eligibleCount];
            int[] lineIndexes = new int[eligibleCount];
            int slot = 0;
            for (int index = 0; index < nets.length; index++) {
                if (candidate.eligible()[index]) {
                    weights[slot] = nets[index];
                    lineIndexes[slot] = index;
                    slot++;
                }
            }
            long[] shares = discount == 0 ? new long[eligibleCount]
                    : Allocation.largestRemainder(discount, weights);
            List<LineDiscount> lineDiscounts = applied == null ? null : new ArrayList<>();
            for (int part = 0; part < eligibleCount; part++) {
                nets[lineIndexes[part]] -= shares[part];
                if (nets[lineIndexes[part]] < 0) {
                    throw new IllegalStateException("a line's net went below zero");
                }
                if (lineDiscounts != null && shares[part] > 0) {
                    lineDiscounts.add(new LineDiscount(lineIndexes[part] + 1, shares[part]));
                }
            }
            if (applied != null) {
                applied.add(new AppliedCoupon(candidate.coupon(), discount, lineDiscounts));
            }
            total += discount;
        }
        return total;
    }

    private static List<AppliedCoupon> apply(List<Candidate> combination, long[] gross) {
        List<AppliedCoupon> applied = new ArrayList<>(combination.size());
        evaluate(combination, gross.clone(), applied);
        return applied;
    }

    static String fen(long amountFen) {
        return amountFen / 100 + "." + (amountFen % 100 < 10 ? "0" : "") + amountFen % 100;
    }
}
