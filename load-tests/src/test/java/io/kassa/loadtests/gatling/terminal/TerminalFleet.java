package io.kassa.loadtests.gatling.terminal;

import io.kassa.loadtests.TerminalLoadGenerator;
import io.kassa.peripherals.sdk.TerminalClient;
import io.kassa.peripherals.sdk.TerminalClientOptions;
import io.kassa.protocol.v1.Welcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The virtual terminals of a simulation: one SDK client, so one persistent TCP connection,
 * per terminal, on a Vert.x of their own. Sales arriving in the open model are spread over
 * them, many in flight on one connection at once, as on a busy till's connection to its
 * engine. Terminals are named as the load generator names them.
 */
public final class TerminalFleet implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final List<TerminalClient> clients;

    /**
     * Creates (does not connect) {@code terminals} clients spread over {@code stores} stores.
     *
     * @param secrets each terminal's secret by store id and terminal id
     */
    public TerminalFleet(int port, int terminals, int stores,
            BiFunction<String, String, byte[]> secrets) {
        clients = new ArrayList<>(terminals);
        for (int index = 0; index < terminals; index++) {
            TerminalLoadGenerator.Terminal named = TerminalLoadGenerator.terminal(index, stores);
            clients.add(TerminalClient.create(vertx, new TerminalClientOptions()
                    .setHost("127.0.0.1").setPort(port).setStoreId(named.storeId())
                    .setTerminalId(named.terminalId()).setSoftwareVersion("kassa-gatling")
                    .setSecret(secrets.apply(named.storeId(), named.terminalId()))
                    .setInFlightMax(1_000).setRequestTimeoutMillis(30_000)));
        }
    }

    public int size() {
        return clients.size();
    }

    /** The client of terminal {@code index}, taken modulo the fleet's size. */
    public TerminalClient client(long index) {
        return clients.get((int) Math.floorMod(index, (long) clients.size()));
    }

    public Future<Welcome> connect(long index) {
        return client(index).connect();
    }

    /** Closes every connection and the fleet's Vert.x; blocks, so call it from after(). */
    @Override
    public void close() {
        List<Future<?>> closing = new ArrayList<>();
        for (TerminalClient client : clients) {
            closing.add(client.close());
        }
        try {
            Future.join(closing).await(30, TimeUnit.SECONDS);
            vertx.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the terminal fleet did not close", e);
        }
    }
}
