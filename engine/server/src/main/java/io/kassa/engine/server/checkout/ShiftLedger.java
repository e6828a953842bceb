package io.kassa.engine.server.checkout;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The port to what a terminal's shift report reads from the system of record: its sales,
 * refunds, voids and top-ups in a window, and the shifts it closed.
 */
public interface ShiftLedger {

    /** A closed shift's window; {@code replayed} when it had been closed before this call. */
    record ClosedShift(String shiftId, Instant from, Instant until, boolean replayed) {
    }

    /** Counts and sums of one tender kind ({@code CASH}, {@code BANK_CARD}, ...). */
    record TenderTotal(String kind, long count, long amountFen) {
    }

    /** A terminal's totals over a window; tender totals ordered by kind. */
    record Totals(long sales, long salesFen, long changeFen, List<TenderTotal> tenders,
            long refunds, long refundsFen, long voids, long topUps, long topUpsFen,
            long topUpBonusFen, List<TenderTotal> topUpTenders) {

        public Totals {
            tenders = List.copyOf(tenders);
            topUpTenders = List.copyOf(topUpTenders);
        }
    }

    /** Where the terminal's latest closed shift ended, or empty when it never closed one. */
    Future<Optional<Instant>> lastClose(String storeId, String terminalId);

    /** The shift the terminal closed under {@code shiftId}, if it did. */
    Future<Optional<ClosedShift>> closed(String storeId, String terminalId, String shiftId);

    /** Closes a shift unless {@code shiftId} is closed already; answers the recorded one. */
    Future<ClosedShift> close(String storeId, String terminalId, String shiftId, Instant from,
            Instant until);

    /** The terminal's totals in {@code [from, until)}. */
    Future<Totals> totals(String storeId, String terminalId, Instant from, Instant until);
}
