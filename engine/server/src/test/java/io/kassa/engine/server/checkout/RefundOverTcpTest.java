package io.kassa.engine.server.checkout;

import static io.kassa.engine.server.testing.RawTerminal.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.engine.server.testing.TestEngine;
import io.kassa.engine.server.testing.TestServices;
import io.kassa.peripherals.sdk.ReconnectingTerminalClient;
import io.kassa.peripherals.sdk.TerminalClient;
import io.kassa.peripherals.sdk.TerminalClientOptions;
import io.kassa.peripherals.sdk.TerminalErrorException;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.RefundRequest;
import io.kassa.protocol.v1.RefundResponse;
import io.kassa.protocol.v1.RefundTenderState;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderRefund;
import io.kassa.protocol.v1.TenderType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Refunds over the wire, terminal SDK to a whole engine (PostgreSQL, Redis): a member's sale
 * paid by points, stored value and bank card refunded line by line from another till of the
 * store, a refund resent by the reconnecting SDK answered as the same refund, and each refund
 * mistake a terminal can make answered with its own error code.
 */
class RefundOverTcpTest {

    /** Member ids unique to this run: the local Redis outlives test runs. */
    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static final String MEMBER = "MR-" + RUN;

    private static TestEngine engine;
    private static Vertx terminals;
    private static TerminalClient till;
    private static TerminalClient otherTill;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.start("refund_tcp");
        terminals = Vertx.vertx();
        try (Connection connection = TestServices.jdbc(engine.schema());
                Statement statement = connection.createStatement()) {
            LocalDate today = LocalDate.now();
            statement.executeUpdate("insert into member (member_id, member_code, phone,"
                    + " completed_orders) values ('" + MEMBER + "', 'code-" + RUN + "', 'p-"
                    + RUN + "', 3)");
            statement.executeUpdate("insert into stored_value_balance values ('" + MEMBER
                    + "', 20000)");
            statement.executeUpdate("insert into points_lot (lot_id, member_id,"
                    + " points_remaining, earned_on, expires_on) values ('L-" + MEMBER + "', '"
                    + MEMBER + "', 8000, '" + today.minusDays(30) + "', '"
                    + today.plusMonths(6) + "')");
        }
        till = client("T-till-1");
        otherTill = client("T-till-2");
        await(till.connect());
        await(otherTill.connect());
    }

    private static TerminalClientOptions options(String terminalId) {
        return new TerminalClientOptions().setPort(engine.port()).setStoreId("S001")
                .setTerminalId(terminalId).setSecret(engine.secret("S001", terminalId));
    }

    private static TerminalClient client(String terminalId) {
        return TerminalClient.create(terminals, options(terminalId));
    }

    @AfterAll
    static void stop() throws Exception {
        await(till.close());
        await(otherTill.close());
        await(terminals.close());
        engine.close();
    }

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** 150.00 of groceries over two lines: 100.00 and 50.00. */
    private static CheckoutResponse sell(String saleId, String memberCode, Tender... tenders)
            throws Exception {
        CheckoutRequest.Builder request = CheckoutRequest.newBuilder().setSaleId(saleId)
                .setCurrency("CNY").setMemberCode(memberCode)
                .addLines(line("rice-5kg", "grocery", 5_000, 2))
                .addLines(line("oil-1l", "grocery", 2_500, 2));
        for (Tender tender : tenders) {
            request.addTenders(tender);
        }
        return await(till.checkout(request.build()));
    }

    private static Tender tender(TenderType type, long amountFen) {
        Tender.Builder tender = Tender.newBuilder().setType(type).setAmountFen(amountFen)
                .setReceivedFen(type == TenderType.CASH ? amountFen : 0);
        if (type == TenderType.BANK_CARD) {
            tender.setApprovalCode("APPROVED-" + RUN);
        }
        return tender.build();
    }

    private static RefundRequest.Builder refund(String refundId, String saleId) {
        return RefundRequest.newBuilder().setRefundId(refundId).setSaleId(saleId)
                .setSaleTerminalId("T-till-1").setReason("returned");
    }

    @Test
    void aMemberSaleIsRefundedLineByLineFromAnotherTill() throws Exception {
        String sale = id("tcp-refund");
        CheckoutResponse sold = sell(sale, "code-" + RUN, tender(TenderType.POINTS, 2_000),
                tender(TenderType.STORED_VALUE, 5_000), tender(TenderType.BANK_CARD, 8_000));
        assertThat(sold.getPayableFen()).isEqualTo(15_000);
        long earned = sold.getPointsEarned();
        assertThat(earned).isPositive();

        RefundResponse first = await(otherTill.refund(refund(id("RF"), sale)
                .addLineNumbers(2).build()));

        assertThat(first.getLineNumbersList()).containsExactly(2);
        assertThat(first.getRefundedFen()).isEqualTo(5_000);
        assertThat(first.getTendersList()).extracting(TenderRefund::getShareFen)
                .containsExactly(667L, 1_667L, 2_666L);
        assertThat(first.getTendersList()).extracting(TenderRefund::getState)
                .containsOnly(RefundTenderState.TENDER_REFUND_DONE);
        assertThat(first.getFullRefund()).isFalse();
        assertThat(first.getReplayed()).isFalse();

        RefundResponse rest = await(otherTill.refund(refund(id("RF"), sale).build()));

        assertThat(rest.getLineNumbersList()).containsExactly(1);
        assertThat(rest.getFullRefund()).isTrue();
        assertThat(rest.getTendersList()).extracting(TenderRefund::getShareFen)
                .containsExactly(2_000L - 667, 5_000L - 1_667, 8_000L - 2_666);
        assertThat(first.getPointsClawedBack() + rest.getPointsClawedBack()).isEqualTo(earned);
        assertThat(first.getPointsRestored() + rest.getPointsRestored()).isEqualTo(2_000);
        assertThat(engine.count("select balance_fen from stored_value_balance where member_id"
                + " = '" + MEMBER + "'")).isEqualTo(20_000);
        assertThat(engine.count("select sum(points_remaining) from points_lot where member_id"
                + " = '" + MEMBER + "'")).isEqualTo(8_000);
        assertThat(engine.count("select count(*) from ledger_transaction x join sales_order o"
                + " using (order_id) where o.sale_id = '" + sale + "' and x.kind = 'REFUND'"))
                .isEqualTo(2);
    }

    @Test
    void aRefundResentByTheReconnectingClientIsAnsweredAsTheSameRefund() throws Exception {
        String sale = id("tcp-resend");
        sell(sale, "", tender(TenderType.CASH, 15_000));
        String refundId = id("RF");
        RefundResponse first = await(otherTill.refund(refund(refundId, sale)
                .addLineNumbers(1).build()));
        ReconnectingTerminalClient reconnecting = ReconnectingTerminalClient.create(terminals,
                options("T-till-2"), 50, 500);
        try {
            // Asked before any connection: held, then sent once the client has connected.
            Future<RefundResponse> resent = reconnecting.refund(refund(refundId, sale)
                    .addLineNumbers(1).build());
            await(reconnecting.start());
            RefundResponse again = await(resent);

            assertThat(again.getReplayed()).isTrue();
            assertThat(again.getOrderId()).isEqualTo(first.getOrderId());
            assertThat(again.getRefundedFen()).isEqualTo(10_000);
            assertThat(again.getTendersList()).isEqualTo(first.getTendersList());
            assertThat(again.getRefundedAtMillis()).isEqualTo(first.getRefundedAtMillis());
        } finally {
            await(reconnecting.close());
        }
        assertThat(engine.count("select count(*) from sale_refund where refund_id = '"
                + refundId + "'")).isEqualTo(1);
    }

    @Test
    void eachRefundMistakeGetsItsOwnCode() throws Exception {
        String sale = id("tcp-mistakes");
        sell(sale, "", tender(TenderType.CASH, 15_000));
        String refundId = id("RF");
        await(otherTill.refund(refund(refundId, sale).addLineNumbers(1).build()));

        assertCode(refund(id("RF"), id("never-sold")), ErrorCode.ORDER_NOT_FOUND);
        assertCode(refund(id("RF"), sale).setSaleTerminalId("T-elsewhere"),
                ErrorCode.ORDER_NOT_FOUND);
        assertCode(refund(id("RF"), sale).addLineNumbers(1), ErrorCode.REFUND_EXCEEDS_SALE);
        assertCode(refund(id("RF"), sale).addLineNumbers(3), ErrorCode.REFUND_EXCEEDS_SALE);
        assertCode(refund(refundId, sale).addLineNumbers(2), ErrorCode.REFUND_CONFLICT);
        assertCode(refund(id("RF"), sale).addLineNumbers(0), ErrorCode.INVALID_FIELD);
        assertCode(refund(id("RF"), sale).addLineNumbers(2).addLineNumbers(2),
                ErrorCode.INVALID_FIELD);
        assertCode(refund("", sale), ErrorCode.INVALID_FIELD);
        assertThat(engine.count("select count(*) from sale_refund_line l join sales_order o"
                + " using (order_id) where o.sale_id = '" + sale + "'")).isEqualTo(1);
    }

    private static void assertCode(RefundRequest.Builder request, ErrorCode code) {
        assertThatThrownBy(() -> await(otherTill.refund(request.build())))
                .hasCauseInstanceOf(TerminalErrorException.class)
                .cause().satisfies(error -> assertThat(((TerminalErrorException) error).code())
                        .isEqualTo(code));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
