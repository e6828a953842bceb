package io.kassa.protocol;

import io.kassa.protocol.v1.AuthProof;
import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.Hello;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.ShiftTotalsRequest;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import io.kassa.protocol.v1.TopUpRequest;
import io.kassa.protocol.v1.VoidRequest;
import java.util.List;

/**
 * Structural validation of a terminal-to-engine request: lengths, counts, ranges and signs that
 * protobuf itself cannot express. The engine runs it on every decoded request before any
 * business logic, and the terminal SDK runs it before sending, so that both sides refuse the
 * same messages with the same {@link ErrorCode}.
 *
 * <p>What is deliberately left out: whether a currency or protocol version is supported, whether
 * a message may be sent in the current session state, and whether totals overflow. Those need
 * configuration or state, and belong to the engine server and the domain core.
 *
 * <p>The first violation found is reported, fields in the order of their field numbers, and
 * repeated fields from index 0. Every error is recoverable: the frame was intact, only its
 * content is refused. The message names the field as a path relative to the body, with 0-based
 * indexes, e.g. {@code lines[3].sku: must be 1..64 characters, was 65}.
 *
 * <p>Text lengths are counted in Unicode code points, not in UTF-16 units, so that a terminal
 * written in any language can apply the same rule to the same string.
 */
public final class MessageValidator {

    private MessageValidator() {
    }

    /**
     * Validates the body of one request.
     *
     * @throws ProtocolException (recoverable) naming the first field that breaks a rule
     */
    public static void validate(Envelope envelope) throws ProtocolException {
        switch (envelope.getBodyCase()) {
            case HELLO -> validateHello(envelope.getHello());
            case QUOTE_REQUEST -> validateQuoteRequest(envelope.getQuoteRequest());
            case CHECKOUT_REQUEST -> validateCheckoutRequest(envelope.getCheckoutRequest());
            case AUTH_PROOF -> validateAuthProof(envelope.getAuthProof());
            case MEMBER_LOOKUP_REQUEST -> requireIdentifier(
                    envelope.getMemberLookupRequest().getMemberCode(), "member_code");
            case PAYMENT_STATUS_REQUEST -> requireIdentifier(
                    envelope.getPaymentStatusRequest().getSaleId(), "sale_id");
            case VOID_REQUEST -> validateVoidRequest(envelope.getVoidRequest());
            case TOP_UP_REQUEST -> validateTopUpRequest(envelope.getTopUpRequest());
            case SHIFT_TOTALS_REQUEST -> validateShiftTotalsRequest(
                    envelope.getShiftTotalsRequest());
            case REFUND_REQUEST -> validateRefundRequest(envelope.getRefundRequest());
            // The FrameDecoder never yields a body-less envelope; an SDK that built one gets
            // the same answer the engine would give.
            case BODY_NOT_SET -> throw ProtocolException.recoverable(
                    ErrorCode.UNKNOWN_MESSAGE_TYPE, "envelope carries no message body");
            // A Heartbeat has nothing to check. Engine-to-terminal bodies are refused by the
            // server with UNEXPECTED_MESSAGE: judging their content here would be meaningless.
            default -> {
            }
        }
    }

    private static void validateHello(Hello hello) throws ProtocolException {
        requireIdentifier(hello.getTerminalId(), "terminal_id");
        requireIdentifier(hello.getStoreId(), "store_id");
        requireText(hello.getSoftwareVersion(), "software_version",
                0, FrameLimits.IDENTIFIER_CHARS_MAX);
    }

    private static void validateAuthProof(AuthProof proof) throws ProtocolException {
        if (proof.getProof().size() != FrameLimits.AUTH_PROOF_BYTES) {
            throw invalidField("proof", "must be " + FrameLimits.AUTH_PROOF_BYTES
                    + " bytes, was " + proof.getProof().size());
        }
    }

    private static void validateQuoteRequest(QuoteRequest request) throws ProtocolException {
        requireCurrency(request.getCurrency());
        requireLines(request.getLinesList());
        requireMemberCode(request.getMemberCode());
        if (request.getPointsWish() < 0) {
            throw ProtocolException.recoverable(ErrorCode.INVALID_AMOUNT,
                    "points_wish: must be >= 0, was " + request.getPointsWish());
        }
    }

    private static void validateCheckoutRequest(CheckoutRequest request)
            throws ProtocolException {
        requireIdentifier(request.getSaleId(), "sale_id");
        requireCurrency(request.getCurrency());
        requireLines(request.getLinesList());
        requireTenders(request.getTendersList());
        requireMemberCode(request.getMemberCode());
    }

    private static void validateRefundRequest(io.kassa.protocol.v1.RefundRequest request)
            throws ProtocolException {
        requireIdentifier(request.getRefundId(), "refund_id");
        requireIdentifier(request.getSaleId(), "sale_id");
        if (!request.getSaleTerminalId().isEmpty()) {
            requireIdentifier(request.getSaleTerminalId(), "sale_terminal_id");
        }
        List<Integer> lines = request.getLineNumbersList();
        if (lines.size() > FrameLimits.BASKET_LINES_MAX) {
            throw invalidField("line_numbers", "must hold at most "
                    + FrameLimits.BASKET_LINES_MAX + " lines, held " + lines.size());
        }
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int index = 0; index < lines.size(); index++) {
            // uint32 arrives as a Java int: above 2^31 - 1 it reads negative.
            int line = lines.get(index);
            if (line < 1 || line > FrameLimits.BASKET_LINES_MAX) {
                throw invalidField("line_numbers[" + index + "]", "must be 1.."
                        + FrameLimits.BASKET_LINES_MAX + ", was "
                        + Integer.toUnsignedString(line));
            }
            if (!seen.add(line)) {
                throw invalidField("line_numbers[" + index + "]", "line " + line
                        + " is named twice");
            }
        }
        requireText(request.getReason(), "reason", 0, FrameLimits.NAME_CHARS_MAX);
    }

    private static void validateVoidRequest(VoidRequest request) throws ProtocolException {
        requireIdentifier(request.getSaleId(), "sale_id");
        requireMemberCode(request.getMemberCode());
        requireText(request.getReason(), "reason", 0, FrameLimits.VOID_REASON_CHARS_MAX);
    }

    private static void validateTopUpRequest(TopUpRequest request) throws ProtocolException {
        requireIdentifier(request.getTopUpId(), "top_up_id");
        requireIdentifier(request.getMemberCode(), "member_code");
        requireCurrency(request.getCurrency());
        if (!request.hasTender()) {
            throw invalidField("tender", "a top-up needs its tender");
        }
        Tender tender = request.getTender();
        requireTender(tender, "tender.");
        // Stored value is bought with money the store takes in at the till; paying it with
        // stored value or points would be circular, and scanned codes are not taken here yet.
        if (tender.getType() != TenderType.CASH && tender.getType() != TenderType.BANK_CARD) {
            throw ProtocolException.recoverable(ErrorCode.UNSUPPORTED_TENDER, "tender.type: a"
                    + " top-up is paid in CASH or by BANK_CARD, not " + tender.getType());
        }
        if (tender.getAmountFen() > FrameLimits.TOP_UP_FEN_MAX) {
            throw ProtocolException.recoverable(ErrorCode.INVALID_AMOUNT, "tender.amount_fen:"
                    + " must be at most " + FrameLimits.TOP_UP_FEN_MAX + ", was "
                    + tender.getAmountFen());
        }
    }

    private static void validateShiftTotalsRequest(ShiftTotalsRequest request)
            throws ProtocolException {
        if (request.getFromMillis() < 0) {
            throw invalidField("from_millis", "must be >= 0, was " + request.getFromMillis());
        }
        if (request.getUntilMillis() < 0) {
            throw invalidField("until_millis", "must be >= 0, was " + request.getUntilMillis());
        }
        if (request.getFromMillis() > 0 && request.getUntilMillis() > 0) {
            long width = request.getUntilMillis() - request.getFromMillis();
            if (width <= 0) {
                throw invalidField("until_millis", "must be after from_millis");
            }
            if (width > FrameLimits.SHIFT_WINDOW_MILLIS_MAX) {
                throw invalidField("until_millis", "the window must span at most "
                        + FrameLimits.SHIFT_WINDOW_MILLIS_MAX / 86_400_000 + " days, spans "
                        + width + " ms");
            }
        }
        if (!request.getCloseShiftId().isEmpty()) {
            requireIdentifier(request.getCloseShiftId(), "close_shift_id");
        }
    }

    /** Optional: empty means no member; otherwise an identifier. */
    private static void requireMemberCode(String memberCode) throws ProtocolException {
        if (!memberCode.isEmpty()) {
            requireIdentifier(memberCode, "member_code");
        }
    }

    private static void requireCurrency(String currency) throws ProtocolException {
        requireText(currency, "currency", 1, FrameLimits.CURRENCY_CHARS_MAX);
    }

    private static void requireLines(List<BasketLine> lines) throws ProtocolException {
        if (lines.isEmpty()) {
            throw ProtocolException.recoverable(ErrorCode.EMPTY_BASKET,
                    "lines: the basket has no lines");
        }
        if (lines.size() > FrameLimits.BASKET_LINES_MAX) {
            throw ProtocolException.recoverable(ErrorCode.TOO_MANY_LINES, "lines: "
                    + lines.size() + " lines exceed the limit of " + FrameLimits.BASKET_LINES_MAX);
        }
        for (int index = 0; index < lines.size(); index++) {
            requireLine(lines.get(index), "lines[" + index + "].");
        }
    }

    private static void requireLine(BasketLine line, String path) throws ProtocolException {
        requireIdentifier(line.getSku(), path + "sku");
        requireIdentifier(line.getCategory(), path + "category");
        if (line.getUnitPriceFen() < 0) {
            throw ProtocolException.recoverable(ErrorCode.INVALID_AMOUNT, path
                    + "unit_price_fen: must be >= 0, was " + line.getUnitPriceFen());
        }
        if (line.getQuantity() < 1 || line.getQuantity() > FrameLimits.QUANTITY_MAX) {
            throw ProtocolException.recoverable(ErrorCode.INVALID_QUANTITY, path
                    + "quantity: must be 1.." + FrameLimits.QUANTITY_MAX + ", was "
                    + line.getQuantity());
        }
        requireText(line.getName(), path + "name", 0, FrameLimits.NAME_CHARS_MAX);
    }

    private static void requireTenders(List<Tender> tenders) throws ProtocolException {
        // No tender is valid only for a sale its coupons pay in full; the engine checks that
        // the payable is then 0 (TENDER_MISMATCH otherwise).
        if (tenders.size() > FrameLimits.TENDERS_MAX) {
            throw invalidField("tenders", "must hold 0.." + FrameLimits.TENDERS_MAX
                    + " tenders, held " + tenders.size());
        }
        for (int index = 0; index < tenders.size(); index++) {
            requireTender(tenders.get(index), "tenders[" + index + "].");
        }
    }

    private static void requireTender(Tender tender, String path) throws ProtocolException {
        TenderType type = tender.getType();
        if (type == TenderType.TENDER_TYPE_UNSPECIFIED || type == TenderType.UNRECOGNIZED) {
            throw ProtocolException.recoverable(ErrorCode.UNSUPPORTED_TENDER, path
                    + "type: tender type " + tender.getTypeValue() + " is not supported");
        }
        if (tender.getAmountFen() <= 0) {
            throw ProtocolException.recoverable(ErrorCode.INVALID_AMOUNT, path
                    + "amount_fen: must be > 0, was " + tender.getAmountFen());
        }
        if (tender.getReceivedFen() < 0) {
            throw ProtocolException.recoverable(ErrorCode.INVALID_AMOUNT, path
                    + "received_fen: must be >= 0, was " + tender.getReceivedFen());
        }
        if (type == TenderType.BANK_CARD) {
            // The engine records a card payment the PIN pad approved; without the approval
            // code there is nothing to reconcile it against.
            requireIdentifier(tender.getApprovalCode(), path + "approval_code");
        } else if (!tender.getApprovalCode().isEmpty()) {
            throw invalidField(path + "approval_code", "is for BANK_CARD tenders only");
        }
        boolean scanned = type == TenderType.WECHAT_PAY || type == TenderType.ALIPAY
                || type == TenderType.UNIONPAY_QR;
        if (scanned) {
            // Digits only and bounded: which channel takes the code is the engine's routing,
            // but nothing else may reach it. The code is a bearer credential: never echoed.
            String code = tender.getPaymentCode();
            if (code.isEmpty() || code.length() > FrameLimits.PAYMENT_CODE_DIGITS_MAX) {
                throw invalidField(path + "payment_code", "must hold 1.."
                        + FrameLimits.PAYMENT_CODE_DIGITS_MAX + " digits, held " + code.length());
            }
            for (int index = 0; index < code.length(); index++) {
                if (code.charAt(index) < '0' || code.charAt(index) > '9') {
                    throw invalidField(path + "payment_code",
                            "must hold digits only; character " + (index + 1) + " is not");
                }
            }
        } else if (!tender.getPaymentCode().isEmpty()) {
            throw invalidField(path + "payment_code",
                    "is for WECHAT_PAY, ALIPAY and UNIONPAY_QR tenders only");
        }
    }

    /** An identifier: 1..64 characters, none of them an ISO control character. */
    private static void requireIdentifier(String value, String field) throws ProtocolException {
        requireText(value, field, 1, FrameLimits.IDENTIFIER_CHARS_MAX);
        for (int index = 0; index < value.length(); index++) {
            char character = value.charAt(index);
            // Identifiers end up in logs, keys and receipts, where a control character can
            // forge a log line or split a key.
            if (Character.isISOControl(character)) {
                throw invalidField(field, String.format(
                        "must not contain control characters, found U+%04X at index %d",
                        (int) character, index));
            }
        }
    }

    private static void requireText(String value, String field, int charsMin, int charsMax)
            throws ProtocolException {
        int chars = value.codePointCount(0, value.length());
        if (chars < charsMin || chars > charsMax) {
            throw invalidField(field, "must be " + charsMin + ".." + charsMax
                    + " characters, was " + chars);
        }
        // A decoded string is always valid UTF-8, but a Java sender can hold an unpaired
        // surrogate, which protobuf would silently replace by '?': refuse it before it is sent.
        for (int index = 0; index < value.length(); index++) {
            char character = value.charAt(index);
            if (Character.isHighSurrogate(character) && index + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(index + 1))) {
                index++;
            } else if (Character.isSurrogate(character)) {
                throw invalidField(field, "holds an unpaired UTF-16 surrogate at index " + index);
            }
        }
    }

    private static ProtocolException invalidField(String field, String problem) {
        return ProtocolException.recoverable(ErrorCode.INVALID_FIELD, field + ": " + problem);
    }
}
