package io.kassa.peripherals.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each knob of the fault proxy does what chaos tests rely on, against a real echo server over
 * loopback: bytes pass unharmed by default, arrive late with latency, vanish in a blackhole,
 * connections die on reset, after the cut-off, or at once when refused.
 */
class FaultProxyTest {

    private Vertx vertx;
    private Vertx upstreamVertx;
    private NetServer echo;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        // The echo server lives in a Vert.x of its own, on a concrete port: nothing it does
        // can be confused with the proxy's own server.
        upstreamVertx = Vertx.vertx();
        int echoPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            echoPort = probe.getLocalPort();
        }
        echo = upstreamVertx.createNetServer()
                .connectHandler(socket -> socket.handler(socket::write));
        await(echo.listen(echoPort, "127.0.0.1"));
        proxy = await(FaultProxy.start(vertx, "127.0.0.1", echo.actualPort()));
    }

    @AfterEach
    void stop() throws Exception {
        await(proxy.close());
        await(vertx.close());
        await(upstreamVertx.close());
    }

    @Test
    void bytesPassUnharmed() throws Exception {
        try (java.net.Socket socket = blockingConnect()) {
            // Bytes sent at once, before the proxy's upstream connection is up, wait for it.
            socket.getOutputStream().write("early-kassa".getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
            byte[] answer = socket.getInputStream().readNBytes(11);
            assertThat(new String(answer, java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("early-kassa");
        }
    }

    @Test
    void latencyDelaysEveryChunk() throws Exception {
        proxy.latencyMillis(150);
        NetSocket socket = connect();
        long start = System.nanoTime();
        assertThat(roundTrip(socket, "slow", 5_000)).isEqualTo("slow");
        // Delayed on the way there and on the way back.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .isGreaterThanOrEqualTo(300);
    }

    @Test
    void aBlackholeSwallowsBytesAndKeepsTheConnection() throws Exception {
        NetSocket socket = connect();
        // Wait until the proxy holds both sides, so that the blackhole is what is tested.
        awaitCondition(() -> proxy.openSockets() == 2);
        proxy.blackhole(true);
        assertThat(roundTrip(socket, "lost", 500)).isNull();
        proxy.blackhole(false);
        assertThat(roundTrip(socket, "back", 10_000)).isEqualTo("back");
    }

    @Test
    void resetClosesOpenConnections() throws Exception {
        try (java.net.Socket socket = blockingConnect()) {
            awaitCondition(() -> proxy.openSockets() == 2);
            proxy.resetAll();
            assertThat(closedByPeer(socket)).isTrue();
        }
    }

    @Test
    void cutOffClosesAfterTheBytes() throws Exception {
        proxy.cutAfterBytes(4);
        try (java.net.Socket socket = blockingConnect()) {
            socket.getOutputStream().write("12345678".getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(closedByPeer(socket)).isTrue();
        }
    }

    @Test
    void refusedConnectionsCloseAtOnce() throws Exception {
        proxy.refuse(true);
        try (java.net.Socket socket = blockingConnect()) {
            assertThat(closedByPeer(socket)).isTrue();
        }
    }

    /** A plain blocking socket: its end of stream cannot be missed the way a late handler can. */
    private java.net.Socket blockingConnect() throws java.io.IOException {
        java.net.Socket socket = new java.net.Socket("127.0.0.1", proxy.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** True when the peer closed (end of stream or reset); false if it stays silent. */
    private static boolean closedByPeer(java.net.Socket socket) throws java.io.IOException {
        try {
            java.io.InputStream input = socket.getInputStream();
            int read;
            do {
                read = input.read();
            } while (read != -1);
            return true;
        } catch (java.net.SocketTimeoutException silent) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private NetSocket connect() throws Exception {
        return await(vertx.createNetClient().connect(proxy.port(), "127.0.0.1"));
    }

    /** Sends text and returns what comes back within the time, or null when nothing does. */
    private static String roundTrip(NetSocket socket, String text, long waitMillis)
            throws Exception {
        Promise<String> answer = Promise.promise();
        Buffer received = Buffer.buffer();
        socket.handler(buffer -> {
            received.appendBuffer(buffer);
            if (received.length() >= text.length()) {
                answer.tryComplete(received.toString());
            }
        });
        socket.write(text);
        try {
            return answer.future().toCompletionStage().toCompletableFuture()
                    .get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException silence) {
            return null;
        }
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
