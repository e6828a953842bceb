package io.kassa.peripherals.sdk;

import io.kassa.protocol.v1.ErrorCode;

/**
 * The engine answered a request with something the protocol does not allow there: a response of
 * the wrong type, or a frame whose payload could not be parsed. It is not an {@code Error} frame
 * (that is {@link TerminalErrorException}); it points at a bug in the engine or the SDK.
 */
public final class TerminalProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public TerminalProtocolException(ErrorCode code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
