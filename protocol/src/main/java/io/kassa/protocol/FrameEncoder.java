package io.kassa.protocol;

import io.kassa.protocol.v1.Envelope;
import java.nio.ByteBuffer;

/**
 * Encodes an {@link Envelope} into one frame.
 *
 * <pre>
 * +----------------+------------------------------+
 * | length: uint32 | payload: Envelope (protobuf) |
 * | big-endian     | exactly 'length' bytes       |
 * +----------------+------------------------------+
 * </pre>
 *
 * Stateless and thread-safe; used by the engine, the terminal SDK and the load generator.
 */
public final class FrameEncoder {

    private FrameEncoder() {
    }

    /**
     * Returns the frame bytes: prefix and payload.
     *
     * @throws IllegalArgumentException if the payload would exceed {@link
     *     FrameLimits#FRAME_BYTES_MAX}: a sender must never produce a frame its peer rejects
     */
    public static byte[] encode(Envelope envelope) {
        int payloadBytes = envelope.getSerializedSize();
        checkSize(payloadBytes);
        byte[] frame = new byte[FrameLimits.LENGTH_PREFIX_BYTES + payloadBytes];
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        buffer.putInt(payloadBytes);
        try {
            envelope.writeTo(com.google.protobuf.CodedOutputStream.newInstance(
                    frame, FrameLimits.LENGTH_PREFIX_BYTES, payloadBytes));
        } catch (java.io.IOException impossible) {
            throw new IllegalStateException("writing to an array cannot fail", impossible);
        }
        return frame;
    }

    /** Frame bytes {@link #encode} would produce for this envelope. */
    public static int frameBytes(Envelope envelope) {
        return FrameLimits.LENGTH_PREFIX_BYTES + envelope.getSerializedSize();
    }

    private static void checkSize(int payloadBytes) {
        if (payloadBytes > FrameLimits.FRAME_BYTES_MAX) {
            throw new IllegalArgumentException("payload of " + payloadBytes
                    + " bytes exceeds frame_bytes_max " + FrameLimits.FRAME_BYTES_MAX);
        }
    }
}
