package io.kassa.engine.server.terminal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kassa.engine.server.checkout.CheckoutOutcome;
import io.kassa.engine.server.checkout.PaymentUpdates;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.cluster.TerminalSessions;
import io.kassa.protocol.v1.PaymentUpdate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a checkout's late outcome into a {@code PaymentUpdate} push to the sale's terminal,
 * kept in the push outbox until acknowledged and resent after a reconnect.
 *
 * <p>In a cluster the outcome may be decided on a node the terminal is not connected to (a
 * gateway called back there, or its janitor resolved the payment): the session registry names
 * the terminal's node, and the update travels there over the clustered event bus and into that
 * node's outbox. When that node cannot be reached — it died, or the registry is stale — the
 * update is kept here, in this node's outbox, so it is never dropped on the floor.
 */
public final class TerminalPaymentUpdates implements PaymentUpdates {

    private static final Logger log = LoggerFactory.getLogger(TerminalPaymentUpdates.class);

    /** How long a hand-over to another node may take before the update is kept here. */
    public static final long HAND_OVER_TIMEOUT_MILLIS = 2_000;

    private final PushOutbox outbox;
    private final Optional<Vertx> vertx;
    private final TerminalSessions sessions;
    private final String nodeId;
    private MessageConsumer<Buffer> consumer;

    /** A single node: every update goes into this node's outbox. */
    public TerminalPaymentUpdates(PushOutbox outbox) {
        this.outbox = outbox;
        this.vertx = Optional.empty();
        this.sessions = TerminalSessions.singleNode();
        this.nodeId = "";
    }

    /** A node of a cluster: updates for terminals on other nodes are handed over to them. */
    public TerminalPaymentUpdates(PushOutbox outbox, Vertx vertx, TerminalSessions sessions,
            String nodeId) {
        this.outbox = outbox;
        this.vertx = Optional.of(vertx);
        this.sessions = sessions;
        this.nodeId = nodeId;
    }

    /** The event bus address where a node takes updates for its terminals. */
    public static String address(String nodeId) {
        return "kassa.node." + nodeId + ".payment-updates";
    }

    /** Starts taking updates handed over by other nodes; completes once registered. */
    public Future<Void> start() {
        if (vertx.isEmpty()) {
            return Future.succeededFuture();
        }
        consumer = vertx.get().eventBus().consumer(address(nodeId), message -> {
            try {
                HandOver handOver = HandOver.decode(message.body());
                keep(handOver.terminalId(), handOver.update());
                message.reply(Buffer.buffer());
            } catch (InvalidProtocolBufferException | RuntimeException unreadable) {
                log.error("unreadable payment update handed over: {}", unreadable.toString());
                message.fail(400, "unreadable payment update");
            }
        });
        return consumer.completion();
    }

    public Future<Void> stop() {
        return consumer == null ? Future.succeededFuture() : consumer.unregister();
    }

    @Override
    public void saleResolved(SaleKey key, CheckoutOutcome outcome) {
        WireMapping.paymentUpdate(key, outcome).ifPresent(update -> route(key.terminalId(),
                update));
    }

    private void route(String terminalId, PaymentUpdate update) {
        if (vertx.isEmpty()) {
            keep(terminalId, update);
            return;
        }
        sessions.nodeOf(terminalId).onComplete(found -> {
            Optional<String> node = found.succeeded() ? found.result() : Optional.empty();
            if (node.isEmpty() || node.get().equals(nodeId)) {
                keep(terminalId, update);
                return;
            }
            vertx.get().eventBus().request(address(node.get()),
                            new HandOver(terminalId, update).encode(),
                            new DeliveryOptions().setSendTimeout(HAND_OVER_TIMEOUT_MILLIS))
                    .onFailure(error -> {
                        log.info("payment update of sale {} for {} kept here: node {} not"
                                        + " reached ({})", update.getSaleId(), terminalId,
                                node.get(), error.toString());
                        keep(terminalId, update);
                    });
        });
    }

    private void keep(String terminalId, PaymentUpdate update) {
        outbox.push(terminalId, push -> push.setPaymentUpdate(update));
    }

    /** An update on its way to another node: the terminal's id, then the update's bytes. */
    record HandOver(String terminalId, PaymentUpdate update) {

        Buffer encode() {
            byte[] id = terminalId.getBytes(StandardCharsets.UTF_8);
            return Buffer.buffer().appendInt(id.length).appendBytes(id)
                    .appendBytes(update.toByteArray());
        }

        static HandOver decode(Buffer buffer) throws InvalidProtocolBufferException {
            int length = buffer.getInt(0);
            if (length < 1 || length > 256 || 4 + length > buffer.length()) {
                throw new IllegalArgumentException("bad terminal id length " + length);
            }
            String terminalId = buffer.getString(4, 4 + length, "UTF-8");
            return new HandOver(terminalId,
                    PaymentUpdate.parseFrom(buffer.getBytes(4 + length, buffer.length())));
        }
    }
}
