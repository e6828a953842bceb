package io.kassa.engine.server.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The chain's reports, computed in the database from the system of record. Amounts are fen,
 * rates are fractions with four decimals (as strings, never binary floating point).
 */
public interface Reports {

    /**
     * Coupons issued in [from, to): how many were redeemed (核销率), the sales of the orders
     * that redeemed them, the discount those orders got, and the ROI
     * (sales - discount) / discount; overall and per template.
     */
    Future<JsonObject> couponRedemption(Instant from, Instant to);

    /**
     * Points outstanding on {@code asOf} (lots live that day) and their value at the redemption
     * rate ({@code pointsPerYuan} points pay one yuan), rounded down to the fen.
     */
    Future<JsonObject> pointsLiability(LocalDate asOf, long pointsPerYuan);

    /** Points in lots whose last spendable day falls in the month after {@code today}'s. */
    Future<JsonObject> pointsExpiringNextMonth(LocalDate today);

    /**
     * Of the members who bought in [from, to), the share that bought at least twice in it.
     */
    Future<JsonObject> repurchase(Instant from, Instant to);

    /**
     * Recency, frequency and monetary scores (1..5, quintiles over the members who bought in the
     * window ending {@code asOf}) and a segment per member; {@code dormantDays} marks dormant.
     */
    Future<JsonObject> rfm(Instant asOf, int windowDays, int dormantDays, int limit);

    /**
     * Members of {@code storeIds} (home store) who are dormant on {@code asOf}: no purchase in
     * the last {@code dormantDays} (or none since registering that long ago), or spending in
     * that period under half their average for such a period over the last four: at most
     * {@code limit} ids.
     */
    Future<java.util.List<String>> dormantMembers(java.util.Set<String> storeIds, Instant asOf,
            int dormantDays, int limit);
}
