package io.kassa.engine.server.terminal;

import io.kassa.engine.server.checkout.CheckoutService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP endpoint terminals connect to. Deploy one instance per event loop: Vert.x shares the
 * listening port between them and spreads connections across loops. Each instance sweeps its
 * own connections with one periodic timer.
 */
public final class TerminalServerVerticle extends VerticleBase {

    private static final Logger log = LoggerFactory.getLogger(TerminalServerVerticle.class);

    private final CheckoutService checkout;
    private final TerminalServerOptions options;
    private final Clock clock;
    private final Set<TerminalConnection> connections = new HashSet<>();
    private NetServer server;
    private long sweepTimer;

    public TerminalServerVerticle(
            CheckoutService checkout, TerminalServerOptions options, Clock clock) {
        this.checkout = checkout;
        this.options = options;
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        server = vertx.createNetServer(new NetServerOptions()
                .setHost(options.host())
                .setPort(options.port())
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true));
        server.connectHandler(this::accept);
        sweepTimer = vertx.setPeriodic(options.sweepIntervalMillis(), id -> sweep());
        return server.listen();
    }

    /** The port actually bound (useful when configured as 0). */
    public int actualPort() {
        return server.actualPort();
    }

    private void accept(NetSocket socket) {
        TerminalConnection connection =
                new TerminalConnection(socket, checkout, options, clock);
        connections.add(connection);
        socket.handler(connection::onData);
        socket.shutdownHandler(shutdown -> connection.onShutdown());
        socket.exceptionHandler(error -> log.debug("terminal socket error", error));
        socket.closeHandler(closed -> {
            connection.onClosed();
            connections.remove(connection);
        });
    }

    private void sweep() {
        long now = clock.millis();
        for (TerminalConnection connection : Set.copyOf(connections)) {
            connection.sweep(now);
        }
    }

    /**
     * Stops accepting, lets every connection answer what it has in flight (new requests get
     * UNAVAILABLE), and closes connections still open after the drain bound.
     */
    @Override
    public Future<?> stop() {
        vertx.cancelTimer(sweepTimer);
        return server.shutdown(options.drainMillisMax(), TimeUnit.MILLISECONDS);
    }
}
