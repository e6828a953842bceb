package io.kassa.engine.core.tender;

import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.rules.RedemptionRule;
import java.util.Objects;

/**
 * What internal tenders may take of an order: points up to the cap and the member's balance,
 * stored value up to the member's balance. Without a member neither may be used.
 */
public record TenderLimits(
        boolean memberIdentified, RedemptionRule redemption, Money pointsCap,
        long pointsBalance, Money storedValueBalance) {

    public TenderLimits {
        Objects.requireNonNull(redemption, "redemption");
        Objects.requireNonNull(pointsCap, "pointsCap");
        Objects.requireNonNull(storedValueBalance, "storedValueBalance");
    }
}
