package io.kassa.engine.server.checkout;

import io.kassa.engine.core.tender.TenderKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A committed refund as the terminal is told it, the first time and on every retry (stored
 * with the refund; only the channel refunds' states move on afterwards).
 *
 * @param refundedFen the refunded lines' net; the tenders' shares sum to it
 * @param shortfallDeductedFen fen kept from the money refunds for earned points the member had
 *     already spent
 * @param fullRefund whether every line of the sale is now refunded
 */
public record RefundReceipt(
        UUID refundUuid, RefundKey key, SaleKey sale, UUID orderId, List<Integer> lineNumbers,
        long refundedFen, List<TenderReceipt> tenders, long pointsRestored,
        long pointsClawedBack, long shortfallDeductedFen, boolean fullRefund,
        List<String> couponsRestored, String explanation, Instant committedAt) {

    public RefundReceipt {
        Objects.requireNonNull(refundUuid, "refundUuid");
        lineNumbers = List.copyOf(lineNumbers);
        tenders = List.copyOf(tenders);
        couponsRestored = List.copyOf(couponsRestored);
        long shares = 0;
        for (TenderReceipt tender : tenders) {
            shares = Math.addExact(shares, tender.shareFen());
        }
        if (shares != refundedFen) {
            throw new IllegalArgumentException("tender shares " + shares
                    + " must sum to the refunded " + refundedFen);
        }
    }

    /** Where the money of one tender stands. */
    public enum TenderState {
        /** Returned (stored value, points) or to be handed back at the till (cash, card). */
        DONE,
        /** The channel refund is asked and not yet confirmed; the refund janitor goes on. */
        PENDING,
        /** The channel refused the refund for good: return the money another way. */
        REFUSED
    }

    /**
     * @param shareFen the tender's share of the refunded lines (largest remainder)
     * @param amountFen what goes back to it: the share less any clawback shortfall
     */
    public record TenderReceipt(int tenderNumber, TenderKind kind, long shareFen,
            long amountFen, TenderState state) {
    }

    public RefundReceipt withTenders(List<TenderReceipt> updated) {
        return new RefundReceipt(refundUuid, key, sale, orderId, lineNumbers, refundedFen,
                updated, pointsRestored, pointsClawedBack, shortfallDeductedFen, fullRefund,
                couponsRestored, explanation, committedAt);
    }

    /** Whether every tender's money is settled (none pending at a channel). */
    public boolean settled() {
        return tenders.stream().noneMatch(tender -> tender.state() == TenderState.PENDING);
    }

    public JsonObject toJson() {
        JsonArray tenderArray = new JsonArray();
        for (TenderReceipt tender : tenders) {
            tenderArray.add(new JsonObject().put("tenderNumber", tender.tenderNumber())
                    .put("kind", tender.kind().name()).put("shareFen", tender.shareFen())
                    .put("amountFen", tender.amountFen()).put("state", tender.state().name()));
        }
        return new JsonObject().put("refundUuid", refundUuid.toString())
                .put("key", new JsonArray(List.of(key.storeId(), key.terminalId(),
                        key.refundId())))
                .put("sale", new JsonArray(List.of(sale.storeId(), sale.terminalId(),
                        sale.saleId())))
                .put("orderId", orderId.toString()).put("lines", new JsonArray(lineNumbers))
                .put("refundedFen", refundedFen).put("tenders", tenderArray)
                .put("pointsRestored", pointsRestored).put("pointsClawedBack", pointsClawedBack)
                .put("shortfallDeductedFen", shortfallDeductedFen).put("fullRefund", fullRefund)
                .put("couponsRestored", new JsonArray(couponsRestored))
                .put("explanation", explanation).put("committedAt", committedAt.toString());
    }

    public static RefundReceipt fromJson(JsonObject json) {
        JsonArray key = json.getJsonArray("key");
        JsonArray sale = json.getJsonArray("sale");
        List<Integer> lines = new ArrayList<>();
        json.getJsonArray("lines").forEach(line -> lines.add(((Number) line).intValue()));
        List<TenderReceipt> tenders = new ArrayList<>();
        JsonArray tenderArray = json.getJsonArray("tenders");
        for (int index = 0; index < tenderArray.size(); index++) {
            JsonObject tender = tenderArray.getJsonObject(index);
            tenders.add(new TenderReceipt(tender.getInteger("tenderNumber"),
                    TenderKind.valueOf(tender.getString("kind")), tender.getLong("shareFen"),
                    tender.getLong("amountFen"), TenderState.valueOf(tender.getString("state"))));
        }
        List<String> coupons = new ArrayList<>();
        json.getJsonArray("couponsRestored").forEach(coupon -> coupons.add((String) coupon));
        return new RefundReceipt(UUID.fromString(json.getString("refundUuid")),
                new RefundKey(key.getString(0), key.getString(1), key.getString(2)),
                new SaleKey(sale.getString(0), sale.getString(1), sale.getString(2)),
                UUID.fromString(json.getString("orderId")), lines, json.getLong("refundedFen"),
                tenders, json.getLong("pointsRestored"), json.getLong("pointsClawedBack"),
                json.getLong("shortfallDeductedFen"), json.getBoolean("fullRefund"), coupons,
                json.getString("explanation"), Instant.parse(json.getString("committedAt")));
    }
}
