package io.kassa.engine.core.tender;

import io.kassa.engine.core.money.Money;
import java.util.List;

/** Tenders that exactly settle a payable, and the change owed to the customer. */
public record SettledTenders(List<Tender> tenders, Money change) {

    public SettledTenders {
        tenders = List.copyOf(tenders);
    }
}
