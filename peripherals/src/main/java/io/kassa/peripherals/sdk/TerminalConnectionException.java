package io.kassa.peripherals.sdk;

/**
 * The connection to the engine could not be opened, was lost, or was closed; every request in
 * flight on it fails with this. Whether a failed checkout was committed is unknown: retry it
 * with the same sale id on a new connection (checkouts are idempotent on the sale id).
 */
public final class TerminalConnectionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TerminalConnectionException(String message) {
        super(message);
    }

    public TerminalConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
