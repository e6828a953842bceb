package io.kassa.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.protocol.v1.Envelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

// Goal: prove that frame boundaries do not depend on how TCP chunks the stream; method: feed
// one stream of every golden frame split at every offset, byte by byte, and in random chunks,
// and compare with what one whole feed yields.
class FrameDecoderStreamTest {

    private static final List<Envelope> ENVELOPES = GoldenFrames.ALL.stream()
            .map(GoldenFrames.Golden::envelope).toList();

    private static final byte[] STREAM = Decoding.stream(ENVELOPES);

    @Test
    void wholeStreamDecodesToEveryFrameInOrder() throws ProtocolException {
        assertThat(Decoding.envelopes(Decoding.decodeAll(STREAM)))
                .containsExactlyElementsOf(ENVELOPES);
    }

    @Test
    void streamSplitAtEveryOffsetDecodesTheSame() throws ProtocolException {
        for (int split = 0; split <= STREAM.length; split++) {
            FrameDecoder decoder = new FrameDecoder();
            List<Decoded> decoded = new ArrayList<>();

            decoder.feed(STREAM, 0, split, decoded::add);
            decoder.feed(STREAM, split, STREAM.length - split, decoded::add);

            assertThat(Decoding.envelopes(decoded)).as("split at %d", split)
                    .containsExactlyElementsOf(ENVELOPES);
            assertThat(decoder.hasPartialFrame()).isFalse();
        }
    }

    @Test
    void streamFedByteByByteDecodesTheSame() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder();
        List<Decoded> decoded = new ArrayList<>();

        for (int offset = 0; offset < STREAM.length; offset++) {
            decoder.feed(STREAM, offset, 1, decoded::add);
        }

        assertThat(Decoding.envelopes(decoded)).containsExactlyElementsOf(ENVELOPES);
        assertThat(decoder.bufferedBytes()).isZero();
    }

    @Test
    void streamFedInRandomChunksDecodesTheSame() throws ProtocolException {
        Random random = new Random(20260101);
        for (int round = 0; round < 1_000; round++) {
            FrameDecoder decoder = new FrameDecoder();
            List<Decoded> decoded = new ArrayList<>();
            int offset = 0;
            while (offset < STREAM.length) {
                // Zero-length chunks are legal too: a read can return nothing.
                int chunk = Math.min(random.nextInt(40), STREAM.length - offset);
                decoder.feed(STREAM, offset, chunk, decoded::add);
                offset += chunk;
            }
            assertThat(Decoding.envelopes(decoded)).containsExactlyElementsOf(ENVELOPES);
        }
    }

    @Test
    void partialFrameIsReportedUntilItCompletes() throws ProtocolException {
        byte[] frame = GoldenFrames.ALL.get(0).bytes();
        FrameDecoder decoder = new FrameDecoder();
        List<Decoded> decoded = new ArrayList<>();
        assertThat(decoder.hasPartialFrame()).isFalse();
        assertThat(decoder.bufferedBytes()).isZero();

        for (int offset = 0; offset < frame.length - 1; offset++) {
            decoder.feed(frame, offset, 1, decoded::add);
            assertThat(decoder.hasPartialFrame()).as("after %d bytes", offset + 1).isTrue();
            assertThat(decoder.bufferedBytes()).isEqualTo(offset + 1);
        }
        assertThat(decoded).isEmpty();

        decoder.feed(frame, frame.length - 1, 1, decoded::add);
        assertThat(decoded).hasSize(1);
        assertThat(decoder.hasPartialFrame()).isFalse();
        assertThat(decoder.bufferedBytes()).isZero();
    }

    @Test
    void frameEndingExactlyAtChunkEndLeavesNothingBuffered() throws ProtocolException {
        // A zero-length payload completes as soon as its prefix does, even at a chunk's end.
        byte[] emptyFrame = {0, 0, 0, 0};
        FrameDecoder decoder = new FrameDecoder();
        List<Decoded> decoded = new ArrayList<>();

        decoder.feed(emptyFrame, decoded::add);

        assertThat(decoded).hasSize(1);
        assertThat(decoder.hasPartialFrame()).isFalse();
    }

    @Test
    void sliceOfALargerArrayIsHonoured() throws ProtocolException {
        byte[] frame = GoldenFrames.ALL.get(2).bytes();
        byte[] padded = new byte[frame.length + 20];
        padded[0] = (byte) 0xFF;
        System.arraycopy(frame, 0, padded, 10, frame.length);
        List<Decoded> decoded = new ArrayList<>();

        new FrameDecoder().feed(padded, 10, frame.length, decoded::add);

        assertThat(Decoding.envelopes(decoded)).containsExactly(GoldenFrames.HEARTBEAT);
    }
}
