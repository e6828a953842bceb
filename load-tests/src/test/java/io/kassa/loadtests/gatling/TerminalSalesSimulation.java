package io.kassa.loadtests.gatling;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.kassa.loadtests.SaleMix;
import io.kassa.loadtests.gatling.terminal.KassaTerminal;
import io.kassa.loadtests.gatling.terminal.TerminalFleet;
import io.kassa.loadtests.inprocess.InProcessKassa;
import io.kassa.peripherals.gateway.GatewaySimulatorOptions;
import io.kassa.peripherals.possim.Catalogue;
import io.kassa.peripherals.scanner.PaymentCodeScanner;
import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.CheckoutStatus;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.RefundRequest;
import io.kassa.protocol.v1.Tender;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The terminal protocol under an open model: terminals come online (Hello, authentication,
 * Welcome: one persistent connection each), then sales arrive at a target rate whatever the
 * engine's answers — each a quote of a catalogue basket and a checkout with the load
 * generator's realistic mix (members, points, split tender, scanned codes; 2% refunded whole
 * right after) — spread over the terminals' connections, many in flight per connection.
 * Code sales are a request of their
 * own in the report: the gateway simulator asks every one for a password (USERPAYING), so
 * they take seconds by design.
 *
 * <p>Starts its own engine and gateway simulator in this JVM ({@link InProcessKassa}).
 * {@code -Dkassa.terminal.rate} (sales/s, default 50), {@code -Dkassa.terminals} (default 50),
 * {@code -Dkassa.members} (default 500), {@code -Dkassa.duration}, {@code -Dkassa.ramp}.
 */
public class TerminalSalesSimulation extends Simulation {

    private static final double RATE = SimulationParameters.rate("kassa.terminal.rate", 50);
    private static final int TERMINALS = SimulationParameters.integer("kassa.terminals", 50, 1,
            10_000);
    private static final int STORES = Math.max(1, TERMINALS / 5);
    private static final int MEMBERS = SimulationParameters.integer("kassa.members", 500, 0,
            9_999);
    /** The simulated customer types the password within a second. */
    private static final long PASSWORD_MILLIS = 1_000;
    /** Sale ids of one run differ from any earlier run's on the same database. */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    private final InProcessKassa kassa = InProcessKassa.start("gatling_terminal", MEMBERS,
            new GatewaySimulatorOptions().setUserPayingShare(1.0)
                    .setUserPasswordMillis(PASSWORD_MILLIS));
    private final TerminalFleet fleet = new TerminalFleet(kassa.terminalPort(), TERMINALS,
            STORES, kassa::secret);
    private final SaleSource sales = new SaleSource(MEMBERS);
    private final AtomicLong terminalsOnline = new AtomicLong();
    private final AtomicLong salesArrived = new AtomicLong();

    /**
     * Baskets and mix draws shared by all virtual users: drawn under a lock, in sequence. A
     * member in a sale is not drawn again until that sale ends (a person is at one till).
     */
    static final class SaleSource {
        private final Catalogue catalogue = new Catalogue(42);
        private final SplittableRandom random = new SplittableRandom(7);
        private final PaymentCodeScanner scanner = new PaymentCodeScanner(11);
        private final Set<String> membersInSale = new HashSet<>();
        private final int members;

        SaleSource(int members) {
            this.members = members;
        }

        synchronized Session next(Session session) {
            SaleMix.Draw draw = SaleMix.draw(random, members, scanner,
                    SaleMix.USERPAYING_PERCENT, SaleMix.REFUND_PERCENT, membersInSale::contains);
            if (!draw.memberCode().isEmpty()) {
                membersInSale.add(draw.memberCode());
            }
            return session.set("basket", catalogue.nextBasket()).set("draw", draw);
        }

        synchronized Session done(Session session) {
            membersInSale.remove(session.<SaleMix.Draw>get("draw").memberCode());
            return session;
        }
    }

    {
        ScenarioBuilder online = scenario("terminals come online")
                .exec(session -> session.set(KassaTerminal.TERMINAL,
                        terminalsOnline.getAndIncrement()))
                .exec(KassaTerminal.connect(fleet));

        ScenarioBuilder sale = scenario("sales")
                .exec(session -> sales.next(session.set(KassaTerminal.TERMINAL,
                        salesArrived.getAndIncrement())))
                .exec(KassaTerminal.quote(fleet, "quote", TerminalSalesSimulation::quote))
                // A refused quote (KO in the report) has no checkout.
                .doIf(session -> session.contains(KassaTerminal.QUOTE)).then(
                        exec(session -> session.set("tenders", SaleMix.tenders(
                                session.get("draw"), session.get(KassaTerminal.QUOTE),
                                session.userId())))
                        .exec(doIfOrElse(session -> SaleMix.paysByCode(session.get("tenders")))
                                .then(KassaTerminal.checkout(fleet,
                                        "checkout, scanned code (USERPAYING)",
                                        TerminalSalesSimulation::checkout))
                                .orElse(KassaTerminal.checkout(fleet, "checkout",
                                        TerminalSalesSimulation::checkout))))
                // 2% of sales come back: refunded whole at the till that sold them.
                // A sale its coupons paid in full took no money: none to return.
                .doIf(session -> session.<SaleMix.Draw>get("draw").refund()
                        && session.contains(KassaTerminal.CHECKOUT)
                        && !session.<List<Tender>>get("tenders").isEmpty()
                        && session.<CheckoutResponse>get(KassaTerminal.CHECKOUT).getStatus()
                                == CheckoutStatus.COMMITTED)
                .then(exec(KassaTerminal.refund(fleet, "refund (whole sale)",
                        session -> RefundRequest.newBuilder()
                                .setRefundId(saleId(session) + "-R").setSaleId(saleId(session))
                                .setReason("load test: the goods came back").build())))
                .exec(sales::done);

        int ramp = SimulationParameters.rampSeconds();
        setUp(online.injectOpen(rampUsers(TERMINALS).during(Math.max(1, TERMINALS / 50)))
                .andThen(sale.injectOpen(
                        rampUsersPerSec(1).to(RATE).during(Math.max(1, ramp)),
                        constantUsersPerSec(RATE).during(SimulationParameters.durationSeconds())
                                .randomized())))
                .assertions(global().failedRequests().count().is(0L));
    }

    private static QuoteRequest quote(Session session) {
        SaleMix.Draw draw = session.get("draw");
        List<BasketLine> basket = session.get("basket");
        return QuoteRequest.newBuilder().setCurrency("CNY").addAllLines(basket)
                .setMemberCode(draw.memberCode()).setPointsWish(draw.pointsWish()).build();
    }

    private static CheckoutRequest checkout(Session session) {
        SaleMix.Draw draw = session.get("draw");
        List<BasketLine> basket = session.get("basket");
        List<Tender> tenders = session.get("tenders");
        return CheckoutRequest.newBuilder()
                .setSaleId(saleId(session))
                .setCurrency("CNY").setMemberCode(draw.memberCode()).addAllLines(basket)
                .addAllTenders(tenders).build();
    }

    private static String saleId(Session session) {
        return "G-" + RUN + "-" + session.userId();
    }

    @Override
    public void after() {
        try {
            fleet.close();
            System.out.printf("terminal simulation: PostgreSQL holds %d committed sales%n",
                    kassa.count("select count(*) from sales_order where status = 'COMMITTED'"));
        } finally {
            kassa.close();
        }
    }
}
