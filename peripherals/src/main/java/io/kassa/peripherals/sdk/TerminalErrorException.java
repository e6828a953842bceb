package io.kassa.peripherals.sdk;

import io.kassa.protocol.v1.ErrorCode;

/**
 * The engine answered a request with an {@code Error} frame. The code says what went wrong; a
 * {@linkplain #fatal() fatal} error means the engine closes the connection after it, and the
 * client has already treated the connection as closed.
 */
public final class TerminalErrorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final boolean fatal;
    private final long requestId;

    public TerminalErrorException(ErrorCode code, String message, boolean fatal, long requestId) {
        super("engine answered request " + Long.toUnsignedString(requestId) + " with " + code
                + (fatal ? " (fatal)" : "") + ": " + message);
        this.code = code;
        this.fatal = fatal;
        this.requestId = requestId;
    }

    public ErrorCode code() {
        return code;
    }

    public boolean fatal() {
        return fatal;
    }

    public long requestId() {
        return requestId;
    }
}
