package io.kassa.protocol;

import io.kassa.protocol.v1.Envelope;

/**
 * One complete frame as the {@link FrameDecoder} found it: either a message, or a frame whose
 * boundaries were intact but whose payload was not a usable Envelope. The latter does not
 * break the stream; the receiver answers it with an error frame and goes on.
 */
public sealed interface Decoded {

    record Message(Envelope envelope) implements Decoded {
    }

    /**
     * @param requestId the envelope's request id when the payload parsed far enough to tell,
     *     else 0; the error frame answering it carries the same id
     */
    record Malformed(long requestId, ProtocolException error) implements Decoded {
    }
}
