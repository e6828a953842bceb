package io.kassa.engine.core.refund;

import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.tender.TenderKind;

/**
 * What goes back to one tender of the sale.
 *
 * @param tenderIndex 0-based position of the tender in the sale
 * @param share the tender's share of the refunded lines (largest remainder)
 * @param amount what is actually returned: the share less any clawback shortfall taken from it
 */
public record TenderRefund(int tenderIndex, TenderKind kind, Money share, Money amount) {
}
