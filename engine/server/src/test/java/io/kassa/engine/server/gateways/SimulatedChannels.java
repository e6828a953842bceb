package io.kassa.engine.server.gateways;

import io.kassa.peripherals.gateway.GatewaySimulator;
import io.kassa.peripherals.gateway.GatewaySimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real gateway simulator started in-process on a free loopback port, with the engine's
 * adapters wired to it through the key directory the simulator writes (the same key exchange
 * as the demo). Keys are generated once per build under target/ and reused.
 */
final class SimulatedChannels implements AutoCloseable {

    static final Path KEYS = Path.of("target", "gateway-test-keys");

    /** Short timeouts and a quick breaker so that failure paths take milliseconds. */
    static final ChannelSettings FAST = ChannelSettings.defaults().withCalls(
            Duration.ofMillis(400), Duration.ofMillis(300), 4, Duration.ofMillis(20), 3,
            Duration.ofMillis(300));

    final Vertx vertx;
    final GatewaySimulator simulator;
    final PaymentChannels channels;
    final ChannelCredentials credentials;

    private SimulatedChannels(Vertx vertx, GatewaySimulator simulator,
            ChannelCredentials credentials, PaymentChannels channels) {
        this.vertx = vertx;
        this.simulator = simulator;
        this.credentials = credentials;
        this.channels = channels;
    }

    static SimulatedChannels start(GatewaySimulatorOptions options, ChannelSettings settings) {
        Vertx vertx = Vertx.vertx();
        GatewaySimulator simulator = await(GatewaySimulator.start(vertx,
                options.setPort(0).setKeysDirectory(KEYS)));
        ChannelCredentials credentials = ChannelCredentials.load(
                simulator.engineKeysDirectory());
        return new SimulatedChannels(vertx, simulator, credentials,
                PaymentChannels.create(vertx, credentials, settings, Clock.systemUTC()));
    }

    static <T> T await(Future<T> future) {
        try {
            return future.await(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no result within 20 s", e);
        }
    }

    @Override
    public void close() {
        channels.close();
        await(simulator.stop());
        await(vertx.close());
    }
}
