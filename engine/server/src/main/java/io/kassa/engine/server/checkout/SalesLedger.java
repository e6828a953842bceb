package io.kassa.engine.server.checkout;

import io.kassa.engine.core.ledger.LedgerEntry;
import io.vertx.core.Future;
import java.util.List;

/**
 * The port through which a checkout becomes durable: the sale, its lines and tenders and its
 * balanced ledger entries, in one transaction, exactly once per {@link SaleKey}.
 */
public interface SalesLedger {

    /**
     * Records the sale unless its key is already recorded.
     *
     * @return {@link RecordResult.Recorded} when this call wrote it, or {@link
     *     RecordResult.AlreadyRecorded} with the sale recorded earlier under the same key (in
     *     which case this call wrote nothing)
     */
    Future<RecordResult> record(SaleRecord sale);

    /** A sale to write: what the terminal will be told plus what the books need. */
    record SaleRecord(
            CommittedSale sale, List<RecordedLine> lines, List<RecordedTender> tenders,
            List<LedgerEntry> entries) {

        public SaleRecord {
            lines = List.copyOf(lines);
            tenders = List.copyOf(tenders);
            entries = List.copyOf(entries);
        }
    }

    record RecordedLine(
            int lineNumber, String sku, String category, String name, long unitPriceFen,
            int quantity, long grossFen, long discountFen, long netFen) {
    }

    record RecordedTender(int tenderNumber, String kind, long amountFen, long receivedFen) {
    }

    sealed interface RecordResult {
        record Recorded(CommittedSale sale) implements RecordResult {
        }

        record AlreadyRecorded(CommittedSale existing) implements RecordResult {
        }
    }
}
