package io.kassa.engine.core.refund;

import io.kassa.engine.core.sale.Sale;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What earlier refunds of a sale already did, so that the next one returns exactly the rest.
 *
 * @param refundedFenByTender per tender of the sale, in its order, the fen already refunded
 *     (before any clawback shortfall was taken off)
 * @param pointsRestored points of the points tender already put back
 */
public record RefundState(
        Set<Integer> refundedLines, List<Long> refundedFenByTender, long pointsRestored) {

    public RefundState {
        refundedLines = Set.copyOf(refundedLines);
        refundedFenByTender = List.copyOf(refundedFenByTender);
    }

    /** Nothing refunded yet. */
    public static RefundState none(Sale sale) {
        List<Long> zeros = new ArrayList<>(sale.tenders().size());
        for (int index = 0; index < sale.tenders().size(); index++) {
            zeros.add(0L);
        }
        return new RefundState(Set.of(), zeros, 0);
    }
}
