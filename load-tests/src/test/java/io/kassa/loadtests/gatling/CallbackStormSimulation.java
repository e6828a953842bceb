package io.kassa.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.doIfEqualsOrElse;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.kassa.loadtests.gatling.terminal.TerminalFleet;
import io.kassa.loadtests.inprocess.InProcessKassa;
import io.kassa.peripherals.gateway.GatewaySimulatorOptions;
import io.kassa.peripherals.gateway.TradeSnapshot;
import io.kassa.peripherals.possim.Catalogue;
import io.kassa.peripherals.scanner.PaymentCodeScanner;
import io.kassa.peripherals.scanner.Wallet;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutStatus;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import io.kassa.peripherals.sdk.TerminalClient;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A storm of gateway notifications at a target rate against {@code /callbacks/wechatpay} and
 * {@code /callbacks/alipay}: WeChat Pay v3 style (RSA signature headers over the body, the
 * transaction AES-256-GCM encrypted in the resource) and Alipay RSA2 forms, signed by the
 * gateway simulator's code with its real keys, for trades the engine really holds payment
 * intents of. A fifth of them are bad — forged, tampered with, replayed after the window —
 * and every reply is checked against what the channel must get.
 *
 * <p>Before the storm, the simulation sells {@code -Dkassa.callbacks.trades} (default 100)
 * baskets over the terminal protocol, half paid by WeChat Pay codes, half by Alipay codes, so
 * that the notifications name real intents. The simulator sends no notifications of its own.
 * {@code -Dkassa.callbacks.rate} (notifications/s, default 100), {@code -Dkassa.duration},
 * {@code -Dkassa.ramp}.
 */
public class CallbackStormSimulation extends Simulation {

    private static final double RATE = SimulationParameters.rate("kassa.callbacks.rate", 100);
    private static final int TRADES = SimulationParameters.integer("kassa.callbacks.trades", 100,
            2, 10_000);

    private final InProcessKassa kassa = InProcessKassa.start("gatling_callbacks", 0,
            new GatewaySimulatorOptions().setNotifications(false));
    private final CallbackNotifications notifications =
            new CallbackNotifications(kassa.simulator(), paidTrades());

    private List<TradeSnapshot> paidTrades() {
        try (TerminalFleet fleet = new TerminalFleet(kassa.terminalPort(), 4, 1,
                kassa::secret)) {
            List<Future<?>> connected = new ArrayList<>();
            for (int terminal = 0; terminal < fleet.size(); terminal++) {
                connected.add(fleet.connect(terminal));
            }
            Future.all(connected).await(60, TimeUnit.SECONDS);
            Catalogue catalogue = new Catalogue(5);
            PaymentCodeScanner scanner = new PaymentCodeScanner(5);
            List<Future<?>> sales = new ArrayList<>();
            for (int sale = 0; sale < TRADES; sale++) {
                boolean wechat = sale % 2 == 0;
                String code = scanner.next(wechat ? Wallet.WECHAT_PAY : Wallet.ALIPAY);
                TerminalClient client = fleet.client(sale);
                QuoteRequest quote = QuoteRequest.newBuilder().setCurrency("CNY")
                        .addAllLines(catalogue.nextBasket()).build();
                String saleId = "storm-" + System.currentTimeMillis() + "-" + sale;
                sales.add(client.quote(quote).compose(priced -> client.checkout(
                        CheckoutRequest.newBuilder().setSaleId(saleId).setCurrency("CNY")
                                .addAllLines(quote.getLinesList())
                                .addTenders(Tender.newBuilder()
                                        .setType(wechat ? TenderType.WECHAT_PAY
                                                : TenderType.ALIPAY)
                                        .setAmountFen(priced.getPayableFen())
                                        .setPaymentCode(code))
                                .build()))
                        .map(done -> {
                            if (done.getStatus() != CheckoutStatus.COMMITTED) {
                                throw new IllegalStateException(saleId + " " + done.getStatus());
                            }
                            return done;
                        }));
            }
            Future.all(sales).await(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            kassa.close();
            throw new IllegalStateException("the storm's trades could not be made", e);
        }
        return kassa.simulator().trades().stream().filter(TradeSnapshot::paid).toList();
    }

    {
        HttpProtocolBuilder callbacks = http.baseUrl(kassa.httpBaseUrl())
                .disableWarmUp().disableCaching();

        ScenarioBuilder storm = scenario("gateway callback storm")
                .feed(notifications)
                .exec(doIfEqualsOrElse("#{channel}", "wechatpay")
                        .then(http("#{requestName}").post("/callbacks/wechatpay")
                                .header("Content-Type", "#{contentType}")
                                .header("Wechatpay-Timestamp", "#{Wechatpay-Timestamp}")
                                .header("Wechatpay-Nonce", "#{Wechatpay-Nonce}")
                                .header("Wechatpay-Signature", "#{Wechatpay-Signature}")
                                .header("Wechatpay-Serial", "#{Wechatpay-Serial}")
                                .body(StringBody(session -> session.getString("body")))
                                .check(status().is(session -> session.getInt("expectedStatus")))
                                .checkIf(session -> session.getInt("expectedStatus") >= 300)
                                .then(jsonPath("$.code").is("FAIL")))
                        .orElse(http("#{requestName}").post("/callbacks/alipay")
                                .header("Content-Type", "#{contentType}")
                                .body(StringBody(session -> session.getString("body")))
                                .check(status().is(session -> session.getInt("expectedStatus")),
                                        bodyString().is(session ->
                                                session.getInt("expectedStatus") == 200
                                                        ? "success" : "failure"))));

        setUp(storm.injectOpen(
                rampUsersPerSec(1).to(RATE).during(Math.max(1, SimulationParameters.rampSeconds())),
                constantUsersPerSec(RATE).during(SimulationParameters.durationSeconds())
                        .randomized()))
                .protocols(callbacks)
                .assertions(global().failedRequests().count().is(0L));
    }

    @Override
    public void after() {
        try {
            System.out.printf("callback storm: %d paid trades; the engine recorded %d"
                    + " notifications%n", TRADES,
                    kassa.count("select count(*) from payment_notification"));
        } finally {
            kassa.close();
        }
    }
}
