package io.kassa.protocol;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.RefundRequest;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

// Goal: pin the structural rules of the refund request, each at its limit (accepted) and just
// past it (refused) with the exact ErrorCode and the field named; method: single-field edits of
// a valid request.
class RefundRequestValidationTest {

    private static Envelope refund(UnaryOperator<RefundRequest.Builder> edit) {
        RefundRequest.Builder valid = RefundRequest.newBuilder().setRefundId("RF-0001")
                .setSaleId("S001-T1-000042");
        return Envelope.newBuilder().setRequestId(1).setRefundRequest(edit.apply(valid))
                .build();
    }

    private static RefundRequest.Builder lines(RefundRequest.Builder request, int count) {
        IntStream.rangeClosed(1, count).forEach(request::addLineNumbers);
        return request;
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of(named("whole sale (no lines)", refund(r -> r))),
                Arguments.of(named("one line", refund(r -> r.addLineNumbers(2)))),
                Arguments.of(named("line 200", refund(r -> r.addLineNumbers(200)))),
                Arguments.of(named("200 lines", refund(r -> lines(r, 200)))),
                Arguments.of(named("ids of 64", refund(r -> r.setRefundId("r".repeat(64))
                        .setSaleId("s".repeat(64)).setSaleTerminalId("t".repeat(64))))),
                Arguments.of(named("reason of 128", refund(r -> r.setReason("x".repeat(128))))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void acceptedAtTheLimits(Envelope envelope) {
        assertThatCode(() -> MessageValidator.validate(envelope)).doesNotThrowAnyException();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(named("no refund id", refund(r -> r.setRefundId(""))),
                        ErrorCode.INVALID_FIELD, "refund_id"),
                Arguments.of(named("refund id of 65", refund(r -> r.setRefundId("r".repeat(65)))),
                        ErrorCode.INVALID_FIELD, "refund_id"),
                Arguments.of(named("no sale id", refund(r -> r.setSaleId(""))),
                        ErrorCode.INVALID_FIELD, "sale_id"),
                Arguments.of(named("sale terminal of 65",
                        refund(r -> r.setSaleTerminalId("t".repeat(65)))),
                        ErrorCode.INVALID_FIELD, "sale_terminal_id"),
                Arguments.of(named("line 0", refund(r -> r.addLineNumbers(0))),
                        ErrorCode.INVALID_FIELD, "line_numbers[0]"),
                Arguments.of(named("line 201", refund(r -> r.addLineNumbers(1)
                        .addLineNumbers(201))), ErrorCode.INVALID_FIELD, "line_numbers[1]"),
                Arguments.of(named("line 2^32 - 1", refund(r -> r.addLineNumbers(-1))),
                        ErrorCode.INVALID_FIELD, "4294967295"),
                Arguments.of(named("a line twice", refund(r -> r.addLineNumbers(3)
                        .addLineNumbers(3))), ErrorCode.INVALID_FIELD, "named twice"),
                Arguments.of(named("201 lines", refund(r -> lines(r, 201))),
                        ErrorCode.INVALID_FIELD, "line_numbers"),
                Arguments.of(named("reason of 129", refund(r -> r.setReason("x".repeat(129)))),
                        ErrorCode.INVALID_FIELD, "reason"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedJustPastTheLimits(Envelope envelope, ErrorCode code, String named) {
        assertThatThrownBy(() -> MessageValidator.validate(envelope))
                .isInstanceOfSatisfying(ProtocolException.class, refused -> {
                    org.assertj.core.api.Assertions.assertThat(refused.code()).isEqualTo(code);
                    org.assertj.core.api.Assertions.assertThat(refused.fatal()).isFalse();
                })
                .hasMessageContaining(named);
    }
}
