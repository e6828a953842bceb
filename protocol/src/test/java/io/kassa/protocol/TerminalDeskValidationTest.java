package io.kassa.protocol;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.MemberLookupRequest;
import io.kassa.protocol.v1.PaymentStatusRequest;
import io.kassa.protocol.v1.ShiftTotalsRequest;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import io.kassa.protocol.v1.TopUpRequest;
import io.kassa.protocol.v1.VoidRequest;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

// Goal: pin the structural rules of the member lookup, payment status, void, top-up and
// shift-totals requests, each at its limit (accepted) and just past it (refused) with the exact
// ErrorCode and the field named in the message; method: single-field edits of valid requests.
class TerminalDeskValidationTest {

    private static final long DAY_MILLIS = 86_400_000L;

    private static String chars(int count) {
        return "a".repeat(count);
    }

    private static Envelope lookup(String memberCode) {
        return Envelope.newBuilder().setRequestId(1).setMemberLookupRequest(
                MemberLookupRequest.newBuilder().setMemberCode(memberCode)).build();
    }

    private static Envelope status(String saleId) {
        return Envelope.newBuilder().setRequestId(1).setPaymentStatusRequest(
                PaymentStatusRequest.newBuilder().setSaleId(saleId)).build();
    }

    private static Envelope voidSale(UnaryOperator<VoidRequest.Builder> edit) {
        return Envelope.newBuilder().setRequestId(1).setVoidRequest(edit.apply(
                VoidRequest.newBuilder().setSaleId("S042-T0001-000123"))).build();
    }

    private static Envelope topUp(UnaryOperator<TopUpRequest.Builder> edit) {
        TopUpRequest.Builder valid = TopUpRequest.newBuilder().setTopUpId("TU-000001")
                .setMemberCode("member-0001").setCurrency("CNY")
                .setTender(Tender.newBuilder().setType(TenderType.CASH).setAmountFen(10_000)
                        .setReceivedFen(10_000));
        return Envelope.newBuilder().setRequestId(1).setTopUpRequest(edit.apply(valid)).build();
    }

    private static Envelope topUpTender(UnaryOperator<Tender.Builder> edit) {
        return topUp(request -> request.setTender(edit.apply(request.getTender().toBuilder())));
    }

    private static Envelope shift(UnaryOperator<ShiftTotalsRequest.Builder> edit) {
        return Envelope.newBuilder().setRequestId(1)
                .setShiftTotalsRequest(edit.apply(ShiftTotalsRequest.newBuilder())).build();
    }

    private static Arguments accepted(String name, Envelope envelope) {
        return Arguments.of(named(name, envelope));
    }

    private static Arguments refused(String name, Envelope envelope, ErrorCode code,
            String field) {
        return Arguments.of(named(name, envelope), code, field);
    }

    static Stream<Arguments> validRequests() {
        return Stream.of(
                accepted("lookup by code", lookup("member-0001")),
                accepted("lookup by phone", lookup("13800000001")),
                accepted("lookup member_code 64", lookup(chars(64))),
                accepted("status sale_id 64", status(chars(64))),
                accepted("void without member or reason", voidSale(v -> v)),
                accepted("void with member and reason 128",
                        voidSale(v -> v.setMemberCode("member-0001").setReason(chars(128)))),
                accepted("void reason may hold a newline", voidSale(v -> v.setReason("a\nb"))),
                accepted("cash top-up", topUp(t -> t)),
                accepted("card top-up", topUpTender(t -> t.setType(TenderType.BANK_CARD)
                        .setReceivedFen(0).setApprovalCode("APPROVED-1"))),
                accepted("top-up at the maximum",
                        topUpTender(t -> t.setAmountFen(FrameLimits.TOP_UP_FEN_MAX)
                                .setReceivedFen(FrameLimits.TOP_UP_FEN_MAX))),
                accepted("top-up of 1 fen", topUpTender(t -> t.setAmountFen(1))),
                accepted("shift since the last close, until now", shift(s -> s)),
                accepted("shift with a window of 31 days",
                        shift(s -> s.setFromMillis(DAY_MILLIS).setUntilMillis(32 * DAY_MILLIS))),
                accepted("shift from only", shift(s -> s.setFromMillis(DAY_MILLIS))),
                accepted("shift closing with an id of 64",
                        shift(s -> s.setCloseShiftId(chars(64)))));
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                refused("lookup without code", lookup(""), ErrorCode.INVALID_FIELD,
                        "member_code: "),
                refused("lookup code 65", lookup(chars(65)), ErrorCode.INVALID_FIELD,
                        "member_code: "),
                refused("lookup code with a control character", lookup("m\u0000"),
                        ErrorCode.INVALID_FIELD, "member_code: "),
                refused("status without sale id", status(""), ErrorCode.INVALID_FIELD,
                        "sale_id: "),
                refused("status sale id 65", status(chars(65)), ErrorCode.INVALID_FIELD,
                        "sale_id: "),
                refused("void without sale id", voidSale(v -> v.setSaleId("")),
                        ErrorCode.INVALID_FIELD, "sale_id: "),
                refused("void member code 65", voidSale(v -> v.setMemberCode(chars(65))),
                        ErrorCode.INVALID_FIELD, "member_code: "),
                refused("void reason 129", voidSale(v -> v.setReason(chars(129))),
                        ErrorCode.INVALID_FIELD, "reason: "),
                refused("top-up without id", topUp(t -> t.setTopUpId("")),
                        ErrorCode.INVALID_FIELD, "top_up_id: "),
                refused("top-up id 65", topUp(t -> t.setTopUpId(chars(65))),
                        ErrorCode.INVALID_FIELD, "top_up_id: "),
                refused("top-up without member", topUp(t -> t.setMemberCode("")),
                        ErrorCode.INVALID_FIELD, "member_code: "),
                refused("top-up without currency", topUp(t -> t.setCurrency("")),
                        ErrorCode.INVALID_FIELD, "currency: "),
                refused("top-up without tender", topUp(TopUpRequest.Builder::clearTender),
                        ErrorCode.INVALID_FIELD, "tender: "),
                refused("top-up tender type 0",
                        topUpTender(t -> t.setType(TenderType.TENDER_TYPE_UNSPECIFIED)),
                        ErrorCode.UNSUPPORTED_TENDER, "tender.type: "),
                refused("top-up paid with stored value",
                        topUpTender(t -> t.setType(TenderType.STORED_VALUE).setReceivedFen(0)),
                        ErrorCode.UNSUPPORTED_TENDER, "tender.type: "),
                refused("top-up paid with points",
                        topUpTender(t -> t.setType(TenderType.POINTS).setReceivedFen(0)),
                        ErrorCode.UNSUPPORTED_TENDER, "tender.type: "),
                refused("top-up paid by a scanned code",
                        topUpTender(t -> t.setType(TenderType.WECHAT_PAY).setReceivedFen(0)
                                .setPaymentCode("134567890123456789")),
                        ErrorCode.UNSUPPORTED_TENDER, "tender.type: "),
                refused("top-up amount 0", topUpTender(t -> t.setAmountFen(0)),
                        ErrorCode.INVALID_AMOUNT, "tender.amount_fen: "),
                refused("top-up above the maximum",
                        topUpTender(t -> t.setAmountFen(FrameLimits.TOP_UP_FEN_MAX + 1)
                                .setReceivedFen(FrameLimits.TOP_UP_FEN_MAX + 1)),
                        ErrorCode.INVALID_AMOUNT, "tender.amount_fen: "),
                refused("top-up negative received", topUpTender(t -> t.setReceivedFen(-1)),
                        ErrorCode.INVALID_AMOUNT, "tender.received_fen: "),
                refused("card top-up without approval code",
                        topUpTender(t -> t.setType(TenderType.BANK_CARD)),
                        ErrorCode.INVALID_FIELD, "tender.approval_code: "),
                refused("shift negative from", shift(s -> s.setFromMillis(-1)),
                        ErrorCode.INVALID_FIELD, "from_millis: "),
                refused("shift negative until", shift(s -> s.setUntilMillis(-1)),
                        ErrorCode.INVALID_FIELD, "until_millis: "),
                refused("shift until before from",
                        shift(s -> s.setFromMillis(2 * DAY_MILLIS).setUntilMillis(DAY_MILLIS)),
                        ErrorCode.INVALID_FIELD, "until_millis: "),
                refused("shift empty window",
                        shift(s -> s.setFromMillis(DAY_MILLIS).setUntilMillis(DAY_MILLIS)),
                        ErrorCode.INVALID_FIELD, "until_millis: "),
                refused("shift window of 31 days and 1 ms",
                        shift(s -> s.setFromMillis(DAY_MILLIS)
                                .setUntilMillis(32 * DAY_MILLIS + 1)),
                        ErrorCode.INVALID_FIELD, "until_millis: "),
                refused("shift id 65", shift(s -> s.setCloseShiftId(chars(65))),
                        ErrorCode.INVALID_FIELD, "close_shift_id: "));
    }

    @ParameterizedTest
    @MethodSource("validRequests")
    void validRequestIsAccepted(Envelope envelope) {
        assertThatCode(() -> MessageValidator.validate(envelope)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @MethodSource("invalidRequests")
    void invalidRequestIsRefusedWithItsCodeNamingTheField(Envelope envelope, ErrorCode code,
            String field) {
        assertThatThrownBy(() -> MessageValidator.validate(envelope))
                .isInstanceOfSatisfying(ProtocolException.class, refused -> {
                    org.assertj.core.api.Assertions.assertThat(refused.code()).isEqualTo(code);
                    org.assertj.core.api.Assertions.assertThat(refused.fatal()).isFalse();
                    org.assertj.core.api.Assertions.assertThat(refused.getMessage())
                            .startsWith(field);
                });
    }
}
