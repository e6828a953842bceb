package io.kassa.peripherals.testing;

import io.kassa.protocol.Decoded;
import io.kassa.protocol.FrameDecoder;
import io.kassa.protocol.FrameEncoder;
import io.kassa.protocol.FrameLimits;
import io.kassa.protocol.ProtocolException;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.HeartbeatAck;
import io.kassa.protocol.v1.Welcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the engine in tests: a real Vert.x NetServer on an ephemeral loopback port
 * speaking the shared codec, whose answers each test scripts. It records every envelope it
 * receives so that tests can assert what the client sent.
 */
public final class ScriptedPeer {

    /** What the peer does with each envelope it receives; runs on the peer's event loop. */
    @FunctionalInterface
    public interface Script {
        void onEnvelope(Connection connection, Envelope envelope);
    }

    /** The peer's side of one accepted connection. */
    public static final class Connection {
        private final NetSocket socket;

        Connection(NetSocket socket) {
            this.socket = socket;
        }

        public void send(Envelope envelope) {
            socket.write(Buffer.buffer(FrameEncoder.encode(envelope)));
        }

        /** Answers {@code request} with {@code response}, copying its request id. */
        public void answer(Envelope request, Envelope.Builder response) {
            send(response.setRequestId(request.getRequestId()).build());
        }

        public void sendBytes(byte[] bytes) {
            socket.write(Buffer.buffer(bytes));
        }

        public void close() {
            socket.close();
        }
    }

    public static final int WELCOME_INTERVAL_MILLIS_DEFAULT = 15_000;

    private final NetServer server;
    private final List<Envelope> received = new CopyOnWriteArrayList<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionsOpen = new AtomicInteger();
    private final AtomicInteger connectionsAccepted = new AtomicInteger();

    private ScriptedPeer(Vertx vertx, Script script) {
        this.server = vertx.createNetServer().connectHandler(socket -> accept(socket, script));
    }

    public static Future<ScriptedPeer> start(Vertx vertx, Script script) {
        return startOn(vertx, 0, script);
    }

    /** On a given port, e.g. to come up where a client is already trying to connect. */
    public static Future<ScriptedPeer> startOn(Vertx vertx, int port, Script script) {
        ScriptedPeer peer = new ScriptedPeer(vertx, script);
        return peer.server.listen(port, "127.0.0.1").map(listening -> peer);
    }

    /** Answers Hello with a Welcome and Heartbeat with an ack; hands the rest to {@code rest}. */
    public static Script greeting(int heartbeatIntervalMillis, Script rest) {
        return (connection, envelope) -> {
            switch (envelope.getBodyCase()) {
                case HELLO -> connection.answer(envelope, Envelope.newBuilder()
                        .setWelcome(welcome(heartbeatIntervalMillis)));
                case HEARTBEAT -> connection.answer(envelope, Envelope.newBuilder()
                        .setHeartbeatAck(HeartbeatAck.newBuilder()
                                .setServerTimeMillis(System.currentTimeMillis())));
                default -> rest.onEnvelope(connection, envelope);
            }
        };
    }

    /** Greets, then never answers anything else. */
    public static Script greetingOnly() {
        return greeting(WELCOME_INTERVAL_MILLIS_DEFAULT, (connection, envelope) -> {
        });
    }

    public static Welcome welcome(int heartbeatIntervalMillis) {
        return Welcome.newBuilder()
                .setProtocolVersion(FrameLimits.PROTOCOL_VERSION)
                .setNodeId("scripted-peer")
                .setHeartbeatIntervalMillis(heartbeatIntervalMillis)
                .setFrameBytesMax(FrameLimits.FRAME_BYTES_MAX)
                .setServerTimeMillis(System.currentTimeMillis())
                .build();
    }

    public int port() {
        return server.actualPort();
    }

    public List<Envelope> received() {
        return received;
    }

    public List<Envelope> received(Envelope.BodyCase bodyCase) {
        return received.stream().filter(e -> e.getBodyCase() == bodyCase).toList();
    }

    public List<Connection> connections() {
        return connections;
    }

    public int connectionsOpen() {
        return connectionsOpen.get();
    }

    public int connectionsAccepted() {
        return connectionsAccepted.get();
    }

    public Future<Void> close() {
        return server.close();
    }

    private void accept(NetSocket socket, Script script) {
        connectionsAccepted.incrementAndGet();
        connectionsOpen.incrementAndGet();
        Connection connection = new Connection(socket);
        connections.add(connection);
        FrameDecoder decoder = new FrameDecoder();
        socket.closeHandler(ignored -> connectionsOpen.decrementAndGet());
        socket.handler(buffer -> {
            byte[] bytes = buffer.getBytes();
            try {
                decoder.feed(bytes, 0, bytes.length, decoded -> {
                    if (decoded instanceof Decoded.Message message) {
                        received.add(message.envelope());
                        script.onEnvelope(connection, message.envelope());
                    }
                });
            } catch (ProtocolException unreadable) {
                socket.close();
            }
        });
    }
}
