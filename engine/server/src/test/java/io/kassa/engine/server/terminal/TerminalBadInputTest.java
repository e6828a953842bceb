package io.kassa.engine.server.terminal;

import static io.kassa.engine.server.testing.RawTerminal.cashCheckout;
import static io.kassa.engine.server.testing.RawTerminal.line;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.testing.RawTerminal;
import io.kassa.engine.server.testing.TestEngine;
import io.kassa.protocol.FrameEncoder;
import io.kassa.protocol.FrameLimits;
import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.Heartbeat;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import io.kassa.protocol.v1.Welcome;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each kind of bad input a terminal can send gets its specific error code over a real TCP
 * connection to a real engine, the engine keeps serving other terminals, and nothing reaches
 * PostgreSQL; checked with a raw socket that sends exactly the broken bytes under test.
 */
class TerminalBadInputTest {

    private static final int FRAME_COMPLETION_MILLIS = 300;
    private static TestEngine engine;

    @BeforeAll
    static void startEngine() {
        engine = TestEngine.start("bad_input", 15_000, FRAME_COMPLETION_MILLIS);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    @AfterEach
    void nothingWasWrittenAndOthersAreStillServed() throws IOException {
        assertThat(engine.count("select count(*) from sales_order")).isZero();
        assertThat(engine.count("select count(*) from ledger_entry")).isZero();
        try (RawTerminal bystander = RawTerminal.greeted(engine, "S001", "T-bystander")) {
            Envelope answer = bystander.exchange(quote(7, line("sku-1", "grocery", 250, 2)));
            assertThat(answer.getQuoteResponse().getPayableFen()).isEqualTo(500);
        }
    }

    @Test
    void frameOverTheMaximumIsFatal() throws IOException {
        try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T1")) {
            int declared = FrameLimits.FRAME_BYTES_MAX + 1;
            terminal.sendBytes(new byte[] {
                (byte) (declared >>> 24), (byte) (declared >>> 16), (byte) (declared >>> 8),
                (byte) declared});
            assertError(terminal.receive(), 0, ErrorCode.FRAME_TOO_LARGE, true);
            assertThat(terminal.closedByPeer()).isTrue();
        }
    }

    @Test
    void frameAtTheMaximumIsReadAndJudgedByItsContent() throws IOException {
        try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T1")) {
            byte[] payload = new byte[FrameLimits.FRAME_BYTES_MAX];
            Arrays.fill(payload, (byte) 0xFF);
            terminal.sendPayload(payload);
            assertError(terminal.receive(), 0, ErrorCode.MALFORMED_PAYLOAD, false);
            assertThat(terminal.exchange(heartbeat(5)).hasHeartbeatAck()).isTrue();
        }
    }

    @Test
    void truncatedFrameIsClosedAfterTheCompletionBound() throws IOException {
        try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T1")) {
            byte[] frame = FrameEncoder.encode(heartbeat(9));
            terminal.sendBytes(Arrays.copyOf(frame, frame.length - 1));
            assertError(terminal.receive(), 0, ErrorCode.FRAME_TRUNCATED, true);
            assertThat(terminal.closedByPeer()).isTrue();
        }
    }

    @Test
    void unknownMessageTypeIsAnsweredAndTheConnectionGoesOn() throws IOException {
        try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T1")) {
            // request_id = 42 (field 1, varint), then field 99 (length-delimited, empty).
            terminal.sendPayload(new byte[] {0x08, 42, (byte) 0x9A, 0x06, 0x00});
            assertError(terminal.receive(), 42, ErrorCode.UNKNOWN_MESSAGE_TYPE, false);
            assertThat(terminal.exchange(heartbeat(43)).hasHeartbeatAck()).isTrue();
        }
    }

    @Test
    void payloadThatDoesNotParseIsAnsweredAndTheConnectionGoesOn() throws IOException {
        try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T1")) {
            terminal.sendPayload(new byte[] {0x0A, 0x7F, 0x01});
            assertError(terminal.receive(), 0, ErrorCode.MALFORMED_PAYLOAD, false);
            assertThat(terminal.exchange(heartbeat(2)).hasHeartbeatAck()).isTrue();
        }
    }

    @Test
    void checkoutBeforeHelloIsRefused() throws IOException {
        try (RawTerminal terminal = RawTerminal.connect(engine.port())) {
            Envelope answer = terminal.exchange(Envelope.newBuilder().setRequestId(3)
                    .setCheckoutRequest(cashCheckout("sale-1", 100, line("a", "grocery", 100, 1)))
                    .build());
            assertError(answer, 3, ErrorCode.HELLO_REQUIRED, false);
        }
    }

    @Test
    void unsupportedProtocolVersionIsFatal() throws IOException {
        try (RawTerminal terminal = RawTerminal.connect(engine.port())) {
            Envelope answer = terminal.exchange(Envelope.newBuilder().setRequestId(1)
                    .setHello(RawTerminal.hello("S001", "T1").toBuilder().setProtocolVersion(2))
                    .build());
            assertError(answer, 1, ErrorCode.UNSUPPORTED_VERSION, true);
            assertThat(terminal.closedByPeer()).isTrue();
        }
    }

    @Test
    void secondHelloIsRefused() throws IOException {
        try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T1")) {
            Envelope answer = terminal.exchange(Envelope.newBuilder().setRequestId(2)
                    .setHello(RawTerminal.hello("S001", "T1")).build());
            assertError(answer, 2, ErrorCode.ALREADY_GREETED, false);
        }
    }

    @Test
    void helloWithAnEmptyTerminalIdIsRefused() throws IOException {
        try (RawTerminal terminal = RawTerminal.connect(engine.port())) {
            Envelope answer = terminal.exchange(Envelope.newBuilder().setRequestId(1)
                    .setHello(RawTerminal.hello("S001", "")).build());
            assertError(answer, 1, ErrorCode.INVALID_FIELD, false);
        }
    }

    @Test
    void requestIdZeroIsRefusedBecauseItIsReserved() throws IOException {
        try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T1")) {
            Envelope answer = terminal.exchange(heartbeat(0));
            assertError(answer, 0, ErrorCode.INVALID_FIELD, false);
            assertThat(answer.getError().getMessage()).contains("request_id");
        }
    }

    @Test
    void messageOnlyTheEngineSendsIsUnexpected() throws IOException {
        try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T1")) {
            Envelope answer = terminal.exchange(Envelope.newBuilder().setRequestId(4)
                    .setWelcome(Welcome.newBuilder().setProtocolVersion(1)).build());
            assertError(answer, 4, ErrorCode.UNEXPECTED_MESSAGE, false);
        }
    }

    @Test
    void negativePriceIsAnInvalidAmount() throws IOException {
        try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T1")) {
            assertError(terminal.exchange(checkout(5, cashCheckout("sale-neg", 100,
                    line("a", "grocery", -100, 1)))), 5, ErrorCode.INVALID_AMOUNT, false);
        }
    }

    @Test
    void totalBeyondInt64FenOverflows() throws IOException {
        try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T1")) {
            CheckoutRequest request = cashCheckout("sale-big", Long.MAX_VALUE,
                    line("a", "grocery", Long.MAX_VALUE / 2, 3));
            assertError(terminal.exchange(checkout(6, request)), 6, ErrorCode.AMOUNT_OVERFLOW,
                    false);
            assertError(terminal.exchange(quote(7, line("a", "grocery", Long.MAX_VALUE, 1),
                    line("b", "grocery", 1, 1))), 7, ErrorCode.AMOUNT_OVERFLOW, false);
        }
    }

    @Test
    void emptyBasketIsRefused() throws IOException {
        try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T1")) {
            assertError(terminal.exchange(checkout(8, cashCheckout("sale-empty", 100))), 8,
                    ErrorCode.EMPTY_BASKET, false);
            assertError(terminal.exchange(quote(9)), 9, ErrorCode.EMPTY_BASKET, false);
        }
    }

    @Test
    void tendersThatDoNotSumToThePayableAreRefused() throws IOException {
        try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T1")) {
            assertError(terminal.exchange(checkout(10, cashCheckout("sale-short", 99,
                    line("a", "grocery", 100, 1)))), 10, ErrorCode.TENDER_MISMATCH, false);
            CheckoutRequest shortCash = cashCheckout("sale-cash", 100,
                    line("a", "grocery", 100, 1)).toBuilder()
                    .setTenders(0, Tender.newBuilder().setType(TenderType.CASH)
                            .setAmountFen(100).setReceivedFen(50)).build();
            assertError(terminal.exchange(checkout(11, shortCash)), 11,
                    ErrorCode.TENDER_MISMATCH, false);
        }
    }

    @Test
    void currencyOtherThanYuanIsRefused() throws IOException {
        try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T1")) {
            CheckoutRequest request = cashCheckout("sale-usd", 100, line("a", "grocery", 100, 1))
                    .toBuilder().setCurrency("USD").build();
            assertError(terminal.exchange(checkout(12, request)), 12,
                    ErrorCode.UNSUPPORTED_CURRENCY, false);
        }
    }

    @Test
    void zeroQuantityIsRefused() throws IOException {
        try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T1")) {
            assertError(terminal.exchange(checkout(13, cashCheckout("sale-q0", 100,
                    line("a", "grocery", 100, 0)))), 13, ErrorCode.INVALID_QUANTITY, false);
        }
    }

    private static Envelope heartbeat(long requestId) {
        return Envelope.newBuilder().setRequestId(requestId)
                .setHeartbeat(Heartbeat.newBuilder().setSentAtMillis(1)).build();
    }

    private static Envelope quote(long requestId, BasketLine... lines) {
        QuoteRequest.Builder request = QuoteRequest.newBuilder().setCurrency("CNY");
        for (BasketLine line : lines) {
            request.addLines(line);
        }
        return Envelope.newBuilder().setRequestId(requestId).setQuoteRequest(request).build();
    }

    private static Envelope checkout(long requestId, CheckoutRequest request) {
        return Envelope.newBuilder().setRequestId(requestId).setCheckoutRequest(request).build();
    }

    private static void assertError(
            Envelope answer, long requestId, ErrorCode code, boolean fatal) {
        assertThat(answer.hasError()).as("an Error frame, got %s", answer).isTrue();
        assertThat(answer.getRequestId()).isEqualTo(requestId);
        assertThat(answer.getError().getCode()).isEqualTo(code);
        assertThat(answer.getError().getFatal()).isEqualTo(fatal);
        assertThat(answer.getError().getMessage()).isNotBlank();
    }
}
