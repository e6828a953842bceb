package io.kassa.engine.server.terminal;

import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.checkout.MemberAccount;
import io.kassa.engine.server.checkout.MemberAccounts;
import io.kassa.engine.server.checkout.SaleDesk;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.checkout.ShiftReports;
import io.kassa.engine.server.checkout.StoredValueTopUps;
import io.kassa.engine.server.checkout.TopUpService;
import io.kassa.engine.server.checkout.VoidOutcome;
import io.kassa.protocol.ProtocolException;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.Error;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.ShiftTotalsRequest;
import io.kassa.protocol.v1.TopUpRequest;
import io.kassa.protocol.v1.VoidRequest;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The terminal's requests besides quote and checkout (SPEC.md 6.16-6.20): member lookup,
 * payment status, void, top-up and shift totals. Each is validated by the connection, then
 * answered here with one envelope body: the response, or a non-fatal Error.
 *
 * <p>Created empty with the endpoint (connections share it from their first frame) and wired
 * once the services it answers with exist; until then it answers UNAVAILABLE.
 */
public final class TerminalDesk {

    /** What the desk answers with. */
    public record Services(MemberAccounts members, SaleDesk sales, TopUpService topUps,
            ShiftReports shifts) {

        public Services {
            Objects.requireNonNull(members, "members");
            Objects.requireNonNull(sales, "sales");
            Objects.requireNonNull(topUps, "topUps");
            Objects.requireNonNull(shifts, "shifts");
        }
    }

    private volatile Services services;

    /** Starts answering with {@code wired}. */
    public void wire(Services wired) {
        this.services = Objects.requireNonNull(wired, "wired");
    }

    /**
     * The answer to a validated request of the session's terminal, without its request id.
     *
     * @throws ProtocolException (recoverable) when a field cannot be mapped (a currency)
     */
    Future<Envelope.Builder> answer(String storeId, String terminalId, Envelope request)
            throws ProtocolException {
        Services wired = services;
        if (wired == null) {
            return Future.succeededFuture(error(ErrorCode.UNAVAILABLE,
                    "this engine node is starting; retry shortly"));
        }
        switch (request.getBodyCase()) {
            case MEMBER_LOOKUP_REQUEST:
                return wired.members().lookup(storeId,
                        request.getMemberLookupRequest().getMemberCode()).map(this::lookedUp);
            case PAYMENT_STATUS_REQUEST:
                return wired.sales().status(new SaleKey(storeId, terminalId,
                                request.getPaymentStatusRequest().getSaleId()))
                        .map(status -> Envelope.newBuilder().setPaymentStatusResponse(
                                WireMapping.paymentStatusResponse(status)));
            case VOID_REQUEST:
                return voidSale(wired, new SaleKey(storeId, terminalId,
                        request.getVoidRequest().getSaleId()), request.getVoidRequest());
            case TOP_UP_REQUEST:
                return topUp(wired, storeId, terminalId, request.getTopUpRequest());
            case SHIFT_TOTALS_REQUEST:
                return shiftTotals(wired, storeId, terminalId,
                        request.getShiftTotalsRequest());
            default:
                throw new IllegalArgumentException(request.getBodyCase()
                        + " is not answered by the desk");
        }
    }

    private Envelope.Builder lookedUp(Decision<MemberAccount> found) {
        if (found instanceof Decision.Rejected<MemberAccount> rejected) {
            return error(WireMapping.errorCode(rejected.rejection().code()),
                    rejected.rejection().explanation());
        }
        return Envelope.newBuilder().setMemberLookupResponse(WireMapping.memberLookupResponse(
                ((Decision.Accepted<MemberAccount>) found).value()));
    }

    private static Future<Envelope.Builder> voidSale(Services wired, SaleKey key,
            VoidRequest request) {
        Optional<String> memberCode = request.getMemberCode().isEmpty() ? Optional.empty()
                : Optional.of(request.getMemberCode());
        return wired.sales().voidSale(key, memberCode, request.getReason()).map(outcome -> {
            if (outcome instanceof VoidOutcome.AlreadyCommitted committed) {
                return error(ErrorCode.SALE_ALREADY_COMMITTED, "sale '" + key.saleId()
                        + "' is committed as order " + committed.sale().orderId()
                        + "; it cannot be voided: refund it instead");
            }
            return Envelope.newBuilder().setVoidResponse(
                    WireMapping.voidResponse((VoidOutcome.Voided) outcome));
        });
    }

    private static Future<Envelope.Builder> topUp(Services wired, String storeId,
            String terminalId, TopUpRequest request) throws ProtocolException {
        WireMapping.currency(request.getCurrency());
        io.kassa.protocol.v1.Tender tender = request.getTender();
        TenderKind kind = tender.getType() == io.kassa.protocol.v1.TenderType.BANK_CARD
                ? TenderKind.BANK_CARD : TenderKind.CASH;
        TopUpService.Command command = new TopUpService.Command(
                new StoredValueTopUps.Key(storeId, terminalId, request.getTopUpId()),
                request.getMemberCode(), kind, tender.getAmountFen(), tender.getReceivedFen(),
                tender.getApprovalCode());
        return wired.topUps().topUp(command).map(outcome -> {
            if (outcome instanceof TopUpService.Outcome.Rejected rejected) {
                return error(WireMapping.errorCode(rejected.rejection().code()),
                        rejected.rejection().explanation());
            }
            if (outcome instanceof TopUpService.Outcome.Conflict conflict) {
                return error(ErrorCode.TOP_UP_CONFLICT, "top-up id '" + request.getTopUpId()
                        + "' was used for another top-up (member, amount or tender) at "
                        + conflict.existing().toppedUpAt() + "; use a new top-up id");
            }
            TopUpService.Outcome.Done done = (TopUpService.Outcome.Done) outcome;
            return Envelope.newBuilder().setTopUpResponse(
                    WireMapping.topUpResponse(done.recorded(), done.replayed()));
        });
    }

    private static Future<Envelope.Builder> shiftTotals(Services wired, String storeId,
            String terminalId, ShiftTotalsRequest request) {
        ShiftReports.Request report = new ShiftReports.Request(storeId, terminalId,
                instant(request.getFromMillis()), instant(request.getUntilMillis()),
                request.getCloseShiftId().isEmpty() ? Optional.empty()
                        : Optional.of(request.getCloseShiftId()));
        return wired.shifts().report(report).map(outcome -> {
            if (outcome instanceof ShiftReports.Outcome.InvalidWindow invalid) {
                return error(ErrorCode.INVALID_FIELD, "until_millis: "
                        + invalid.explanation());
            }
            if (outcome instanceof ShiftReports.Outcome.Conflict conflict) {
                return error(ErrorCode.SHIFT_CONFLICT, "shift '" + conflict.existing().shiftId()
                        + "' was closed over " + conflict.existing().from() + " .. "
                        + conflict.existing().until() + ", another window");
            }
            return Envelope.newBuilder().setShiftTotalsResponse(
                    WireMapping.shiftTotalsResponse((ShiftReports.Outcome.Report) outcome));
        });
    }

    private static Optional<Instant> instant(long millis) {
        return millis == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    private static Envelope.Builder error(ErrorCode code, String message) {
        return Envelope.newBuilder().setError(Error.newBuilder().setCode(code)
                .setMessage(message).setFatal(false));
    }
}
