package io.kassa.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

// Goal: pin the exact wire bytes of every message type, so that any change to the codec or the
// schema that would break a deployed terminal fails here; method: encode each golden envelope
// and compare with its hex, then decode the hex and compare with the envelope.
class GoldenFramesTest {

    static final List<GoldenFrames.Golden> GOLDEN = GoldenFrames.ALL;

    @ParameterizedTest
    @FieldSource("GOLDEN")
    void encodesToTheGoldenBytes(GoldenFrames.Golden golden) {
        assertThat(HexFormat.of().formatHex(FrameEncoder.encode(golden.envelope())))
                .isEqualTo(golden.hex());
        assertThat(FrameEncoder.frameBytes(golden.envelope())).isEqualTo(golden.bytes().length);
    }

    @ParameterizedTest
    @FieldSource("GOLDEN")
    void decodesTheGoldenBytes(GoldenFrames.Golden golden) throws ProtocolException {
        List<Decoded> decoded = Decoding.decodeAll(golden.bytes());

        assertThat(Decoding.envelopes(decoded)).containsExactly(golden.envelope());
    }

    @ParameterizedTest
    @FieldSource("GOLDEN")
    void lengthPrefixIsBigEndianPayloadSize(GoldenFrames.Golden golden) {
        byte[] frame = golden.bytes();
        long declared = ((frame[0] & 0xFFL) << 24) | ((frame[1] & 0xFFL) << 16)
                | ((frame[2] & 0xFFL) << 8) | (frame[3] & 0xFFL);

        assertThat(declared).isEqualTo(golden.envelope().getSerializedSize())
                .isEqualTo(frame.length - FrameLimits.LENGTH_PREFIX_BYTES);
    }

    @ParameterizedTest
    @FieldSource("GOLDEN")
    void everyGoldenRequestPassesTheValidator(GoldenFrames.Golden golden)
            throws ProtocolException {
        // The worked examples in SPEC.md must be valid requests, or vendors copy a bad example.
        MessageValidator.validate(golden.envelope());
    }
}
