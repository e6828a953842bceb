package io.kassa.engine.server.terminal;

import io.kassa.protocol.FrameLimits;
import io.kassa.protocol.TerminalAuthentication;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a proof authenticates a terminal (protocol/SPEC.md section 7.2) and keeps the
 * failure counts that rate-limit guessing. Shared by every connection of the node.
 *
 * <p>An unknown terminal, a disabled one, the wrong store and a wrong proof are one outcome,
 * and the proof is computed in every case (against a random stand-in secret for an unknown
 * terminal), so that neither the answer nor its timing tells which one it was.
 */
final class TerminalAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(TerminalAuthenticator.class);

    private final TerminalRegistry registry;
    private final Optional<String> demoSecretSeed;
    private final SecureRandom random;
    private final byte[] standInSecret;
    private final AuthenticationLimiter failuresPerTerminal;
    private final AuthenticationLimiter failuresPerAddress;

    TerminalAuthenticator(TerminalRegistry registry, Optional<String> demoSecretSeed,
            SecureRandom random) {
        this.registry = registry;
        this.demoSecretSeed = demoSecretSeed;
        this.random = random;
        this.standInSecret = TerminalAuthentication.newSecret(random);
        this.failuresPerTerminal = new AuthenticationLimiter(
                FrameLimits.AUTH_FAILURES_PER_TERMINAL_MAX, FrameLimits.AUTH_FAILURE_WINDOW_MILLIS,
                AuthenticationLimiter.KEYS_MAX);
        this.failuresPerAddress = new AuthenticationLimiter(
                FrameLimits.AUTH_FAILURES_PER_ADDRESS_MAX, FrameLimits.AUTH_FAILURE_WINDOW_MILLIS,
                AuthenticationLimiter.KEYS_MAX);
    }

    byte[] newNonce() {
        byte[] nonce = new byte[FrameLimits.AUTH_NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }

    /** True when this terminal id or this address may not try again yet. */
    boolean limited(String terminalId, String remoteAddress, long nowMillis) {
        return failuresPerTerminal.limited(terminalId, nowMillis)
                || failuresPerAddress.limited(remoteAddress, nowMillis);
    }

    void recordFailure(String terminalId, String remoteAddress, long nowMillis) {
        failuresPerTerminal.recordFailure(terminalId, nowMillis);
        failuresPerAddress.recordFailure(remoteAddress, nowMillis);
    }

    /**
     * Completes with true when {@code proof} authenticates the terminal; fails only when the
     * registry cannot be asked (an operating failure, not a wrong proof).
     */
    Future<Boolean> verify(String terminalId, String storeId, byte[] nonce, byte[] proof) {
        return registry.find(terminalId).map(found -> {
            Optional<TerminalCredential> credential = found.isPresent() ? found
                    : demoSecretSeed.map(seed -> new TerminalCredential(terminalId, storeId,
                            TerminalAuthentication.demoSecret(seed, storeId, terminalId), false));
            byte[] secret = credential.map(TerminalCredential::secret).orElse(standInSecret);
            boolean proofRight =
                    TerminalAuthentication.verify(secret, nonce, terminalId, storeId, proof);
            boolean accepted = proofRight && credential.isPresent()
                    && !credential.get().disabled()
                    && credential.get().storeId().equals(storeId);
            if (!accepted) {
                // The terminal is told nothing more; the operator's log says what was wrong.
                log.info("terminal '{}' of store '{}' failed to authenticate: {}", terminalId,
                        storeId, credential.isEmpty() ? "not provisioned"
                                : credential.get().disabled() ? "disabled"
                                : !credential.get().storeId().equals(storeId)
                                        ? "provisioned for another store" : "wrong proof");
            }
            return accepted;
        });
    }
}
