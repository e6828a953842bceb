package io.kassa.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.Hello;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

// Goal: pin the frame size limit at N and N+1 on both the encoding and the decoding side, and
// show that an oversized declared length is refused before anything is allocated for it;
// method: envelopes padded to an exact serialized size, and hand-written length prefixes.
class FrameLimitsTest {

    private static final byte[] PREFIX_ABOVE_MAX = prefix(FrameLimits.FRAME_BYTES_MAX + 1L);

    /** A Hello envelope whose payload is exactly {@code payloadBytes} long. */
    static Envelope envelopeOfPayloadBytes(int payloadBytes) {
        // The varint length prefixes grow with the padding, so search rather than compute.
        for (int padding = payloadBytes; padding >= 0; padding--) {
            Envelope envelope = Envelope.newBuilder().setRequestId(1)
                    .setHello(Hello.newBuilder().setSoftwareVersion("x".repeat(padding)))
                    .build();
            if (envelope.getSerializedSize() == payloadBytes) {
                return envelope;
            }
        }
        throw new AssertionError("no padding gives " + payloadBytes + " bytes");
    }

    private static byte[] prefix(long declaredBytes) {
        return new byte[] {(byte) (declaredBytes >>> 24), (byte) (declaredBytes >>> 16),
            (byte) (declaredBytes >>> 8), (byte) declaredBytes};
    }

    @Test
    void payloadOfExactlyFrameBytesMaxIsEncodedAndDecoded() throws ProtocolException {
        Envelope envelope = envelopeOfPayloadBytes(FrameLimits.FRAME_BYTES_MAX);

        byte[] frame = FrameEncoder.encode(envelope);

        assertThat(frame).hasSize(FrameLimits.LENGTH_PREFIX_BYTES + FrameLimits.FRAME_BYTES_MAX);
        assertThat(Decoding.envelopes(Decoding.decodeAll(frame))).containsExactly(envelope);
    }

    @Test
    void encoderRefusesPayloadOfFrameBytesMaxPlusOne() {
        Envelope envelope = envelopeOfPayloadBytes(FrameLimits.FRAME_BYTES_MAX + 1);

        assertThatThrownBy(() -> FrameEncoder.encode(envelope))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65537");
    }

    @Test
    void decoderRefusesDeclaredLengthOfFrameBytesMaxPlusOneAsFatal() {
        FrameDecoder decoder = new FrameDecoder();

        assertThatThrownBy(() -> decoder.feed(PREFIX_ABOVE_MAX, ignored -> { }))
                .isInstanceOfSatisfying(ProtocolException.class, error -> {
                    assertThat(error.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
                    assertThat(error.fatal()).isTrue();
                    assertThat(error.getMessage()).contains("65537");
                });
    }

    @Test
    void decoderRefusesDeclaredLengthOfFrameBytesMaxPlusOneWithoutItsPayload() {
        // The refusal comes with the prefix alone: no payload byte needs to have arrived.
        byte[] frame = Decoding.frame(new byte[FrameLimits.FRAME_BYTES_MAX + 1]);
        FrameDecoder decoder = new FrameDecoder();

        assertThatThrownBy(() -> decoder.feed(frame, 0, FrameLimits.LENGTH_PREFIX_BYTES,
                ignored -> { })).isInstanceOf(ProtocolException.class);
    }

    @Test
    void decoderRefusesLargestDeclaredLengthWithoutAllocatingIt() {
        byte[] largest = prefix(0xFFFF_FFFFL);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long threadId = Thread.currentThread().getId();
        FrameDecoder decoder = new FrameDecoder();
        ProtocolException refusal = null;

        long allocatedBefore = threads.getThreadAllocatedBytes(threadId);
        try {
            decoder.feed(largest, ignored -> { });
        } catch (ProtocolException error) {
            refusal = error;
        }
        long allocatedBytes = threads.getThreadAllocatedBytes(threadId) - allocatedBefore;

        assertThat(refusal).isNotNull();
        assertThat(refusal.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(refusal.fatal()).isTrue();
        assertThat(refusal.getMessage()).contains("4294967295");
        // The exception and its message cost a few hundred bytes; a payload buffer would cost
        // at least frame_bytes_max.
        assertThat(allocatedBytes).isLessThan(FrameLimits.FRAME_BYTES_MAX);
    }

    @Test
    void decoderRefusesInputAfterAFatalError() {
        FrameDecoder decoder = new FrameDecoder();
        assertThatThrownBy(() -> decoder.feed(PREFIX_ABOVE_MAX, ignored -> { }))
                .isInstanceOf(ProtocolException.class);
        byte[] valid = GoldenFrames.ALL.get(2).bytes();
        List<Decoded> decoded = new ArrayList<>();

        assertThatThrownBy(() -> decoder.feed(valid, decoded::add))
                .isInstanceOf(IllegalStateException.class);
        assertThat(decoded).isEmpty();
    }

    @Test
    void framesBeforeAnOversizedOneAreStillDelivered() {
        byte[] valid = GoldenFrames.ALL.get(2).bytes();
        byte[] stream = new byte[valid.length + PREFIX_ABOVE_MAX.length];
        System.arraycopy(valid, 0, stream, 0, valid.length);
        System.arraycopy(PREFIX_ABOVE_MAX, 0, stream, valid.length, PREFIX_ABOVE_MAX.length);
        List<Decoded> decoded = new ArrayList<>();

        assertThatThrownBy(() -> new FrameDecoder().feed(stream, decoded::add))
                .isInstanceOf(ProtocolException.class);
        assertThat(Decoding.envelopes(decoded)).containsExactly(GoldenFrames.HEARTBEAT);
    }

    @Test
    void smallerConfiguredMaximumIsHonouredAtNAndNPlusOne() throws ProtocolException {
        int frameBytesMax = 100;
        byte[] atMax = FrameEncoder.encode(envelopeOfPayloadBytes(frameBytesMax));
        byte[] aboveMax = FrameEncoder.encode(envelopeOfPayloadBytes(frameBytesMax + 1));
        List<Decoded> decoded = new ArrayList<>();

        new FrameDecoder(frameBytesMax).feed(atMax, decoded::add);

        assertThat(decoded).hasSize(1);
        assertThatThrownBy(() -> new FrameDecoder(frameBytesMax).feed(aboveMax, decoded::add))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void negativeMaximumIsAProgrammerError() {
        assertThatThrownBy(() -> new FrameDecoder(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sliceOutsideTheArrayIsAProgrammerError() {
        FrameDecoder decoder = new FrameDecoder();

        assertThatThrownBy(() -> decoder.feed(new byte[4], 2, 3, ignored -> { }))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> decoder.feed(new byte[4], -1, 1, ignored -> { }))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
