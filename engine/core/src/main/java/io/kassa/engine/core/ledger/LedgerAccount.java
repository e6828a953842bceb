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

    /** Discounts a store granted against its gross sales (contra-revenue: debit-normal). */
    public static LedgerAccount storeDiscounts(String storeId) {
        return new LedgerAccount("store/" + storeId + "/discounts");
    }
}
