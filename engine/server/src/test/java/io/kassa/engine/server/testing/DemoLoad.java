package io.kassa.engine.server.testing;

import static io.kassa.engine.server.testing.RawTerminal.line;

import io.kassa.peripherals.sdk.TerminalClient;
import io.kassa.peripherals.sdk.TerminalClientOptions;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A little demo traffic for the ops tests: terminals of a few stores, connected through the
 * SDK with provisioned secrets, doing cash checkouts of a small basket.
 */
public final class DemoLoad implements AutoCloseable {

    private final TestEngine engine;
    private final Vertx vertx = Vertx.vertx();
    private final List<TerminalClient> clients = new ArrayList<>();

    public DemoLoad(TestEngine engine) {
        this.engine = engine;
    }

    /** Connects one terminal of each store (ids T-<store>-ops). */
    public DemoLoad connect(String... storeIds) throws Exception {
        for (String store : storeIds) {
            String terminal = "T-" + store + "-ops";
            TerminalClient client = TerminalClient.create(vertx, new TerminalClientOptions()
                    .setPort(engine.port()).setStoreId(store).setTerminalId(terminal)
                    .setSecret(engine.secret(store, terminal)));
            await(client.connect());
            clients.add(client);
        }
        return this;
    }

    /** {@code count} cash checkouts per connected terminal, all in flight together. */
    public List<CheckoutResponse> checkouts(int count) throws Exception {
        List<Future<CheckoutResponse>> answers = new ArrayList<>();
        for (TerminalClient client : clients) {
            for (int index = 0; index < count; index++) {
                answers.add(client.checkout(CheckoutRequest.newBuilder()
                        .setSaleId("ops-" + UUID.randomUUID().toString().substring(0, 18))
                        .setCurrency("CNY")
                        .addLines(line("bread", "grocery", 1_250, 2))
                        .addTenders(Tender.newBuilder().setType(TenderType.CASH)
                                .setAmountFen(2_500).setReceivedFen(3_000))
                        .build()));
            }
        }
        List<CheckoutResponse> responses = new ArrayList<>();
        for (Future<CheckoutResponse> answer : answers) {
            responses.add(await(answer));
        }
        return responses;
    }

    /** {@code count} quotes of a small basket on the first terminal, one after another. */
    public void quotes(int count) throws Exception {
        for (int index = 0; index < count; index++) {
            await(clients.get(0).quote(io.kassa.protocol.v1.QuoteRequest.newBuilder()
                    .setCurrency("CNY").addLines(line("bread", "grocery", 1_250, 2)).build()));
        }
    }

    /**
     * One member sale on the first terminal: quoted with the member (so the best coupon the
     * member holds applies), then paid in cash for exactly what the quote asks.
     */
    public CheckoutResponse memberCheckout(String memberCode, long grossFen) throws Exception {
        TerminalClient client = clients.get(0);
        io.kassa.protocol.v1.BasketLine basket = line("jacket", "apparel", grossFen, 1);
        long payable = await(client.quote(io.kassa.protocol.v1.QuoteRequest.newBuilder()
                .setCurrency("CNY").setMemberCode(memberCode).addLines(basket).build()))
                .getPayableFen();
        return await(client.checkout(CheckoutRequest.newBuilder()
                .setSaleId("ops-m-" + UUID.randomUUID().toString().substring(0, 16))
                .setCurrency("CNY").setMemberCode(memberCode).addLines(basket)
                .addTenders(Tender.newBuilder().setType(TenderType.CASH)
                        .setAmountFen(payable).setReceivedFen(payable))
                .build()));
    }

    static <T> T await(Future<T> future) throws java.util.concurrent.ExecutionException,
            java.util.concurrent.TimeoutException {
        try {
            return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() throws java.util.concurrent.ExecutionException,
            java.util.concurrent.TimeoutException {
        for (TerminalClient client : clients) {
            await(client.close());
        }
        await(vertx.close());
    }
}
