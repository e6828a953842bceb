package io.kassa.engine.core.tender;

import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.money.Money;
import java.util.List;

/** Checks that a split of tenders settles a payable exactly. */
public final class TenderSplit {

    private TenderSplit() {
    }

    public static Decision<SettledTenders> settle(Money payable, List<Tender> tenders) {
        if (tenders.isEmpty()) {
            // A basket its coupons pay in full is settled by nothing; anything else needs a
            // tender.
            return payable.isZero()
                    ? Decision.accept(new SettledTenders(List.of(), Money.zero(payable.currency())))
                    : Decision.reject(RejectionCode.NO_TENDER, "no tender given for a payable of "
                            + payable);
        }
        Money sum = Money.zero(payable.currency());
        Money change = Money.zero(payable.currency());
        for (int index = 0; index < tenders.size(); index++) {
            Tender tender = tenders.get(index);
            int tenderNumber = index + 1;
            if (tender.amount().currency() != payable.currency()
                    || tender.received().currency() != payable.currency()) {
                return Decision.reject(RejectionCode.CURRENCY_MISMATCH,
                        "tender " + tenderNumber + " is not in " + payable.currency());
            }
            if (!tender.amount().isPositive()) {
                return Decision.reject(RejectionCode.NON_POSITIVE_TENDER,
                        "tender " + tenderNumber + " amount " + tender.amount() + " is not > 0");
            }
            if (tender.received().isLessThan(tender.amount())) {
                return Decision.reject(RejectionCode.CASH_RECEIVED_SHORT, "tender " + tenderNumber
                        + " received " + tender.received() + " < amount " + tender.amount());
            }
            if (tender.kind() != TenderKind.CASH && !tender.received().equals(tender.amount())) {
                return Decision.reject(RejectionCode.CASH_RECEIVED_SHORT, "tender " + tenderNumber
                        + " of kind " + tender.kind() + " cannot give change");
            }
            try {
                sum = sum.plus(tender.amount());
                change = change.plus(tender.received().minus(tender.amount()));
            } catch (ArithmeticException overflow) {
                return Decision.reject(RejectionCode.AMOUNT_OVERFLOW, "tenders overflow");
            }
        }
        if (!sum.equals(payable)) {
            return Decision.reject(RejectionCode.TENDERS_DO_NOT_SUM,
                    "tenders sum to " + sum + ", payable is " + payable);
        }
        return Decision.accept(new SettledTenders(tenders, change));
    }
}
