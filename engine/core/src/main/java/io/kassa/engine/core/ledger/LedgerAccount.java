package io.kassa.engine.core.ledger;

import java.util.Objects;

/**
 * An account of the ledger, named by a path such as {@code store/S001/tender/CASH}. The path
 * is the account's identity in storage; its first segments say whose account it is.
 */
public record LedgerAccount(String path) {

    public LedgerAccount {
        Objects.requireNonNull(path, "path");
        if (path.isBlank()) {
            throw new IllegalArgumentException("account path must not be blank");
        }
    }

    /** Money a store took in through one kind of tender (an asset: debit-normal). */
    public static LedgerAccount storeTender(String storeId, String tenderKind) {
        return new LedgerAccount("store/" + storeId + "/tender/" + tenderKind);
    }

    /** Gross sales of a store (revenue: credit-normal). */
    public static LedgerAccount storeSales(String storeId) {
        return new LedgerAccount("store/" + storeId + "/sales");
    }

    /** What the chain owes a member in stored value (a liability: credit-normal). */
    public static LedgerAccount memberStoredValue(String memberId) {
        return new LedgerAccount("member/" + memberId + "/stored_value");
    }

    /** A member's points (a liability in points: credit-normal). */
    public static LedgerAccount memberPoints(String memberId) {
        return new LedgerAccount("member/" + memberId + "/points");
    }

    /** Points a store issued to members (the expense side of points earned). */
    public static LedgerAccount storePointsIssued(String storeId) {
        return new LedgerAccount("store/" + storeId + "/points_issued");
    }

    /** Points members redeemed at a store (the points side of a points tender). */
    public static LedgerAccount storePointsRedeemed(String storeId) {
        return new LedgerAccount("store/" + storeId + "/points_redeemed");
    }

    /**
     * Money a store kept from refunds for earned points the member had already spent (the
     * clawback shortfall, charged at the redemption rate): revenue, credit-normal.
     */
    public static LedgerAccount storeClawbackShortfall(String storeId) {
        return new LedgerAccount("store/" + storeId + "/clawback_shortfall");
    }

    /** Discounts a store granted against its gross sales (contra-revenue: debit-normal). */
    public static LedgerAccount storeDiscounts(String storeId) {
        return new LedgerAccount("store/" + storeId + "/discounts");
    }
}
