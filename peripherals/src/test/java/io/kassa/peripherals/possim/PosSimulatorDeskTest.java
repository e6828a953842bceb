package io.kassa.peripherals.possim;

import static io.kassa.peripherals.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.peripherals.testing.ScriptedPeer;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.CheckoutStatus;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.MemberLookupResponse;
import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import io.kassa.protocol.v1.TopUpResponse;
import io.kassa.protocol.v1.VoidResponse;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With members configured, the simulator's tills also look members up, top up stored value and
 * void a sale now and then, spread over several engine nodes; run against scripted peers that
 * answer every message.
 */
@ExtendWith(VertxExtension.class)
class PosSimulatorDeskTest {

    @Test
    void membersAreLookedUpToppedUpAndSomeSalesVoidedOnEveryNode(Vertx vertx) {
        ScriptedPeer nodeA = await(ScriptedPeer.start(vertx, answeringEverything()));
        ScriptedPeer nodeB = await(ScriptedPeer.start(vertx, answeringEverything()));
        PosSimulator simulator = PosSimulator.create(vertx, new PosSimulatorOptions()
                .setEngines(List.of("127.0.0.1:" + nodeA.port(), "127.0.0.1:" + nodeB.port()))
                .setTerminals(4).setStores(2).setRatePerSecond(200).setDurationSeconds(3)
                .setMembers(50).setSeed(42).setRunId("desk1").setStatusIntervalMillis(0));

        await(simulator.start());
        await(simulator.completion());

        PosSimulatorStats stats = simulator.stats();
        assertThat(stats.failed()).isZero();
        assertThat(stats.completed()).isPositive();
        assertThat(simulator.deskActions()).containsKeys("member-lookup", "top-up", "void");
        long voids = simulator.deskActions().get("void");
        // About one sale in 50: a light mix, not a second workload.
        assertThat(voids).isLessThan(stats.completed() / 10);
        assertThat(nodeA.received(Envelope.BodyCase.VOID_REQUEST).size()
                + nodeB.received(Envelope.BodyCase.VOID_REQUEST).size()).isEqualTo(voids);
        // Terminals 0 and 2 start at node A, 1 and 3 at node B.
        assertThat(nodeA.connectionsAccepted()).isEqualTo(2);
        assertThat(nodeB.connectionsAccepted()).isEqualTo(2);
        assertThat(nodeA.received(Envelope.BodyCase.TOP_UP_REQUEST)).allSatisfy(topUp ->
                assertThat(topUp.getTopUpRequest().getTender().getAmountFen())
                        .isEqualTo(PosSimulator.TOP_UP_FEN));
        await(nodeA.close());
        await(nodeB.close());
    }

    private static ScriptedPeer.Script answeringEverything() {
        return ScriptedPeer.greeting(ScriptedPeer.WELCOME_INTERVAL_MILLIS_DEFAULT,
                (connection, envelope) -> {
                    if (envelope.hasQuoteRequest()) {
                        long grossFen = Catalogue.grossFen(
                                envelope.getQuoteRequest().getLinesList());
                        connection.answer(envelope, Envelope.newBuilder().setQuoteResponse(
                                QuoteResponse.newBuilder().setCurrency("CNY")
                                        .setSubtotalFen(grossFen).setPayableFen(grossFen)));
                    } else if (envelope.hasCheckoutRequest()) {
                        CheckoutRequest checkout = envelope.getCheckoutRequest();
                        long changeFen = 0;
                        for (Tender tender : checkout.getTendersList()) {
                            if (tender.getType() == TenderType.CASH) {
                                changeFen += tender.getReceivedFen() - tender.getAmountFen();
                            }
                        }
                        connection.answer(envelope, Envelope.newBuilder().setCheckoutResponse(
                                CheckoutResponse.newBuilder().setSaleId(checkout.getSaleId())
                                        .setStatus(CheckoutStatus.COMMITTED).setCurrency("CNY")
                                        .setPayableFen(Catalogue.grossFen(
                                                checkout.getLinesList()))
                                        .setChangeFen(changeFen)));
                    } else if (envelope.hasMemberLookupRequest()) {
                        connection.answer(envelope, Envelope.newBuilder().setMemberLookupResponse(
                                MemberLookupResponse.newBuilder().setMemberCode(
                                        envelope.getMemberLookupRequest().getMemberCode())));
                    } else if (envelope.hasTopUpRequest()) {
                        connection.answer(envelope, Envelope.newBuilder().setTopUpResponse(
                                TopUpResponse.newBuilder().setTopUpId(
                                        envelope.getTopUpRequest().getTopUpId())));
                    } else if (envelope.hasVoidRequest()) {
                        connection.answer(envelope, Envelope.newBuilder().setVoidResponse(
                                VoidResponse.newBuilder().setSaleId(
                                        envelope.getVoidRequest().getSaleId())));
                    }
                });
    }
}
