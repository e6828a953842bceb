package io.kassa.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.Hello;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import java.util.Collections;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

// Goal: pin every rule of MessageValidator, each at its limit N (accepted) and N+1 (refused)
// with the exact ErrorCode and the field named in the message; method: a table of single-field
// edits to valid golden requests, for Hello, QuoteRequest and CheckoutRequest.
class MessageValidatorTest {

    private static final String CONTROL = "\u0007";

    private static String chars(int count) {
        return "a".repeat(count);
    }

    private static Envelope hello(UnaryOperator<Hello.Builder> edit) {
        return GoldenFrames.HELLO.toBuilder()
                .setHello(edit.apply(GoldenFrames.HELLO.getHello().toBuilder())).build();
    }

    private static Envelope quote(UnaryOperator<QuoteRequest.Builder> edit) {
        QuoteRequest.Builder builder = GoldenFrames.QUOTE_REQUEST.getQuoteRequest().toBuilder();
        return GoldenFrames.QUOTE_REQUEST.toBuilder().setQuoteRequest(edit.apply(builder))
                .build();
    }

    private static Envelope checkout(UnaryOperator<CheckoutRequest.Builder> edit) {
        CheckoutRequest.Builder builder =
                GoldenFrames.CHECKOUT_REQUEST.getCheckoutRequest().toBuilder();
        return GoldenFrames.CHECKOUT_REQUEST.toBuilder().setCheckoutRequest(edit.apply(builder))
                .build();
    }

    /** A checkout whose first line is edited; the line rules are shared with quotes. */
    private static Envelope line(UnaryOperator<BasketLine.Builder> edit) {
        return checkout(request -> request.setLines(0,
                edit.apply(request.getLines(0).toBuilder())));
    }

    private static Envelope quoteLine(UnaryOperator<BasketLine.Builder> edit) {
        return quote(request -> request.setLines(1,
                edit.apply(request.getLines(1).toBuilder())));
    }

    private static Envelope tender(UnaryOperator<Tender.Builder> edit) {
        return checkout(request -> request.setTenders(0,
                edit.apply(request.getTenders(0).toBuilder())));
    }

    private static Envelope quoteWithLines(int count) {
        return quote(request -> request.clearLines()
                .addAllLines(Collections.nCopies(count, GoldenFrames.APPLES)));
    }

    private static Envelope checkoutWithLines(int count) {
        return checkout(request -> request.clearLines()
                .addAllLines(Collections.nCopies(count, GoldenFrames.APPLES)));
    }

    private static Envelope checkoutWithTenders(int count) {
        Tender tender = Tender.newBuilder().setType(TenderType.CASH).setAmountFen(1).build();
        return checkout(request -> request.clearTenders()
                .addAllTenders(Collections.nCopies(count, tender)));
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
                accepted("hello golden", GoldenFrames.HELLO),
                accepted("quote golden", GoldenFrames.QUOTE_REQUEST),
                accepted("checkout golden", GoldenFrames.CHECKOUT_REQUEST),
                accepted("heartbeat", GoldenFrames.HEARTBEAT),
                accepted("quote with member and points wish",
                        quote(q -> q.setMemberCode("member-0001").setPointsWish(5_000))),
                accepted("checkout member_code 64", checkout(c -> c.setMemberCode(chars(64)))),
                accepted("bank card with approval code", tender(t -> t.setType(
                        TenderType.BANK_CARD).setApprovalCode("APPROVED-123456"))),
                accepted("no tender (coupons pay all)", checkoutWithTenders(0)),
                accepted("points tender", tender(t -> t.setType(TenderType.POINTS))),
                accepted("stored value tender", tender(t -> t.setType(TenderType.STORED_VALUE))),
                accepted("terminal_id 1", hello(h -> h.setTerminalId("T"))),
                accepted("terminal_id 64", hello(h -> h.setTerminalId(chars(64)))),
                accepted("terminal_id 64 code points in 128 UTF-16 units",
                        hello(h -> h.setTerminalId("\uD83D\uDED2".repeat(64)))),
                accepted("store_id 64", hello(h -> h.setStoreId(chars(64)))),
                accepted("software_version empty", hello(h -> h.setSoftwareVersion(""))),
                accepted("software_version 64", hello(h -> h.setSoftwareVersion(chars(64)))),
                accepted("protocol_version is the server's business",
                        hello(h -> h.setProtocolVersion(99))),
                accepted("currency 1", quote(q -> q.setCurrency("X"))),
                accepted("currency 8", quote(q -> q.setCurrency(chars(8)))),
                accepted("currency support is the server's business",
                        quote(q -> q.setCurrency("EUR"))),
                accepted("quote lines 1", quoteWithLines(1)),
                accepted("quote lines 200", quoteWithLines(200)),
                accepted("checkout lines 200", checkoutWithLines(200)),
                accepted("sku 64", line(l -> l.setSku(chars(64)))),
                accepted("category 64", line(l -> l.setCategory(chars(64)))),
                accepted("name empty", line(l -> l.setName(""))),
                accepted("name 128", line(l -> l.setName(chars(128)))),
                accepted("name may hold a newline", line(l -> l.setName("two\nlines"))),
                accepted("quantity 1", line(l -> l.setQuantity(1))),
                accepted("quantity 9999", line(l -> l.setQuantity(9_999))),
                accepted("unit price 0", line(l -> l.setUnitPriceFen(0))),
                accepted("unit price at int64 max; overflow is the core's business",
                        line(l -> l.setUnitPriceFen(Long.MAX_VALUE).setQuantity(9_999))),
                accepted("sale_id 64", checkout(c -> c.setSaleId(chars(64)))),
                accepted("tenders 1", checkoutWithTenders(1)),
                accepted("tenders 8", checkoutWithTenders(8)),
                accepted("amount 1", tender(t -> t.setAmountFen(1))),
                accepted("received 0; received < amount is the server's business",
                        tender(t -> t.setReceivedFen(0))));
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                refused("terminal_id empty", hello(h -> h.setTerminalId("")),
                        ErrorCode.INVALID_FIELD, "terminal_id: "),
                refused("terminal_id 65", hello(h -> h.setTerminalId(chars(65))),
                        ErrorCode.INVALID_FIELD, "terminal_id: "),
                refused("terminal_id control", hello(h -> h.setTerminalId("T" + CONTROL)),
                        ErrorCode.INVALID_FIELD, "terminal_id: "),
                refused("terminal_id DEL", hello(h -> h.setTerminalId("T\u007f")),
                        ErrorCode.INVALID_FIELD, "terminal_id: "),
                refused("terminal_id C1 control", hello(h -> h.setTerminalId("T\u0085")),
                        ErrorCode.INVALID_FIELD, "terminal_id: "),
                refused("terminal_id unpaired surrogate", hello(h -> h.setTerminalId("T\uD83D")),
                        ErrorCode.INVALID_FIELD, "terminal_id: "),
                refused("store_id empty", hello(h -> h.setStoreId("")),
                        ErrorCode.INVALID_FIELD, "store_id: "),
                refused("store_id 65", hello(h -> h.setStoreId(chars(65))),
                        ErrorCode.INVALID_FIELD, "store_id: "),
                refused("store_id control", hello(h -> h.setStoreId("\u0000")),
                        ErrorCode.INVALID_FIELD, "store_id: "),
                refused("software_version 65", hello(h -> h.setSoftwareVersion(chars(65))),
                        ErrorCode.INVALID_FIELD, "software_version: "),
                refused("quote currency empty", quote(q -> q.setCurrency("")),
                        ErrorCode.INVALID_FIELD, "currency: "),
                refused("quote currency 9", quote(q -> q.setCurrency(chars(9))),
                        ErrorCode.INVALID_FIELD, "currency: "),
                refused("quote no lines", quoteWithLines(0), ErrorCode.EMPTY_BASKET, "lines: "),
                refused("quote lines 201", quoteWithLines(201),
                        ErrorCode.TOO_MANY_LINES, "lines: "),
                refused("quote sku empty", quoteLine(l -> l.setSku("")),
                        ErrorCode.INVALID_FIELD, "lines[1].sku: "),
                refused("quote quantity 0", quoteLine(l -> l.setQuantity(0)),
                        ErrorCode.INVALID_QUANTITY, "lines[1].quantity: "),
                refused("quote negative price", quoteLine(l -> l.setUnitPriceFen(-1)),
                        ErrorCode.INVALID_AMOUNT, "lines[1].unit_price_fen: "),
                refused("checkout currency empty", checkout(c -> c.setCurrency("")),
                        ErrorCode.INVALID_FIELD, "currency: "),
                refused("checkout currency 9", checkout(c -> c.setCurrency(chars(9))),
                        ErrorCode.INVALID_FIELD, "currency: "),
                refused("checkout no lines", checkoutWithLines(0),
                        ErrorCode.EMPTY_BASKET, "lines: "),
                refused("checkout lines 201", checkoutWithLines(201),
                        ErrorCode.TOO_MANY_LINES, "lines: "),
                refused("sku empty", line(l -> l.setSku("")),
                        ErrorCode.INVALID_FIELD, "lines[0].sku: "),
                refused("sku 65", line(l -> l.setSku(chars(65))),
                        ErrorCode.INVALID_FIELD, "lines[0].sku: "),
                refused("sku control", line(l -> l.setSku("69\t01")),
                        ErrorCode.INVALID_FIELD, "lines[0].sku: "),
                refused("category empty", line(l -> l.setCategory("")),
                        ErrorCode.INVALID_FIELD, "lines[0].category: "),
                refused("category 65", line(l -> l.setCategory(chars(65))),
                        ErrorCode.INVALID_FIELD, "lines[0].category: "),
                refused("category control", line(l -> l.setCategory("fresh\r\n")),
                        ErrorCode.INVALID_FIELD, "lines[0].category: "),
                refused("name 129", line(l -> l.setName(chars(129))),
                        ErrorCode.INVALID_FIELD, "lines[0].name: "),
                refused("quantity 0", line(l -> l.setQuantity(0)),
                        ErrorCode.INVALID_QUANTITY, "lines[0].quantity: "),
                refused("quantity 10000", line(l -> l.setQuantity(10_000)),
                        ErrorCode.INVALID_QUANTITY, "lines[0].quantity: "),
                refused("quantity negative", line(l -> l.setQuantity(-1)),
                        ErrorCode.INVALID_QUANTITY, "lines[0].quantity: "),
                refused("unit price negative", line(l -> l.setUnitPriceFen(-1)),
                        ErrorCode.INVALID_AMOUNT, "lines[0].unit_price_fen: "),
                refused("sale_id empty", checkout(c -> c.setSaleId("")),
                        ErrorCode.INVALID_FIELD, "sale_id: "),
                refused("sale_id 65", checkout(c -> c.setSaleId(chars(65))),
                        ErrorCode.INVALID_FIELD, "sale_id: "),
                refused("sale_id control", checkout(c -> c.setSaleId("S\u001b[2J")),
                        ErrorCode.INVALID_FIELD, "sale_id: "),
                refused("tenders 9", checkoutWithTenders(9),
                        ErrorCode.INVALID_FIELD, "tenders: "),
                refused("tender type unspecified",
                        tender(t -> t.setType(TenderType.TENDER_TYPE_UNSPECIFIED)),
                        ErrorCode.UNSUPPORTED_TENDER, "tenders[0].type: "),
                refused("tender type unrecognized", tender(t -> t.setTypeValue(42)),
                        ErrorCode.UNSUPPORTED_TENDER, "tenders[0].type: "),
                refused("bank card without approval code",
                        tender(t -> t.setType(TenderType.BANK_CARD)),
                        ErrorCode.INVALID_FIELD, "tenders[0].approval_code: "),
                refused("bank card approval code 65", tender(t -> t.setType(TenderType.BANK_CARD)
                        .setApprovalCode(chars(65))),
                        ErrorCode.INVALID_FIELD, "tenders[0].approval_code: "),
                refused("approval code on cash", tender(t -> t.setApprovalCode("A1")),
                        ErrorCode.INVALID_FIELD, "tenders[0].approval_code: "),
                refused("quote points wish negative", quote(q -> q.setPointsWish(-1)),
                        ErrorCode.INVALID_AMOUNT, "points_wish: "),
                refused("quote member_code 65", quote(q -> q.setMemberCode(chars(65))),
                        ErrorCode.INVALID_FIELD, "member_code: "),
                refused("checkout member_code 65", checkout(c -> c.setMemberCode(chars(65))),
                        ErrorCode.INVALID_FIELD, "member_code: "),
                refused("checkout member_code control",
                        checkout(c -> c.setMemberCode("M\u0007")),
                        ErrorCode.INVALID_FIELD, "member_code: "),
                refused("tender amount 0", tender(t -> t.setAmountFen(0)),
                        ErrorCode.INVALID_AMOUNT, "tenders[0].amount_fen: "),
                refused("tender amount negative", tender(t -> t.setAmountFen(-1)),
                        ErrorCode.INVALID_AMOUNT, "tenders[0].amount_fen: "),
                refused("tender received negative", tender(t -> t.setReceivedFen(-1)),
                        ErrorCode.INVALID_AMOUNT, "tenders[0].received_fen: "));
    }

    @ParameterizedTest
    @MethodSource("validRequests")
    void acceptsRequestAtItsLimits(Envelope envelope) {
        assertThatCode(() -> MessageValidator.validate(envelope)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @MethodSource("invalidRequests")
    void refusesRequestBeyondItsLimitsWithTheExactCode(Envelope envelope, ErrorCode code,
            String field) {
        assertThatThrownBy(() -> MessageValidator.validate(envelope))
                .isInstanceOfSatisfying(ProtocolException.class, error -> {
                    assertThat(error.code()).isEqualTo(code);
                    assertThat(error.fatal()).isFalse();
                    assertThat(error.getMessage()).startsWith(field);
                });
    }

    @Test
    void messageNamesTheLimitAndTheActualLength() {
        Envelope envelope = checkout(c -> c.setLines(1,
                c.getLines(1).toBuilder().setSku(chars(65))));

        assertThatThrownBy(() -> MessageValidator.validate(envelope))
                .hasMessage("lines[1].sku: must be 1..64 characters, was 65");
    }

    @Test
    void firstViolationInFieldOrderIsReported() {
        // sale_id (field 1) is checked before lines (field 3), both being wrong here.
        Envelope envelope = checkout(c -> c.setSaleId("").clearLines());

        assertThatThrownBy(() -> MessageValidator.validate(envelope))
                .hasMessageStartingWith("sale_id: ");
    }

    @Test
    void bodylessEnvelopeIsUnknownMessageType() {
        assertThatThrownBy(() -> MessageValidator.validate(Envelope.newBuilder()
                .setRequestId(1).build()))
                .isInstanceOfSatisfying(ProtocolException.class, error ->
                        assertThat(error.code()).isEqualTo(ErrorCode.UNKNOWN_MESSAGE_TYPE));
    }

    @Test
    void engineToTerminalBodiesAreNotJudged() {
        // The server refuses them with UNEXPECTED_MESSAGE whatever they contain.
        for (Envelope envelope : new Envelope[] {GoldenFrames.WELCOME, GoldenFrames.ERROR,
            GoldenFrames.HEARTBEAT_ACK, GoldenFrames.QUOTE_RESPONSE,
            GoldenFrames.CHECKOUT_RESPONSE, GoldenFrames.ERROR_FATAL}) {
            assertThatCode(() -> MessageValidator.validate(envelope))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void authProofOfExactlyThirtyTwoBytesIsAcceptedAndOneMoreOrLessIsNot() {
        com.google.protobuf.ByteString proof = GoldenFrames.AUTH_PROOF.getAuthProof().getProof();
        assertThat(proof.size()).isEqualTo(FrameLimits.AUTH_PROOF_BYTES);
        assertThatCode(() -> MessageValidator.validate(GoldenFrames.AUTH_PROOF))
                .doesNotThrowAnyException();

        for (com.google.protobuf.ByteString wrong : new com.google.protobuf.ByteString[] {
            proof.concat(com.google.protobuf.ByteString.copyFrom(new byte[1])),
            proof.substring(1), com.google.protobuf.ByteString.EMPTY}) {
            Envelope envelope = GoldenFrames.AUTH_PROOF.toBuilder()
                    .setAuthProof(GoldenFrames.AUTH_PROOF.getAuthProof().toBuilder()
                            .setProof(wrong))
                    .build();
            assertThatThrownBy(() -> MessageValidator.validate(envelope))
                    .isInstanceOfSatisfying(ProtocolException.class, error -> {
                        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_FIELD);
                        assertThat(error.getMessage()).startsWith("proof: must be 32 bytes");
                    });
        }
    }
}
