package io.kassa.engine.server.terminal;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * The provisioned terminals and their secrets: the port the terminal endpoint authenticates
 * against, and the provisioning path (command line, tests, later the admin API).
 *
 * <p>Operating failures (the database is down) fail the future; "no such terminal" is an empty
 * optional, not a failure.
 */
public interface TerminalRegistry {

    /** The credential of {@code terminalId}, disabled ones included. */
    Future<Optional<TerminalCredential>> find(String terminalId);

    /**
     * Provisions a new terminal with a fresh random secret, returned once, here: the registry
     * cannot show it again. Fails with {@link IllegalStateException} when the id exists.
     */
    Future<TerminalCredential> provision(String storeId, String terminalId);

    /** Replaces the secret of an existing terminal; the old one stops working at once. */
    Future<TerminalCredential> rotate(String terminalId);

    /** Disables or re-enables a terminal; true when the terminal exists. */
    Future<Boolean> setDisabled(String terminalId, boolean disabled);
}
