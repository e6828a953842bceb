package io.kassa.protocol;

import io.kassa.protocol.v1.Envelope;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Helpers the codec tests share: concatenating frames and collecting what a decoder yields. */
final class Decoding {

    private Decoding() {
    }

    /** The frames of these envelopes, back to back, as one byte stream. */
    static byte[] stream(List<Envelope> envelopes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Envelope envelope : envelopes) {
            out.writeBytes(FrameEncoder.encode(envelope));
        }
        return out.toByteArray();
    }

    /** Feeds the whole stream to a fresh default decoder in one call. */
    static List<Decoded> decodeAll(byte[] stream) throws ProtocolException {
        List<Decoded> decoded = new ArrayList<>();
        new FrameDecoder().feed(stream, decoded::add);
        return decoded;
    }

    /** The envelopes of decoded messages; fails on anything that is not a message. */
    static List<Envelope> envelopes(List<Decoded> decoded) {
        List<Envelope> envelopes = new ArrayList<>();
        for (Decoded each : decoded) {
            if (!(each instanceof Decoded.Message message)) {
                throw new AssertionError("expected a message, got " + each);
            }
            envelopes.add(message.envelope());
        }
        return envelopes;
    }

    /** The single decoded item of a one-frame stream, which must be Malformed. */
    static Decoded.Malformed malformed(byte[] stream) throws ProtocolException {
        List<Decoded> decoded = decodeAll(stream);
        if (decoded.size() != 1 || !(decoded.get(0) instanceof Decoded.Malformed malformed)) {
            throw new AssertionError("expected one Malformed, got " + decoded);
        }
        return malformed;
    }

    /** A frame with this exact payload, whatever it holds. */
    static byte[] frame(byte[] payload) {
        byte[] frame = new byte[FrameLimits.LENGTH_PREFIX_BYTES + payload.length];
        java.nio.ByteBuffer.wrap(frame).putInt(payload.length).put(payload);
        return frame;
    }
}
