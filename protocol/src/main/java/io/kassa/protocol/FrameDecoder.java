package io.kassa.protocol;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.ErrorCode;
import java.util.function.Consumer;

/**
 * Turns a byte stream, arriving in chunks of any size, into frames. Transport-independent: feed
 * it whatever the socket delivered, in order.
 *
 * <pre>
 * +----------------+------------------------------+
 * | length: uint32 | payload: Envelope (protobuf) |
 * +----------------+------------------------------+
 *   4 bytes BE        0 .. FRAME_BYTES_MAX bytes
 * </pre>
 *
 * <p>The declared length is checked against the maximum before a byte of payload is buffered,
 * so a hostile peer cannot make the decoder allocate more than {@code frameBytesMax}. A length
 * above the maximum is fatal: the stream's frame boundaries can no longer be trusted. A payload
 * that does not parse, or parses to an Envelope without a known body, is reported as {@link
 * Decoded.Malformed} and the stream goes on with the next frame.
 *
 * <p>Not thread-safe: one decoder per connection, fed from one thread (the connection's event
 * loop).
 */
public final class FrameDecoder {

    private final int frameBytesMax;
    /**
     * The length prefix as it arrives, big-endian, shifted in byte by byte (an int rather than
     * a 4-byte array: one object fewer per connection, and there are 100,000 connections).
     */
    private int prefix;
    private int prefixFilled;
    private byte[] payload;
    private int payloadFilled;
    private boolean failed;

    public FrameDecoder() {
        this(FrameLimits.FRAME_BYTES_MAX);
    }

    public FrameDecoder(int frameBytesMax) {
        if (frameBytesMax < 0) {
            throw new IllegalArgumentException("frameBytesMax must be >= 0: " + frameBytesMax);
        }
        this.frameBytesMax = frameBytesMax;
    }

    /**
     * Consumes {@code length} bytes of {@code bytes} from {@code offset}, handing every frame
     * completed by them to {@code sink}, in order.
     *
     * @throws ProtocolException (fatal) when a declared length exceeds the maximum; the decoder
     *     refuses further input afterwards
     */
    public void feed(byte[] bytes, int offset, int length, Consumer<Decoded> sink)
            throws ProtocolException {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IndexOutOfBoundsException(
                    "offset " + offset + ", length " + length + ", array " + bytes.length);
        }
        if (failed) {
            throw new IllegalStateException("decoder already failed; the connection must close");
        }
        int position = offset;
        int end = offset + length;
        while (position < end) {
            if (payload == null) {
                while (prefixFilled < FrameLimits.LENGTH_PREFIX_BYTES && position < end) {
                    prefix = (prefix << 8) | (bytes[position++] & 0xFF);
                    prefixFilled++;
                }
                if (prefixFilled < FrameLimits.LENGTH_PREFIX_BYTES) {
                    return;
                }
                long declared = Integer.toUnsignedLong(prefix);
                if (declared > frameBytesMax) {
                    failed = true;
                    throw ProtocolException.fatal(ErrorCode.FRAME_TOO_LARGE, "declared length "
                            + declared + " exceeds frame_bytes_max " + frameBytesMax);
                }
                payload = new byte[(int) declared];
                payloadFilled = 0;
            }
            int take = Math.min(payload.length - payloadFilled, end - position);
            System.arraycopy(bytes, position, payload, payloadFilled, take);
            payloadFilled += take;
            position += take;
            if (payloadFilled == payload.length) {
                byte[] complete = payload;
                payload = null;
                prefix = 0;
                prefixFilled = 0;
                sink.accept(parse(complete));
            }
        }
    }

    /** Convenience for a whole array. */
    public void feed(byte[] bytes, Consumer<Decoded> sink) throws ProtocolException {
        feed(bytes, 0, bytes.length, sink);
    }

    /** True when some bytes of a frame have arrived but not all of it. */
    public boolean hasPartialFrame() {
        return prefixFilled > 0 || payload != null;
    }

    /** Bytes held for the frame in progress. */
    public int bufferedBytes() {
        return prefixFilled + (payload == null ? 0 : payloadFilled);
    }

    /** Parses one payload; never throws. */
    public static Decoded parse(byte[] payloadBytes) {
        Envelope envelope;
        try {
            envelope = Envelope.parseFrom(payloadBytes);
        } catch (InvalidProtocolBufferException e) {
            // Protobuf writes fields in number order, so request_id (field 1) usually precedes
            // the damage; echoing it lets the terminal fail that one request at once instead of
            // waiting for its timeout.
            long requestId = e.getUnfinishedMessage() instanceof Envelope partial
                    ? partial.getRequestId() : 0;
            return new Decoded.Malformed(requestId, ProtocolException.recoverable(
                    ErrorCode.MALFORMED_PAYLOAD, "payload is not an Envelope: " + e.getMessage()));
        }
        if (envelope.getBodyCase() == Envelope.BodyCase.BODY_NOT_SET) {
            return new Decoded.Malformed(envelope.getRequestId(), ProtocolException.recoverable(
                    ErrorCode.UNKNOWN_MESSAGE_TYPE, "envelope of request "
                            + Long.toUnsignedString(envelope.getRequestId())
                            + " carries no message type known to protocol v1"));
        }
        return new Decoded.Message(envelope);
    }
}
