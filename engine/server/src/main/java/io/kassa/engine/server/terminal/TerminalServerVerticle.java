package io.kassa.engine.server.terminal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.TCPMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP endpoint terminals connect to. Deploy one instance per event loop: each instance
 * listens on the port with SO_REUSEPORT, so the kernel spreads connections across instances,
 * and each instance's connections live on its own loop. (SO_REUSEPORT also lets another
 * process of the same user bind the same port and share its connections instead of failing:
 * give every engine on a host its own port.) Each instance sweeps its own
 * connections with one periodic timer (not one timer per connection, which would not scale to
 * 100,000 terminals).
 *
 * <p>Connections are plain Netty channels with {@link TerminalConnection} as their only
 * handler, not Vert.x {@code NetSocket}s: a NetSocket carries a multi-producer write queue
 * whose first chunk alone is 4 KiB, more than the whole budget of an idle terminal (see
 * load-tests/scale/README.md). Vert.x still owns the event loops, the context every callback
 * runs on, and the TCP metrics.
 *
 * <p>With {@link TerminalPolicy.Tls}, the port speaks TLS 1.3 or 1.2 only, through BoringSSL
 * (netty-tcnative) rather than the JDK's engine for its lower cost per handshake and per
 * connection; with a client CA it requires a client certificate naming the terminal.
 */
public final class TerminalServerVerticle extends VerticleBase {

    private static final Logger log = LoggerFactory.getLogger(TerminalServerVerticle.class);

    /** The TLS versions the port accepts; older ones have known weaknesses. */
    static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

    /** How the listening socket and each terminal's socket are set up. */
    private static final NetServerOptions LISTENING = new NetServerOptions()
            .setReuseAddress(true).setReusePort(true).setTcpNoDelay(true).setTcpKeepAlive(true);

    /** Shared by every channel, instead of one allocator object per channel. */
    private static final RecvByteBufAllocator READ_SIZES = new AdaptiveRecvByteBufAllocator();

    private final TerminalServices services;
    private final Optional<TerminalPolicy.Tls> tls;
    private final Set<TerminalConnection> connections = new HashSet<>();
    private ContextInternal loopContext;
    private TCPMetrics<Object> metrics;
    private Channel listener;
    private long sweepTimer;
    /** Set once stopping: completed when the last connection has closed. */
    private Promise<Void> drained;

    TerminalServerVerticle(TerminalServices services, Optional<TerminalPolicy.Tls> tls) {
        this.services = services;
        this.tls = tls;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Future<?> start() {
        loopContext = (ContextInternal) context;
        VertxInternal owner = loopContext.owner();
        SslContext ssl;
        try {
            ssl = tls.map(TerminalServerVerticle::sslContext).orElse(null);
        } catch (UncheckedIOException unreadable) {
            return Future.failedFuture(unreadable.getCause());
        }
        String host = services.options().host();
        int port = services.options().port();
        if (port == 0) {
            // Each instance would bind a port of its own; the engine resolves 0 beforehand.
            return Future.failedFuture(new IllegalArgumentException(
                    "the terminal port must be chosen before the endpoint is deployed, not 0"));
        }
        if (owner.metrics() != null) {
            metrics = (TCPMetrics<Object>) owner.metrics().createNetServerMetrics(
                    new NetServerOptions().setHost(host).setPort(port),
                    SocketAddress.inetSocketAddress(port, host));
        }
        EventLoop loop = loopContext.nettyEventLoop();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loop, loop)
                .channelFactory(owner.transport().serverChannelFactory(false));
        // The socket options as the transport spells them (epoll or NIO). Every instance binds
        // the same port and the kernel balances between them: SO_REUSEPORT, which Vert.x's NIO
        // transport does not set, so it is set here when the engine runs on NIO.
        owner.transport().configure(LISTENING, false, bootstrap);
        if (!owner.isNativeTransportEnabled()) {
            bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
        }
        bootstrap.childOption(ChannelOption.RCVBUF_ALLOCATOR, READ_SIZES)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        accept(channel, ssl);
                    }
                });
        Promise<Void> listening = loopContext.promise();
        ChannelFuture bound = bootstrap.bind(host, port);
        bound.addListener(result -> {
            if (result.isSuccess()) {
                listener = bound.channel();
                listening.complete();
            } else {
                listening.fail(result.cause());
            }
        });
        sweepTimer = vertx.setPeriodic(services.options().sweepIntervalMillis(), id -> sweep());
        return listening.future();
    }

    private static SslContext sslContext(TerminalPolicy.Tls files) {
        try {
            SslContextBuilder builder = SslContextBuilder
                    .forServer(files.certificate().toFile(), files.privateKey().toFile())
                    .sslProvider(SslProvider.OPENSSL)
                    .protocols(List.copyOf(TLS_PROTOCOLS));
            files.clientCa().ifPresent(ca -> builder.trustManager(ca.toFile())
                    .clientAuth(ClientAuth.REQUIRE));
            return builder.build();
        } catch (SSLException | IllegalArgumentException unreadable) {
            throw new UncheckedIOException(new IOException("terminal TLS files "
                    + files.certificate() + ", " + files.privateKey() + ": "
                    + unreadable.getMessage(), unreadable));
        }
    }

    /** The port actually bound (useful when configured as 0). */
    public int actualPort() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** On this instance's loop, for each accepted channel. */
    private void accept(Channel channel, SslContext ssl) {
        if (drained != null) {
            channel.close();
            return;
        }
        if (ssl != null) {
            channel.pipeline().addLast("tls", ssl.newHandler(channel.alloc()));
        }
        Object socketMetric = null;
        if (metrics != null) {
            socketMetric = metrics.connected(SocketAddress.inetSocketAddress(
                    (InetSocketAddress) channel.remoteAddress()), null);
        }
        TerminalConnection connection =
                new TerminalConnection(channel, services, loopContext, this, socketMetric);
        connections.add(connection);
        channel.pipeline().addLast("terminal", connection);
    }

    /** From a connection's channel, once closed, on this instance's loop. */
    void closed(TerminalConnection connection, Object socketMetric) {
        if (connections.remove(connection) && metrics != null) {
            metrics.disconnected(socketMetric, null);
        }
        if (drained != null && connections.isEmpty()) {
            drained.tryComplete();
        }
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
        drained = loopContext.promise();
        Promise<Void> listenerClosed = loopContext.promise();
        if (listener == null) {
            listenerClosed.complete();
        } else {
            listener.close().addListener(closed -> listenerClosed.complete());
        }
        for (TerminalConnection connection : new ArrayList<>(connections)) {
            connection.onShutdown();
        }
        if (connections.isEmpty()) {
            drained.tryComplete();
        }
        long deadline = vertx.setTimer(services.options().drainMillisMax(), id -> {
            if (!connections.isEmpty()) {
                log.warn("closing {} terminal connections still busy after the {} ms drain",
                        connections.size(), services.options().drainMillisMax());
                for (TerminalConnection connection : new ArrayList<>(connections)) {
                    connection.close();
                }
            }
        });
        return Future.all(listenerClosed.future(), drained.future()).andThen(done -> {
            vertx.cancelTimer(deadline);
            if (metrics != null) {
                metrics.close();
            }
        });
    }

    /** Connections this instance holds, for tests and the scale measurement. */
    int connectionCount() {
        return connections.size();
    }
}
