package io.kassa.engine.server.checkout;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.function.Function;

/**
 * End-of-shift totals per terminal. The window is what the terminal gives, or else from where
 * its last closed shift ended (when it never closed one: the start of the store's day) until
 * now; closing a shift records the window, idempotently on the terminal's shift id, so that the
 * next shift starts where this one ended.
 */
public final class ShiftReports {

    private final ShiftLedger ledger;
    private final Function<String, ZoneId> storeZones;
    private final Clock clock;

    /** @param storeZones the time zone of a store, by store id */
    public ShiftReports(ShiftLedger ledger, Function<String, ZoneId> storeZones, Clock clock) {
        this.ledger = ledger;
        this.storeZones = storeZones;
        this.clock = clock;
    }

    /** With each store's time zone as the rules the checkout prices with say. */
    public ShiftReports(ShiftLedger ledger, CheckoutService checkout, Clock clock) {
        this(ledger, storeId -> checkout.storeTime(storeId).getZone(), clock);
    }

    /** What the terminal asks: empty bounds are resolved as described above. */
    public record Request(String storeId, String terminalId, Optional<Instant> from,
            Optional<Instant> until, Optional<String> closeShiftId) {
    }

    public sealed interface Outcome {
        /** @param closed the shift this request closed (or had closed before), if any */
        record Report(Instant from, Instant until, ShiftLedger.Totals totals,
                Optional<ShiftLedger.ClosedShift> closed) implements Outcome {
        }

        /** The resolved window is empty or reversed (e.g. until before the last close). */
        record InvalidWindow(String explanation) implements Outcome {
        }

        /** The shift id was closed over another window; nothing changed. */
        record Conflict(ShiftLedger.ClosedShift existing) implements Outcome {
        }
    }

    public Future<Outcome> report(Request request) {
        if (request.closeShiftId().isEmpty()) {
            return window(request).compose(window -> window instanceof Outcome.InvalidWindow
                    ? Future.succeededFuture(window)
                    : totals(request, (Outcome.Report) window, Optional.empty()));
        }
        String shiftId = request.closeShiftId().get();
        return ledger.closed(request.storeId(), request.terminalId(), shiftId)
                .compose(existing -> {
                    if (existing.isPresent()) {
                        return Future.succeededFuture(replay(request, existing.get()));
                    }
                    return window(request).compose(window -> {
                        if (window instanceof Outcome.InvalidWindow) {
                            return Future.succeededFuture(window);
                        }
                        Outcome.Report open = (Outcome.Report) window;
                        return ledger.close(request.storeId(), request.terminalId(), shiftId,
                                open.from(), open.until()).map(closed -> closed.replayed()
                                        ? replay(request, closed)
                                        : new Outcome.Report(closed.from(), closed.until(),
                                                null, Optional.of(closed)));
                    });
                })
                .compose(outcome -> outcome instanceof Outcome.Report report
                        ? totals(request, report, report.closed())
                        : Future.succeededFuture(outcome));
    }

    /** A close asked again: the recorded window, unless the request names another one. */
    private static Outcome replay(Request request, ShiftLedger.ClosedShift closed) {
        ShiftLedger.ClosedShift replayed = new ShiftLedger.ClosedShift(closed.shiftId(),
                closed.from(), closed.until(), true);
        boolean otherFrom = request.from().isPresent()
                && !request.from().get().equals(closed.from());
        boolean otherUntil = request.until().isPresent()
                && !request.until().get().equals(closed.until());
        return otherFrom || otherUntil ? new Outcome.Conflict(replayed)
                : new Outcome.Report(closed.from(), closed.until(), null,
                        Optional.of(replayed));
    }

    /** The window of an open shift, its bounds resolved; totals not read yet. */
    private Future<Outcome> window(Request request) {
        Instant until = request.until().orElseGet(clock::instant);
        Future<Instant> from = request.from().isPresent()
                ? Future.succeededFuture(request.from().get())
                : ledger.lastClose(request.storeId(), request.terminalId())
                        .map(last -> last.orElseGet(() -> startOfDay(request.storeId(), until)));
        return from.map(start -> start.isBefore(until)
                ? new Outcome.Report(start, until, null, Optional.empty())
                : new Outcome.InvalidWindow("the window from " + start + " until " + until
                        + " is empty (without from_millis it starts where the last shift"
                        + " closed)"));
    }

    private Instant startOfDay(String storeId, Instant at) {
        ZoneId zone = storeZones.apply(storeId);
        return at.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
    }

    private Future<Outcome> totals(Request request, Outcome.Report window,
            Optional<ShiftLedger.ClosedShift> closed) {
        return ledger.totals(request.storeId(), request.terminalId(), window.from(),
                window.until()).map(totals -> new Outcome.Report(window.from(), window.until(),
                        totals, closed));
    }
}
