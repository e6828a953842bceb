package io.kassa.engine.server.terminal;

import io.kassa.engine.server.checkout.CheckoutService;
import io.kassa.engine.server.cluster.TerminalSessions;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;

/**
 * The terminal endpoint of one node, assembled: the registry terminals authenticate against,
 * the push outbox, and a factory of {@link TerminalServerVerticle}s (deploy one per event loop)
 * that share them. The only door into this package from the engine's wiring.
 */
public final class TerminalEndpoint {

    private final TerminalServices services;
    private final TerminalRegistry registry;
    private final TerminalPolicy policy;

    private TerminalEndpoint(TerminalServices services, TerminalRegistry registry,
            TerminalPolicy policy) {
        this.services = services;
        this.registry = registry;
        this.policy = policy;
    }

    public static TerminalEndpoint create(Pool pool, CheckoutService checkout,
            TerminalServerOptions options, TerminalPolicy policy, Clock clock) {
        return create(pool, checkout, options, policy, clock, TerminalSessions.singleNode());
    }

    /** As above, telling {@code sessions} which terminals connect to this node. */
    public static TerminalEndpoint create(Pool pool, CheckoutService checkout,
            TerminalServerOptions options, TerminalPolicy policy, Clock clock,
            TerminalSessions sessions) {
        SecureRandom random = new SecureRandom();
        TerminalRegistry registry = new PgTerminalRegistry(pool,
                new SecretSealer(policy.secretSealingKey(), random), random, clock);
        TerminalAuthenticator authenticator =
                new TerminalAuthenticator(registry, policy.demoSecretSeed(), random);
        PushOutbox outbox =
                new PushOutbox(policy.limits().pushesRetainedMax(), clock, sessions);
        boolean clientCertificateRequired = policy.tls()
                .flatMap(TerminalPolicy.Tls::clientCa).isPresent();
        return new TerminalEndpoint(new TerminalServices(checkout, options, policy.limits(),
                authenticator, outbox, clientCertificateRequired, clock, new TerminalDesk()),
                registry, policy);
    }

    /** A new verticle instance; Vert.x calls this once per instance deployed. */
    public VerticleBase newVerticle() {
        return new TerminalServerVerticle(services, policy.tls());
    }

    /** Member lookup, payment status, void, top-up and shift totals: wire it once built. */
    public TerminalDesk desk() {
        return services.desk();
    }

    public TerminalRegistry registry() {
        return registry;
    }

    public PushOutbox outbox() {
        return services.outbox();
    }

    public boolean tls() {
        return policy.tls().isPresent();
    }

    public Optional<String> demoSecretSeed() {
        return policy.demoSecretSeed();
    }
}
