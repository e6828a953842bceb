package io.kassa.engine.server.terminal;

import io.kassa.engine.server.checkout.CheckoutService;
import java.time.Clock;

/**
 * What every connection of the endpoint shares, gathered in one object so that a connection
 * holds one reference to it instead of one per service: idle connections are most of the
 * connections, and each of their bytes counts 100,000 times.
 */
record TerminalServices(CheckoutService checkout, TerminalServerOptions options,
        TerminalPolicy.Limits limits, TerminalAuthenticator authenticator, PushOutbox outbox,
        boolean clientCertificateRequired, Clock clock, TerminalDesk desk) {
}
