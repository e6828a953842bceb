package io.kassa.engine.server.terminal;

import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.checkout.RefundCommand;
import io.kassa.engine.server.checkout.RefundKey;
import io.kassa.engine.server.checkout.RefundReceipt;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.checkout.SaleRefundOutcome;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.Error;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.RefundRequest;
import io.kassa.protocol.v1.RefundResponse;
import io.kassa.protocol.v1.RefundTenderState;
import io.kassa.protocol.v1.TenderRefund;
import io.kassa.protocol.v1.TenderType;
import java.util.ArrayList;
import java.util.List;

/** Translation of refunds (SPEC.md 6.21) between protocol v1 and the refund service. */
final class RefundWire {

    private RefundWire() {
    }

    /**
     * The refund a terminal asks for; its sale is one of the terminal's store, sold by {@code
     * sale_terminal_id} or by this terminal. Validated structurally before (MessageValidator).
     */
    static RefundCommand command(String storeId, String terminalId, RefundRequest request) {
        String saleTerminal = request.getSaleTerminalId().isEmpty() ? terminalId
                : request.getSaleTerminalId();
        List<Integer> lines = new ArrayList<>(request.getLineNumbersList());
        return new RefundCommand(new RefundKey(storeId, terminalId, request.getRefundId()),
                new SaleKey(storeId, saleTerminal, request.getSaleId()), lines,
                request.getReason());
    }

    /** The response envelope (without request id) for a refund's outcome. */
    static Envelope.Builder answer(SaleRefundOutcome outcome) {
        if (outcome instanceof SaleRefundOutcome.Refunded refunded) {
            return Envelope.newBuilder().setRefundResponse(
                    response(refunded.receipt(), refunded.replayed()));
        }
        SaleRefundOutcome.Refused refused = (SaleRefundOutcome.Refused) outcome;
        return Envelope.newBuilder().setError(Error.newBuilder()
                .setCode(errorCode(refused.reason())).setMessage(refused.explanation()));
    }

    static ErrorCode errorCode(SaleRefundOutcome.Reason reason) {
        return switch (reason) {
            case ORDER_NOT_FOUND -> ErrorCode.ORDER_NOT_FOUND;
            case REFUND_EXCEEDS_SALE -> ErrorCode.REFUND_EXCEEDS_SALE;
            case REFUND_CONFLICT -> ErrorCode.REFUND_CONFLICT;
            case REFUND_PENDING -> ErrorCode.REFUND_PENDING;
        };
    }

    static RefundResponse response(RefundReceipt receipt, boolean replayed) {
        RefundResponse.Builder response = RefundResponse.newBuilder()
                .setRefundId(receipt.key().refundId()).setSaleId(receipt.sale().saleId())
                .setOrderId(receipt.orderId().toString())
                .setRefundedFen(receipt.refundedFen())
                .setPointsRestored(receipt.pointsRestored())
                .setPointsClawedBack(receipt.pointsClawedBack())
                .setShortfallDeductedFen(receipt.shortfallDeductedFen())
                .setFullRefund(receipt.fullRefund())
                .addAllCouponsRestored(receipt.couponsRestored())
                .setExplanation(receipt.explanation())
                .setRefundedAtMillis(receipt.committedAt().toEpochMilli())
                .setReplayed(replayed);
        receipt.lineNumbers().forEach(response::addLineNumbers);
        for (RefundReceipt.TenderReceipt tender : receipt.tenders()) {
            response.addTenders(TenderRefund.newBuilder()
                    .setTenderNumber(tender.tenderNumber()).setType(tenderType(tender.kind()))
                    .setShareFen(tender.shareFen()).setAmountFen(tender.amountFen())
                    .setState(switch (tender.state()) {
                        case DONE -> RefundTenderState.TENDER_REFUND_DONE;
                        case PENDING -> RefundTenderState.TENDER_REFUND_PENDING;
                        case REFUSED -> RefundTenderState.TENDER_REFUND_REFUSED;
                    }));
        }
        return response.build();
    }

    static TenderType tenderType(TenderKind kind) {
        return switch (kind) {
            case CASH -> TenderType.CASH;
            case BANK_CARD -> TenderType.BANK_CARD;
            case STORED_VALUE -> TenderType.STORED_VALUE;
            case POINTS -> TenderType.POINTS;
            case WECHAT_PAY -> TenderType.WECHAT_PAY;
            case ALIPAY -> TenderType.ALIPAY;
            case UNIONPAY_QR -> TenderType.UNIONPAY_QR;
        };
    }
}
