package io.kassa.peripherals.sdk;

/**
 * No answer arrived within the request timeout (or, for {@link TerminalClient#connect()}, no
 * Welcome within the connect timeout). A late answer is logged and dropped. As with a lost
 * connection, a timed-out checkout may still have committed: retry it with the same sale id.
 */
public final class TerminalTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TerminalTimeoutException(String message) {
        super(message);
    }
}
