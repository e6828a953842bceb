package io.kassa.engine.server.terminal;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP endpoint terminals connect to. Deploy one instance per event loop: Vert.x shares the
 * listening port between them and spreads connections across loops. Each instance sweeps its
 * own connections with one periodic timer (not one timer per connection, which would not scale
 * to 100,000 terminals).
 *
 * <p>With {@link TerminalPolicy.Tls}, the port speaks TLS 1.3 or 1.2 only, through BoringSSL
 * (netty-tcnative) rather than the JDK's engine for its lower cost per handshake and per
 * connection; with a client CA it requires a client certificate naming the terminal.
 */
public final class TerminalServerVerticle extends VerticleBase {

    private static final Logger log = LoggerFactory.getLogger(TerminalServerVerticle.class);

    /** The TLS versions the port accepts; older ones have known weaknesses. */
    static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

    private final TerminalServices services;
    private final Optional<TerminalPolicy.Tls> tls;
    private final Set<TerminalConnection> connections = new HashSet<>();
    private NetServer server;
    private long sweepTimer;

    TerminalServerVerticle(TerminalServices services, Optional<TerminalPolicy.Tls> tls) {
        this.services = services;
        this.tls = tls;
    }

    @Override
    public Future<?> start() {
        NetServerOptions serverOptions = new NetServerOptions()
                .setHost(services.options().host())
                .setPort(services.options().port())
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true);
        tls.ifPresent(files -> configureTls(serverOptions, files));
        server = vertx.createNetServer(serverOptions);
        server.connectHandler(this::accept);
        sweepTimer = vertx.setPeriodic(services.options().sweepIntervalMillis(), id -> sweep());
        return server.listen();
    }

    private static void configureTls(NetServerOptions serverOptions, TerminalPolicy.Tls files) {
        serverOptions.setSsl(true)
                .setSslEngineOptions(new OpenSSLEngineOptions())
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(files.certificate().toString())
                        .setKeyPath(files.privateKey().toString()))
                .setEnabledSecureTransportProtocols(TLS_PROTOCOLS);
        files.clientCa().ifPresent(ca -> serverOptions
                .setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()))
                .setClientAuth(ClientAuth.REQUIRED));
    }

    /** The port actually bound (useful when configured as 0). */
    public int actualPort() {
        return server.actualPort();
    }

    private void accept(NetSocket socket) {
        TerminalConnection connection = new TerminalConnection(socket, services);
        connections.add(connection);
        socket.handler(connection::onData);
        socket.drainHandler(drained -> connection.onDrained());
        socket.shutdownHandler(shutdown -> connection.onShutdown());
        socket.exceptionHandler(error -> log.debug("terminal socket error", error));
        socket.closeHandler(closed -> {
            connection.onClosed();
            connections.remove(connection);
        });
    }

    private void sweep() {
        long now = services.clock().millis();
        // A copy: a sweep may close connections, whose close handlers edit the set.
        for (TerminalConnection connection : new ArrayList<>(connections)) {
            connection.sweep(now);
        }
    }

    /**
     * Stops accepting, tells every terminal to reconnect elsewhere (a Draining push), lets every
     * connection answer what it has in flight (new requests get UNAVAILABLE), and closes
     * connections still open after the drain bound.
     */
    @Override
    public Future<?> stop() {
        vertx.cancelTimer(sweepTimer);
        return server.shutdown(services.options().drainMillisMax(), TimeUnit.MILLISECONDS);
    }

    /** Connections this instance holds, for tests and the scale measurement. */
    int connectionCount() {
        return connections.size();
    }
}
