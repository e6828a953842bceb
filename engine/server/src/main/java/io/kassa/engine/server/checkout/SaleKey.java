package io.kassa.engine.server.checkout;

import java.util.Objects;

/**
 * The identity of a sale as the terminal names it. A checkout is idempotent on this key: the
 * database's unique constraint on it is the final arbiter of "written once".
 */
public record SaleKey(String storeId, String terminalId, String saleId) {

    public SaleKey {
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(terminalId, "terminalId");
        Objects.requireNonNull(saleId, "saleId");
    }
}
