package io.kassa.engine.server.checkout;

import static io.kassa.engine.server.testing.RawTerminal.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.engine.server.testing.TestEngine;
import io.kassa.peripherals.sdk.TerminalClient;
import io.kassa.peripherals.sdk.TerminalClientOptions;
import io.kassa.peripherals.sdk.TerminalErrorException;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.CheckoutStatus;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import io.kassa.protocol.v1.Welcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A checkout end to end — terminal SDK over TCP to the engine, into PostgreSQL — and its
 * idempotency: a retried sale answers the same and writes nothing twice, also when the retries
 * race each other on separate connections. Assertions read the rows PostgreSQL holds.
 */
class CheckoutEndToEndTest {

    private static TestEngine engine;
    private static Vertx terminals;

    @BeforeAll
    static void start() {
        engine = TestEngine.start("e2e");
        terminals = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        await(terminals.close());
        engine.close();
    }

    @Test
    void quoteThenCashCheckoutLandsInPostgresBalanced() throws Exception {
        TerminalClient client = connect("S001", "T-S001-1");
        Welcome welcome = client.welcome();
        assertThat(welcome.getProtocolVersion()).isEqualTo(1);
        assertThat(welcome.getNodeId()).isEqualTo("test-node");

        QuoteResponse quote = await(client.quote(QuoteRequest.newBuilder().setCurrency("CNY")
                .addLines(line("jacket", "apparel", 19_900, 1))
                .addLines(line("milk", "dairy", 250, 3)).build()));
        assertThat(quote.getSubtotalFen()).isEqualTo(20_650);
        assertThat(quote.getPayableFen()).isEqualTo(20_650);
        assertThat(quote.getLinesList()).extracting(l -> l.getNetFen())
                .containsExactly(19_900L, 750L);

        CheckoutResponse response = await(client.checkout(
                sale("sale-e2e-1", quote.getPayableFen(), 30_000)));
        assertThat(response.getStatus()).isEqualTo(CheckoutStatus.COMMITTED);
        assertThat(response.getPayableFen()).isEqualTo(20_650);
        assertThat(response.getChangeFen()).isEqualTo(9_350);
        assertThat(response.getReplayed()).isFalse();

        String order = "'" + response.getOrderId() + "'";
        assertThat(engine.count("select payable_fen from sales_order where order_id = " + order))
                .isEqualTo(20_650);
        assertThat(engine.count("select count(*) from order_line where order_id = " + order))
                .isEqualTo(2);
        assertThat(engine.count("select sum(amount_fen) from order_tender where order_id = "
                + order)).isEqualTo(20_650);
        assertThat(engine.count("select count(*) from ledger_entry e join ledger_transaction t"
                + " using (transaction_id) where t.order_id = " + order)).isEqualTo(2);
        assertThat(engine.count("select sum(amount) from ledger_entry e join"
                + " ledger_transaction t using (transaction_id) where t.order_id = " + order))
                .isZero();
        assertThat(engine.count("select amount from ledger_entry e join ledger_transaction t"
                + " using (transaction_id) where t.order_id = " + order
                + " and account = 'store/S001/tender/CASH'")).isEqualTo(20_650);
        await(client.close());
    }

    @Test
    void retriedCheckoutAnswersTheSameAndWritesOnce() throws Exception {
        TerminalClient client = connect("S001", "T-S001-2");
        CheckoutResponse first = await(client.checkout(sale("sale-retry", 20_650, 20_650)));
        await(client.close());

        TerminalClient reconnected = connect("S001", "T-S001-2");
        CheckoutResponse retry = await(reconnected.checkout(sale("sale-retry", 20_650, 20_650)));
        assertThat(retry.getReplayed()).isTrue();
        assertThat(retry.toBuilder().setReplayed(false).build()).isEqualTo(first);
        assertThat(engine.count("select count(*) from sales_order where sale_id = 'sale-retry'"))
                .isEqualTo(1);
        assertThat(engine.count("select count(*) from ledger_transaction t join sales_order o"
                + " using (order_id) where o.sale_id = 'sale-retry'")).isEqualTo(1);
        await(reconnected.close());
    }

    @Test
    void sameSaleIdWithAnotherBasketIsAConflict() throws Exception {
        TerminalClient client = connect("S001", "T-S001-3");
        await(client.checkout(sale("sale-conflict", 20_650, 20_650)));
        CheckoutRequest other = CheckoutRequest.newBuilder().setSaleId("sale-conflict")
                .setCurrency("CNY").addLines(line("milk", "dairy", 250, 1))
                .addTenders(cash(250, 250)).build();
        assertThatThrownBy(() -> await(client.checkout(other)))
                .hasCauseInstanceOf(TerminalErrorException.class)
                .satisfies(e -> assertThat(((TerminalErrorException) e.getCause()).code())
                        .isEqualTo(ErrorCode.SALE_CONFLICT));
        assertThat(engine.count(
                "select count(*) from sales_order where sale_id = 'sale-conflict'")).isEqualTo(1);
        await(client.close());
    }

    @Test
    void sameSaleIdAtAnotherTerminalIsAnotherSale() throws Exception {
        TerminalClient first = connect("S002", "T-S002-1");
        TerminalClient second = connect("S002", "T-S002-2");
        CheckoutResponse a = await(first.checkout(sale("sale-7", 20_650, 20_650)));
        CheckoutResponse b = await(second.checkout(sale("sale-7", 20_650, 20_650)));
        assertThat(a.getOrderId()).isNotEqualTo(b.getOrderId());
        assertThat(b.getReplayed()).isFalse();
        await(first.close());
        await(second.close());
    }

    @Test
    void racingRetriesOnSeparateConnectionsCommitOnce() throws Exception {
        int connections = 8;
        List<TerminalClient> clients = new ArrayList<>();
        for (int index = 0; index < connections; index++) {
            clients.add(connect("store-003", "T-store-003-1"));
        }
        List<Future<CheckoutResponse>> answers = new ArrayList<>();
        for (TerminalClient client : clients) {
            answers.add(client.checkout(sale("sale-race", 20_650, 20_650)));
        }
        List<CheckoutResponse> responses = new ArrayList<>();
        for (Future<CheckoutResponse> answer : answers) {
            responses.add(await(answer));
        }
        assertThat(responses).extracting(CheckoutResponse::getOrderId).containsOnly(
                responses.get(0).getOrderId());
        assertThat(responses).filteredOn(r -> !r.getReplayed()).hasSize(1);
        assertThat(engine.count("select count(*) from sales_order where sale_id = 'sale-race'"))
                .isEqualTo(1);
        assertThat(engine.count("select count(*) from order_line l join sales_order o"
                + " using (order_id) where o.sale_id = 'sale-race'")).isEqualTo(2);
        for (TerminalClient client : clients) {
            await(client.close());
        }
    }

    private static TerminalClient connect(String storeId, String terminalId) throws Exception {
        TerminalClient client = TerminalClient.create(terminals, new TerminalClientOptions()
                .setPort(engine.port()).setStoreId(storeId).setTerminalId(terminalId)
                .setSecret(engine.secret(storeId, terminalId)));
        await(client.connect());
        return client;
    }

    private static CheckoutRequest sale(String saleId, long payableFen, long receivedFen) {
        return CheckoutRequest.newBuilder().setSaleId(saleId).setCurrency("CNY")
                .addLines(line("jacket", "apparel", 19_900, 1))
                .addLines(line("milk", "dairy", 250, 3))
                .addTenders(cash(payableFen, receivedFen)).build();
    }

    private static Tender cash(long amountFen, long receivedFen) {
        return Tender.newBuilder().setType(TenderType.CASH).setAmountFen(amountFen)
                .setReceivedFen(receivedFen).build();
    }

    static <T> T await(Future<T> future) throws ExecutionException, InterruptedException,
            java.util.concurrent.TimeoutException {
        return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }
}
