package io.kassa.loadtests.scale;

import com.google.protobuf.ByteString;
import io.kassa.protocol.Decoded;
import io.kassa.protocol.FrameDecoder;
import io.kassa.protocol.FrameEncoder;
import io.kassa.protocol.FrameLimits;
import io.kassa.protocol.ProtocolException;
import io.kassa.protocol.TerminalAuthentication;
import io.kassa.protocol.v1.AuthProof;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.Heartbeat;
import io.kassa.protocol.v1.Hello;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens many authenticated terminal connections that only heartbeat, spread over several
 * 127.0.0.x source addresses (one source address has about 28,000 ephemeral ports), and holds
 * them; the engine's memory per idle connection is measured from outside by
 * {@code load-tests/scale/idle-connections.sh}.
 *
 * <pre>
 * java -cp kassa-load-tests.jar io.kassa.loadtests.scale.IdleConnections --port 7520 \
 *     --connections 19000 --addresses 4 --seed SEED --connect-rate 2000 --hold-seconds 60
 * </pre>
 *
 * <p>Several processes can share one run (each process needs one descriptor per connection,
 * and a process's open-file limit may be lower than the run's count): give each its own
 * {@code --first-index} (terminal ids scale-FIRST.. are its own) and {@code --address-base}
 * (its source addresses are 127.0.0.{BASE+1} .. 127.0.0.{BASE+ADDRESSES}).
 *
 * <p>The client is deliberately lean (one Vert.x NetClient per source address, a decoder per
 * connection, one heartbeat timer for all) so that one process can hold tens of thousands of
 * connections. Terminals authenticate with secrets derived from the demo seed the engine was
 * started with. Prints {@code READY} once every connection is welcomed (or has failed) and
 * {@code DONE} after the hold, each with counters.
 */
public final class IdleConnections {

    /** Connections one process opens at most; above it, run several processes. */
    static final int CONNECTIONS_MAX = 200_000;
    /** Source addresses 127.0.0.1 .. 127.0.0.{ADDRESSES_MAX}. */
    static final int ADDRESSES_MAX = 200;
    private static final int TICK_MILLIS = 10;

    private final Map<String, String> options;
    private final Vertx vertx;
    private final List<NetClient> clients = new ArrayList<>();
    private final List<Terminal> welcomed = new ArrayList<>();
    private final AtomicLong attempted = new AtomicLong();
    private final AtomicLong welcomes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong closedAfterWelcome = new AtomicLong();
    private final AtomicLong heartbeatsSent = new AtomicLong();
    private final AtomicLong heartbeatsAcknowledged = new AtomicLong();

    private IdleConnections(Map<String, String> options) {
        this.options = options;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    /** One simulated terminal: its decoder and the request ids it has used. */
    private final class Terminal {
        final String storeId;
        final String terminalId;
        final FrameDecoder decoder = new FrameDecoder();
        NetSocket socket;
        long nextRequestId = 1;
        boolean isWelcomed;

        Terminal(String storeId, String terminalId) {
            this.storeId = storeId;
            this.terminalId = terminalId;
        }

        void send(Envelope.Builder envelope) {
            socket.write(Buffer.buffer(FrameEncoder.encode(
                    envelope.setRequestId(nextRequestId++).build())));
        }

        void onData(Buffer buffer) {
            byte[] bytes = buffer.getBytes();
            try {
                decoder.feed(bytes, 0, bytes.length, decoded -> {
                    if (decoded instanceof Decoded.Message message) {
                        onEnvelope(message.envelope());
                    }
                });
            } catch (ProtocolException unreadable) {
                socket.close();
            }
        }

        void onEnvelope(Envelope envelope) {
            switch (envelope.getBodyCase()) {
                case AUTH_CHALLENGE -> {
                    byte[] secret = TerminalAuthentication.demoSecret(options.get("seed"),
                            storeId, terminalId);
                    byte[] proof = TerminalAuthentication.proof(secret,
                            envelope.getAuthChallenge().getNonce().toByteArray(), terminalId,
                            storeId);
                    send(Envelope.newBuilder().setAuthProof(
                            AuthProof.newBuilder().setProof(ByteString.copyFrom(proof))));
                }
                case WELCOME -> {
                    isWelcomed = true;
                    welcomes.incrementAndGet();
                    synchronized (welcomed) {
                        welcomed.add(this);
                    }
                }
                case HEARTBEAT_ACK -> heartbeatsAcknowledged.incrementAndGet();
                case ERROR -> {
                    if (failures.incrementAndGet() <= 5) {
                        System.err.println("idle-connections: " + terminalId + ": "
                                + envelope.getError().getCode() + " "
                                + envelope.getError().getMessage());
                    }
                }
                default -> {
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("host", "127.0.0.1", "port", "7520",
                "connections", "10000", "addresses", "4", "stores", "100",
                "connect-rate", "2000", "hold-seconds", "60", "heartbeat-seconds", "15"));
        options.put("first-index", "0");
        options.put("address-base", "0");
        for (int index = 0; index + 1 < args.length; index += 2) {
            options.put(args[index].replaceFirst("^--", ""), args[index + 1]);
        }
        if (!options.containsKey("seed")) {
            System.err.println("idle-connections: --seed (the engine's demo seed) is required");
            System.exit(2);
        }
        new IdleConnections(options).run();
    }

    private int option(String name) {
        return Integer.parseInt(options.get(name));
    }

    private void run() throws InterruptedException {
        int connections = option("connections");
        int addresses = option("addresses");
        int addressBase = option("address-base");
        if (connections < 1 || connections > CONNECTIONS_MAX || addresses < 1
                || addressBase < 0 || addressBase + addresses > ADDRESSES_MAX
                || option("first-index") < 0) {
            throw new IllegalArgumentException("connections 1.." + CONNECTIONS_MAX
                    + ", address-base + addresses 1.." + ADDRESSES_MAX + ", first-index >= 0");
        }
        for (int address = addressBase + 1; address <= addressBase + addresses; address++) {
            clients.add(vertx.createNetClient(new NetClientOptions()
                    .setLocalAddress("127.0.0." + address)
                    .setConnectTimeout(60_000).setTcpNoDelay(true)));
        }
        long perTick = Math.max(1, (long) option("connect-rate") * TICK_MILLIS / 1000);
        long startNanos = System.nanoTime();
        vertx.setPeriodic(TICK_MILLIS, timer -> {
            for (int count = 0; count < perTick && attempted.get() < connections; count++) {
                connect((int) attempted.getAndIncrement());
            }
        });
        vertx.setPeriodic(5_000, timer -> System.out.println(status("status")));
        startHeartbeats();
        while (welcomes.get() + failures.get() < connections) {
            Thread.sleep(100);
        }
        System.out.println(status("READY") + " connect_seconds="
                + (System.nanoTime() - startNanos) / 1_000_000_000.0);
        Thread.sleep(TimeUnit.SECONDS.toMillis(option("hold-seconds")));
        System.out.println(status("DONE"));
        CountDownLatch closed = new CountDownLatch(1);
        vertx.close().onComplete(ignored -> closed.countDown());
        closed.await(30, TimeUnit.SECONDS);
    }

    private void connect(int index) {
        int stores = option("stores");
        int terminalIndex = option("first-index") + index;
        Terminal terminal = new Terminal(String.format("store-%04d", terminalIndex % stores),
                String.format("scale-%06d", terminalIndex));
        NetClient client = clients.get(index % clients.size());
        client.connect(option("port"), options.get("host")).onComplete(socket -> {
            terminal.socket = socket;
            socket.handler(terminal::onData);
            socket.closeHandler(ignored -> {
                if (terminal.isWelcomed) {
                    closedAfterWelcome.incrementAndGet();
                }
            });
            terminal.send(Envelope.newBuilder().setHello(Hello.newBuilder()
                    .setProtocolVersion(FrameLimits.PROTOCOL_VERSION)
                    .setTerminalId(terminal.terminalId).setStoreId(terminal.storeId)
                    .setSoftwareVersion("idle-connections")));
        }, cause -> {
            if (failures.incrementAndGet() <= 5) {
                System.err.println("idle-connections: connect failed: " + cause);
            }
        });
    }

    /**
     * One timer for every connection: each second it heartbeats the slice of terminals whose
     * turn it is, so that each terminal heartbeats once per interval and the load is even.
     */
    private void startHeartbeats() {
        int intervalSeconds = option("heartbeat-seconds");
        long[] tick = {0};
        vertx.setPeriodic(1_000, timer -> {
            long slice = tick[0]++ % intervalSeconds;
            List<Terminal> snapshot;
            synchronized (welcomed) {
                snapshot = new ArrayList<>(welcomed);
            }
            for (int index = 0; index < snapshot.size(); index++) {
                if (index % intervalSeconds == slice) {
                    Terminal terminal = snapshot.get(index);
                    // Sent from the timer's thread; Vert.x hands the write to the socket's loop.
                    terminal.send(Envelope.newBuilder().setHeartbeat(
                            Heartbeat.newBuilder().setSentAtMillis(System.currentTimeMillis())));
                    heartbeatsSent.incrementAndGet();
                }
            }
        });
    }

    private String status(String label) {
        return label + " attempted=" + attempted.get() + " welcomed=" + welcomes.get()
                + " failed=" + failures.get() + " closed_after_welcome=" + closedAfterWelcome.get()
                + " heartbeats_sent=" + heartbeatsSent.get() + " heartbeats_acknowledged="
                + heartbeatsAcknowledged.get();
    }
}
