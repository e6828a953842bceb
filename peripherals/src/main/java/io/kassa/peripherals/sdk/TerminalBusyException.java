package io.kassa.peripherals.sdk;

/**
 * The client already has {@code inFlightMax} requests awaiting an answer, so a new one is refused
 * before anything is sent. This is back-pressure from the client itself, not an answer from the
 * engine: wait for an answer and try again.
 */
public final class TerminalBusyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public TerminalBusyException(String message) {
        super(message);
    }
}
