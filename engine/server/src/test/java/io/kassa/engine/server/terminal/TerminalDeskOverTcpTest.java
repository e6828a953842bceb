package io.kassa.engine.server.terminal;

import static io.kassa.engine.server.testing.RawTerminal.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.engine.server.postgres.PgInvariants;
import io.kassa.engine.server.testing.TestEngine;
import io.kassa.engine.server.testing.TestServices;
import io.kassa.peripherals.sdk.TerminalClient;
import io.kassa.peripherals.sdk.TerminalClientOptions;
import io.kassa.peripherals.sdk.TerminalErrorException;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.MemberLookupRequest;
import io.kassa.protocol.v1.MemberLookupResponse;
import io.kassa.protocol.v1.PaymentStatusRequest;
import io.kassa.protocol.v1.PaymentStatusResponse;
import io.kassa.protocol.v1.SaleState;
import io.kassa.protocol.v1.ShiftTotalsRequest;
import io.kassa.protocol.v1.ShiftTotalsResponse;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderTotal;
import io.kassa.protocol.v1.TenderType;
import io.kassa.protocol.v1.TopUpRequest;
import io.kassa.protocol.v1.TopUpResponse;
import io.kassa.protocol.v1.VoidRequest;
import io.kassa.protocol.v1.VoidResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Member lookup, payment status, void, top-up and shift totals over the wire: terminal SDK to
 * engine to the real PostgreSQL and Redis. Each answer is checked against what PostgreSQL then
 * holds, each bad input against its error code, and the money invariants after every test.
 */
class TerminalDeskOverTcpTest {

    /** Member ids unique to this run: the local Redis outlives test runs. */
    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static final String LOOKED_UP = "ML-" + RUN;
    private static final String TOPPED_UP = "MT-" + RUN;
    private static final String SHIFT_MEMBER = "MS-" + RUN;
    private static final ZoneId STORE_ZONE = ZoneId.of("Asia/Shanghai");

    private static TestEngine engine;
    private static Vertx terminals;
    private static TerminalClient client;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.start("desk_tcp");
        terminals = Vertx.vertx();
        LocalDate today = LocalDate.now(STORE_ZONE);
        try (Connection connection = TestServices.jdbc(engine.schema());
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("insert into member (member_id, member_code, phone, tier,"
                    + " tier_rank, lifetime_earned_points) values ('" + LOOKED_UP + "',"
                    + " 'code-" + LOOKED_UP + "', '139" + RUN.substring(RUN.length() - 8)
                    + "', 'SILVER', 1, 2400)");
            statement.executeUpdate("insert into stored_value_balance values ('" + LOOKED_UP
                    + "', 20000)");
            opening(statement, "member/" + LOOKED_UP + "/stored_value", 20_000, "CNY");
            opening(statement, "member/" + LOOKED_UP + "/points", 5_500, "POINTS");
            lot(statement, LOOKED_UP, "soon-a", 300, today.plusDays(10));
            lot(statement, LOOKED_UP, "soon-b", 200, today.plusDays(10));
            lot(statement, LOOKED_UP, "later", 5000, today.plusMonths(6));
            coupon(statement, "CU-" + RUN, LOOKED_UP, "AVAILABLE", "now() + interval '20 days'");
            coupon(statement, "CX-" + RUN, LOOKED_UP, "AVAILABLE", "now() - interval '1 hour'");
            statement.executeUpdate("insert into member (member_id, member_code, phone)"
                    + " values ('" + TOPPED_UP + "', 'code-" + TOPPED_UP + "', null)");
            statement.executeUpdate("insert into stored_value_balance values ('" + TOPPED_UP
                    + "', 5000)");
            opening(statement, "member/" + TOPPED_UP + "/stored_value", 5_000, "CNY");
            statement.executeUpdate("insert into member (member_id, member_code) values ('"
                    + SHIFT_MEMBER + "', 'code-" + SHIFT_MEMBER + "')");
        }
        client = connect("T-desk");
    }

    @AfterAll
    static void stop() throws Exception {
        await(client.close());
        await(terminals.close());
        engine.close();
    }

    @AfterEach
    void moneyInvariantsHold() throws Exception {
        assertThat(await(new PgInvariants(engine.engine().pool()).check())).isEmpty();
    }

    @Test
    void memberLookupShowsBalancesTierExpiringPointsAndUsableCouponsWithThePhoneMasked()
            throws Exception {
        MemberLookupResponse member = await(client.lookupMember(MemberLookupRequest
                .newBuilder().setMemberCode("code-" + LOOKED_UP).build()));

        assertThat(member.getMemberId()).isEqualTo(LOOKED_UP);
        assertThat(member.getPhoneMasked())
                .isEqualTo("139****" + RUN.substring(RUN.length() - 4));
        assertThat(member.getTier()).isEqualTo("SILVER");
        assertThat(member.getLifetimePoints()).isEqualTo(2400);
        assertThat(member.getNextTier()).isEqualTo("GOLD");
        assertThat(member.getPointsToNextTier()).isEqualTo(10_000 - 2_400);
        assertThat(member.getPointsBalance()).isEqualTo(5_500);
        assertThat(member.getStoredValueFen()).isEqualTo(20_000);
        assertThat(member.getExpiringPointsList()).singleElement().satisfies(expiring -> {
            assertThat(expiring.getPoints()).isEqualTo(500);
            assertThat(expiring.getExpiresOn())
                    .isEqualTo(LocalDate.now(STORE_ZONE).plusDays(10).toString());
        });
        // The expired coupon is not usable; the valid one is, with its template's terms.
        assertThat(member.getCouponsList()).singleElement().satisfies(coupon -> {
            assertThat(coupon.getCouponId()).isEqualTo("CU-" + RUN);
            assertThat(coupon.getTemplateId()).isEqualTo("cut-100-20");
            assertThat(coupon.getKind()).isEqualTo("THRESHOLD_CUT");
            assertThat(coupon.getThresholdFen()).isEqualTo(10_000);
        });

        String phone = "139" + RUN.substring(RUN.length() - 8);
        assertThat(await(client.lookupMember(MemberLookupRequest.newBuilder()
                .setMemberCode(phone).build())).getMemberId()).isEqualTo(LOOKED_UP);
        assertCode(client.lookupMember(MemberLookupRequest.newBuilder()
                .setMemberCode("nobody-" + RUN).build()), ErrorCode.UNKNOWN_MEMBER);
        assertCode(client.lookupMember(MemberLookupRequest.getDefaultInstance()),
                ErrorCode.INVALID_FIELD);
    }

    @Test
    void paymentStatusTellsCommittedUnknownAndVoidedSalesApart() throws Exception {
        CheckoutResponse sold = await(client.checkout(cashSale("st-sold-" + RUN, 2_500)));

        PaymentStatusResponse committed = await(status("st-sold-" + RUN));
        assertThat(committed.getState()).isEqualTo(SaleState.SALE_COMMITTED);
        assertThat(committed.getCheckout().getOrderId()).isEqualTo(sold.getOrderId());
        assertThat(committed.getCheckout().getPayableFen()).isEqualTo(2_500);
        assertThat(committed.getCheckout().getReplayed()).isTrue();
        assertThat(committed.getPaymentsList()).isEmpty();

        assertThat(await(status("st-never-" + RUN)).getState()).isEqualTo(SaleState.SALE_UNKNOWN);

        await(client.voidSale(VoidRequest.newBuilder().setSaleId("st-void-" + RUN).build()));
        assertThat(await(status("st-void-" + RUN)).getState()).isEqualTo(SaleState.SALE_VOIDED);

        assertCode(client.paymentStatus(PaymentStatusRequest.getDefaultInstance()),
                ErrorCode.INVALID_FIELD);
    }

    @Test
    void aVoidIsIdempotentSpendsTheSaleIdAndNeverUndoesACommittedSale() throws Exception {
        String saleId = "void-" + RUN;
        VoidResponse first = await(client.voidSale(VoidRequest.newBuilder().setSaleId(saleId)
                .setReason("customer left").build()));
        assertThat(first.getReplayed()).isFalse();
        assertThat(first.getVoidedAtMillis()).isPositive();
        VoidResponse again = await(client.voidSale(VoidRequest.newBuilder().setSaleId(saleId)
                .build()));
        assertThat(again.getReplayed()).isTrue();
        assertThat(again.getVoidedAtMillis()).isEqualTo(first.getVoidedAtMillis());
        assertThat(engine.count("select count(*) from sale_void where sale_id = '" + saleId
                + "' and reason = 'customer left'")).isEqualTo(1);

        // The sale id is spent: a checkout of it never commits.
        assertCode(client.checkout(cashSale(saleId, 1_000)), ErrorCode.SALE_ABANDONED);
        assertThat(engine.count("select count(*) from sales_order where sale_id = '" + saleId
                + "' and status = 'COMMITTED'")).isZero();

        String soldId = "void-sold-" + RUN;
        await(client.checkout(cashSale(soldId, 1_200)));
        assertCode(client.voidSale(VoidRequest.newBuilder().setSaleId(soldId).build()),
                ErrorCode.SALE_ALREADY_COMMITTED);
        assertThat(await(status(soldId)).getState()).isEqualTo(SaleState.SALE_COMMITTED);
        assertThat(engine.count("select count(*) from sale_void where sale_id = '" + soldId
                + "'")).isZero();

        assertCode(client.voidSale(VoidRequest.newBuilder().setSaleId(saleId)
                .setReason("x".repeat(129)).build()), ErrorCode.INVALID_FIELD);
    }

    @Test
    void topUpCreditsTheBonusOnceAndTheHotCopyAtOnce() throws Exception {
        String code = "code-" + TOPPED_UP;
        // Loads the member into the hot copy, so that a stale copy would show.
        assertThat(await(client.lookupMember(MemberLookupRequest.newBuilder()
                .setMemberCode(code).build())).getStoredValueFen()).isEqualTo(5_000);
        TopUpRequest request = TopUpRequest.newBuilder().setTopUpId("tu-" + RUN)
                .setMemberCode(code).setCurrency("CNY")
                .setTender(Tender.newBuilder().setType(TenderType.CASH).setAmountFen(10_000)
                        .setReceivedFen(15_000))
                .build();

        TopUpResponse topUp = await(client.topUp(request));

        // Top up 100.00, get 20.00: the demo chain's bonus rule.
        assertThat(topUp.getMemberId()).isEqualTo(TOPPED_UP);
        assertThat(topUp.getAmountFen()).isEqualTo(10_000);
        assertThat(topUp.getBonusFen()).isEqualTo(2_000);
        assertThat(topUp.getStoredValueFen()).isEqualTo(17_000);
        assertThat(topUp.getChangeFen()).isEqualTo(5_000);
        assertThat(topUp.getReplayed()).isFalse();
        assertThat(engine.count("select balance_fen from stored_value_balance where member_id"
                + " = '" + TOPPED_UP + "'")).isEqualTo(17_000);
        assertThat(engine.count("select count(*) from ledger_entry where transaction_id = '"
                + topUp.getTransactionId() + "' and account in ('member/" + TOPPED_UP
                + "/stored_value', 'store/S001/tender/CASH', 'chain/stored_value_bonus')"))
                .isEqualTo(3);
        MemberLookupResponse after = await(client.lookupMember(MemberLookupRequest.newBuilder()
                .setMemberCode(code).build()));
        assertThat(after.getStoredValueFen()).isEqualTo(17_000);

        TopUpResponse retried = await(client.topUp(request));
        assertThat(retried.getReplayed()).isTrue();
        assertThat(retried.getTransactionId()).isEqualTo(topUp.getTransactionId());
        assertThat(retried.getStoredValueFen()).isEqualTo(17_000);
        assertThat(engine.count("select balance_fen from stored_value_balance where member_id"
                + " = '" + TOPPED_UP + "'")).isEqualTo(17_000);

        // The customer pays with it at once.
        CheckoutResponse paid = await(client.checkout(CheckoutRequest.newBuilder()
                .setSaleId("tu-pay-" + RUN).setCurrency("CNY").setMemberCode(code)
                .addLines(line("tea", "grocery", 16_000, 1))
                .addTenders(Tender.newBuilder().setType(TenderType.STORED_VALUE)
                        .setAmountFen(16_000))
                .build()));
        assertThat(paid.getPayableFen()).isEqualTo(16_000);
    }

    @Test
    void eachTopUpMistakeGetsItsOwnCodeAndRecordsNothing() throws Exception {
        String code = "code-" + TOPPED_UP;
        TopUpRequest valid = TopUpRequest.newBuilder().setTopUpId("tu-bad-" + RUN)
                .setMemberCode(code).setCurrency("CNY")
                .setTender(Tender.newBuilder().setType(TenderType.BANK_CARD).setAmountFen(5_000)
                        .setApprovalCode("APPROVED-42"))
                .build();
        assertThat(await(client.topUp(valid)).getBonusFen()).isZero();

        assertCode(client.topUp(valid.toBuilder().setTender(valid.getTender().toBuilder()
                .setAmountFen(5_001)).build()), ErrorCode.TOP_UP_CONFLICT);
        assertCode(client.topUp(valid.toBuilder().setTopUpId("tu-nobody-" + RUN)
                .setMemberCode("nobody-" + RUN).build()), ErrorCode.UNKNOWN_MEMBER);
        assertCode(client.topUp(valid.toBuilder().setTopUpId("tu-short-" + RUN)
                .setTender(Tender.newBuilder().setType(TenderType.CASH).setAmountFen(5_000)
                        .setReceivedFen(4_999)).build()), ErrorCode.TENDER_MISMATCH);
        assertCode(client.topUp(valid.toBuilder().setTopUpId("tu-sv-" + RUN)
                .setTender(Tender.newBuilder().setType(TenderType.STORED_VALUE)
                        .setAmountFen(5_000)).build()), ErrorCode.UNSUPPORTED_TENDER);
        assertCode(client.topUp(valid.toBuilder().setTopUpId("tu-card-" + RUN)
                .setTender(valid.getTender().toBuilder().clearApprovalCode()).build()),
                ErrorCode.INVALID_FIELD);
        assertCode(client.topUp(valid.toBuilder().setTopUpId("tu-big-" + RUN)
                .setTender(valid.getTender().toBuilder().setAmountFen(5_000_001)).build()),
                ErrorCode.INVALID_AMOUNT);
        assertCode(client.topUp(valid.toBuilder().setTopUpId("tu-eur-" + RUN)
                .setCurrency("EUR").build()), ErrorCode.UNSUPPORTED_CURRENCY);
        assertThat(engine.count("select count(*) from terminal_top_up where top_up_id like"
                + " 'tu-%' and top_up_id <> 'tu-bad-" + RUN + "' and top_up_id <> 'tu-" + RUN
                + "'")).isZero();
    }

    @Test
    void shiftTotalsCountTheTerminalsSalesVoidsAndTopUpsAndCloseIdempotently()
            throws Exception {
        TerminalClient shift = connect("T-shift");
        try {
            await(shift.checkout(cashSale("sh-1-" + RUN, 8_400).toBuilder()
                    .setTenders(0, Tender.newBuilder().setType(TenderType.CASH)
                            .setAmountFen(8_400).setReceivedFen(10_000)).build()));
            await(shift.checkout(cashSale("sh-2-" + RUN, 1_250)));
            await(shift.checkout(CheckoutRequest.newBuilder().setSaleId("sh-3-" + RUN)
                    .setCurrency("CNY").addLines(line("milk", "grocery", 3_000, 1))
                    .addTenders(Tender.newBuilder().setType(TenderType.BANK_CARD)
                            .setAmountFen(3_000).setApprovalCode("APPROVED-7"))
                    .build()));
            await(shift.voidSale(VoidRequest.newBuilder().setSaleId("sh-4-" + RUN).build()));
            await(shift.topUp(TopUpRequest.newBuilder().setTopUpId("sh-tu-" + RUN)
                    .setMemberCode("code-" + SHIFT_MEMBER).setCurrency("CNY")
                    .setTender(Tender.newBuilder().setType(TenderType.BANK_CARD)
                            .setAmountFen(50_000).setApprovalCode("APPROVED-8"))
                    .build()));
            // Another terminal's sale is not this terminal's business.
            await(client.checkout(cashSale("sh-other-" + RUN, 999)));

            ShiftTotalsResponse open = await(shift.shiftTotals(
                    ShiftTotalsRequest.getDefaultInstance()));
            assertThat(open.getSales()).isEqualTo(3);
            assertThat(open.getSalesFen()).isEqualTo(8_400 + 1_250 + 3_000);
            assertThat(open.getChangeFen()).isEqualTo(1_600);
            assertThat(open.getTendersList()).containsExactly(
                    total(TenderType.BANK_CARD, 1, 3_000),
                    total(TenderType.CASH, 2, 9_650));
            assertThat(open.getVoids()).isEqualTo(1);
            assertThat(open.getTopUps()).isEqualTo(1);
            assertThat(open.getTopUpsFen()).isEqualTo(50_000);
            assertThat(open.getTopUpBonusFen()).isEqualTo(12_000);
            assertThat(open.getTopUpTendersList())
                    .containsExactly(total(TenderType.BANK_CARD, 1, 50_000));
            assertThat(open.getRefunds()).isZero();
            assertThat(open.getClosedShiftId()).isEmpty();
            // Without an earlier close, the window starts at the store's midnight.
            assertThat(open.getFromMillis()).isEqualTo(LocalDate.now(STORE_ZONE)
                    .atStartOfDay(STORE_ZONE).toInstant().toEpochMilli());

            ShiftTotalsResponse closed = await(shift.shiftTotals(ShiftTotalsRequest
                    .newBuilder().setCloseShiftId("early-" + RUN).build()));
            assertThat(closed.getClosedShiftId()).isEqualTo("early-" + RUN);
            assertThat(closed.getReplayed()).isFalse();
            assertThat(closed.getSales()).isEqualTo(3);
            ShiftTotalsResponse closedAgain = await(shift.shiftTotals(ShiftTotalsRequest
                    .newBuilder().setCloseShiftId("early-" + RUN).build()));
            assertThat(closedAgain.getReplayed()).isTrue();
            assertThat(closedAgain.getUntilMillis()).isEqualTo(closed.getUntilMillis());
            assertThat(closedAgain.getSales()).isEqualTo(3);
            assertCode(shift.shiftTotals(ShiftTotalsRequest.newBuilder()
                    .setCloseShiftId("early-" + RUN).setFromMillis(closed.getFromMillis() + 1)
                    .build()), ErrorCode.SHIFT_CONFLICT);

            // The next shift starts where the closed one ended.
            await(shift.checkout(cashSale("sh-5-" + RUN, 700)));
            ShiftTotalsResponse next = await(shift.shiftTotals(
                    ShiftTotalsRequest.getDefaultInstance()));
            assertThat(next.getFromMillis()).isEqualTo(closed.getUntilMillis());
            assertThat(next.getSales()).isEqualTo(1);
            assertThat(next.getSalesFen()).isEqualTo(700);
            assertThat(next.getVoids()).isZero();
            assertThat(next.getTopUps()).isZero();

            // An explicit window: the first three sales only.
            ShiftTotalsResponse window = await(shift.shiftTotals(ShiftTotalsRequest.newBuilder()
                    .setFromMillis(open.getFromMillis()).setUntilMillis(closed.getUntilMillis())
                    .build()));
            assertThat(window.getSales()).isEqualTo(3);

            assertCode(shift.shiftTotals(ShiftTotalsRequest.newBuilder().setFromMillis(2_000)
                    .setUntilMillis(1_000).build()), ErrorCode.INVALID_FIELD);
            // Until before the last close: an empty window.
            assertCode(shift.shiftTotals(ShiftTotalsRequest.newBuilder()
                    .setUntilMillis(closed.getUntilMillis() - 1).build()),
                    ErrorCode.INVALID_FIELD);
        } finally {
            await(shift.close());
        }
    }

    private static TenderTotal total(TenderType type, int count, long amountFen) {
        return TenderTotal.newBuilder().setType(type).setCount(count).setAmountFen(amountFen)
                .build();
    }

    private static TerminalClient connect(String terminalId) throws Exception {
        TerminalClient connected = TerminalClient.create(terminals, new TerminalClientOptions()
                .setPort(engine.port()).setStoreId("S001").setTerminalId(terminalId)
                .setSecret(engine.secret("S001", terminalId)).setRequestTimeoutMillis(20_000));
        await(connected.connect());
        return connected;
    }

    private static Future<PaymentStatusResponse> status(String saleId) {
        return client.paymentStatus(PaymentStatusRequest.newBuilder().setSaleId(saleId).build());
    }

    private static CheckoutRequest cashSale(String saleId, long fen) {
        return CheckoutRequest.newBuilder().setSaleId(saleId).setCurrency("CNY")
                .addLines(line("rice-" + fen, "grocery", fen, 1))
                .addTenders(Tender.newBuilder().setType(TenderType.CASH).setAmountFen(fen)
                        .setReceivedFen(fen))
                .build();
    }

    /** The ledger's side of a seeded balance, so that the money invariants hold from the start. */
    private static void opening(Statement statement, String account, long amount, String unit)
            throws java.sql.SQLException {
        String transaction = java.util.UUID.randomUUID().toString();
        statement.executeUpdate("insert into ledger_transaction (transaction_id, kind,"
                + " created_at) values ('" + transaction + "', 'OPENING', now())");
        statement.executeUpdate("insert into ledger_entry (transaction_id, entry_number,"
                + " account, amount, unit) values ('" + transaction + "', 1, '" + account
                + "', " + (-amount) + ", '" + unit + "'), ('" + transaction
                + "', 2, 'chain/opening', " + amount + ", '" + unit + "')");
    }

    private static void lot(Statement statement, String memberId, String lotId, long points,
            LocalDate expiresOn) throws java.sql.SQLException {
        statement.executeUpdate("insert into points_lot (lot_id, member_id, points_remaining,"
                + " earned_on, expires_on) values ('" + lotId + "-" + RUN + "', '" + memberId
                + "', " + points + ", '" + expiresOn.minusYears(1) + "', '" + expiresOn + "')");
    }

    private static void coupon(Statement statement, String couponId, String memberId,
            String state, String validUntil) throws java.sql.SQLException {
        statement.executeUpdate("insert into coupon (coupon_id, template_id, member_id, state,"
                + " valid_from, valid_until) values ('" + couponId + "', 'cut-100-20', '"
                + memberId + "', '" + state + "', now() - interval '2 days', " + validUntil
                + ")");
    }

    private static void assertCode(Future<?> answer, ErrorCode code) {
        assertThatThrownBy(() -> await(answer)).cause()
                .isInstanceOf(TerminalErrorException.class)
                .satisfies(error -> assertThat(((TerminalErrorException) error).code())
                        .isEqualTo(code));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
