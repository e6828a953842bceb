package io.kassa.peripherals.faults;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy with faults on demand, standing between the engine and Redis or PostgreSQL (or
 * between terminals and the engine) in tests and chaos runs, loopback only. The knobs, each
 * changeable while traffic flows:
 *
 * <ul>
 *   <li>{@link #latencyMillis(long)}: every chunk is delivered this much later, in order;
 *   <li>{@link #blackhole(boolean)}: bytes are swallowed in both directions, connections stay
 *       open (a partition: the peer sees silence, not an error);
 *   <li>{@link #resetAll()}: every open connection is closed at once (a crash of the peer);
 *   <li>{@link #cutAfterBytes(long)}: each new connection is closed after that many bytes
 *       towards the upstream (a failure in the middle of a request);
 *   <li>{@link #refuse(boolean)}: new connections are closed as soon as they are accepted.
 * </ul>
 */
public final class FaultProxy {

    private final Vertx vertx;
    private final String upstreamHost;
    private final int upstreamPort;
    private final NetClient client;
    private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    private NetServer server;
    private volatile long latencyMillis;
    private volatile boolean blackhole;
    private volatile boolean refuse;
    private volatile long cutAfterBytes = -1;

    private FaultProxy(Vertx vertx, String upstreamHost, int upstreamPort) {
        this.vertx = vertx;
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000)
                .setTcpNoDelay(true));
    }

    /** Listens on a free loopback port and forwards to {@code upstreamHost:upstreamPort}. */
    public static Future<FaultProxy> start(Vertx vertx, String upstreamHost, int upstreamPort) {
        FaultProxy proxy = new FaultProxy(vertx, upstreamHost, upstreamPort);
        // A concrete port, never 0: Vert.x shares one listening socket among the servers of an
        // instance that all ask for port 0 on the same host, which would hand the proxy's
        // connections to whichever server shares it.
        proxy.server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1")
                .setPort(freeLoopbackPort()).setTcpNoDelay(true));
        proxy.server.connectHandler(proxy::accept);
        return proxy.server.listen().map(listening -> proxy);
    }

    private static int freeLoopbackPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no free loopback port", e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    public FaultProxy latencyMillis(long millis) {
        this.latencyMillis = millis;
        return this;
    }

    public FaultProxy blackhole(boolean on) {
        this.blackhole = on;
        return this;
    }

    public FaultProxy refuse(boolean on) {
        this.refuse = on;
        return this;
    }

    /** -1 turns it off. */
    public FaultProxy cutAfterBytes(long bytes) {
        this.cutAfterBytes = bytes;
        return this;
    }

    /** Closes every connection open now; the proxy keeps accepting new ones. */
    public void resetAll() {
        for (NetSocket socket : Set.copyOf(open)) {
            socket.close();
        }
    }

    /** Connections currently open through the proxy (each counted on both sides). */
    public int openSockets() {
        return open.size();
    }

    public Future<Void> close() {
        resetAll();
        return server.close().compose(closed -> client.close());
    }

    private void accept(NetSocket downstream) {
        if (refuse) {
            downstream.close();
            return;
        }
        open.add(downstream);
        // Bytes that arrive before the upstream connection is up wait here, in order.
        java.util.List<Buffer> early = new java.util.ArrayList<>();
        NetSocket[] upstreamHolder = new NetSocket[1];
        long[] sentUpstream = {0};
        long cut = cutAfterBytes;
        downstream.handler(buffer -> {
            if (upstreamHolder[0] == null) {
                early.add(buffer);
                return;
            }
            sendUpstream(downstream, upstreamHolder[0], buffer, sentUpstream, cut);
        });
        downstream.closeHandler(closed -> {
            open.remove(downstream);
            if (upstreamHolder[0] != null) {
                upstreamHolder[0].close();
            }
        });
        downstream.exceptionHandler(error -> downstream.close());
        // The connection's state is touched only on its own event loop: the connect answer is
        // brought back there before it meets the bytes that arrived meanwhile.
        io.vertx.core.Context context = vertx.getOrCreateContext();
        client.connect(upstreamPort, upstreamHost).onComplete(connected -> context.runOnContext(
                ignored -> {
            if (connected.failed() || !open.contains(downstream)) {
                open.remove(downstream);
                downstream.close();
                if (connected.succeeded()) {
                    connected.result().close();
                }
                return;
            }
            NetSocket upstream = connected.result();
            open.add(upstream);
            upstream.handler(buffer -> forward(downstream, buffer));
            upstream.closeHandler(closed -> {
                open.remove(upstream);
                downstream.close();
            });
            upstream.exceptionHandler(error -> upstream.close());
            upstreamHolder[0] = upstream;
            for (Buffer buffer : early) {
                sendUpstream(downstream, upstream, buffer, sentUpstream, cut);
            }
            early.clear();
        }));
    }

    private void sendUpstream(NetSocket downstream, NetSocket upstream, Buffer buffer,
            long[] sentUpstream, long cut) {
        sentUpstream[0] += buffer.length();
        forward(upstream, buffer);
        if (cut >= 0 && sentUpstream[0] >= cut) {
            downstream.close();
            upstream.close();
        }
    }

    private void forward(NetSocket to, Buffer buffer) {
        if (blackhole) {
            return;
        }
        long delay = latencyMillis;
        if (delay <= 0) {
            to.write(buffer);
        } else {
            // Timers of equal delay fire in the order they were set: the stream stays ordered.
            vertx.setTimer(delay, id -> to.write(buffer));
        }
    }
}
