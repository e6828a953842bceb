package io.kassa.protocol;

import io.kassa.protocol.v1.ErrorCode;

/**
 * The one exception of the protocol: a frame or message broke the protocol. It carries the
 * {@link ErrorCode} the peer is told and whether the byte stream can still be trusted: a
 * {@linkplain #fatal() fatal} error means frame boundaries are lost and the connection must
 * be closed after the error frame.
 */
public final class ProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final boolean fatal;

    public ProtocolException(ErrorCode code, String message, boolean fatal) {
        super(message, null, false, false);
        this.code = code;
        this.fatal = fatal;
    }

    /** An error after which the connection stays usable. */
    public static ProtocolException recoverable(ErrorCode code, String message) {
        return new ProtocolException(code, message, false);
    }

    /** An error after which the stream cannot be trusted and the connection is closed. */
    public static ProtocolException fatal(ErrorCode code, String message) {
        return new ProtocolException(code, message, true);
    }

    public ErrorCode code() {
        return code;
    }

    public boolean fatal() {
        return fatal;
    }
}
