package io.kassa.peripherals;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The Vert.x the peripherals' programs run on (POS simulator, gateway simulator, the load
 * generator): Netty's epoll transport where the platform has it, NIO elsewhere. On epoll a
 * timer fires to the microsecond (a timerfd) instead of the millisecond NIO's selector
 * rounds to, and an event loop waiting for a timer less than a millisecond away sleeps
 * instead of spinning: a load generator on NIO burnt a third of a core that way.
 */
public final class PeripheralVertx {

    private PeripheralVertx() {
    }

    public static Vertx create() {
        return Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
    }
}
