package io.kassa.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.Hello;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

// Goal: show that a frame with intact boundaries but an unusable payload is reported as
// Malformed with the right code and request id, and never breaks the stream; method: payloads
// written by hand, byte by byte, followed by a valid frame.
class FrameDecoderMalformedTest {

    private static final byte[] NEXT_FRAME = GoldenFrames.ALL.get(2).bytes();

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void payloadThatIsNotProtobufIsMalformedAndTheNextFrameStillDecodes()
            throws ProtocolException {
        // 0xFF starts a tag of field number > 2^28 that never ends: no valid protobuf.
        byte[] garbage = Decoding.frame("\u00ff\u00ff\u00ff\u00ff\u00ff not protobuf"
                .getBytes(StandardCharsets.ISO_8859_1));

        List<Decoded> decoded = Decoding.decodeAll(concat(garbage, NEXT_FRAME));

        assertThat(decoded).hasSize(2);
        Decoded.Malformed malformed = (Decoded.Malformed) decoded.get(0);
        assertThat(malformed.error().code()).isEqualTo(ErrorCode.MALFORMED_PAYLOAD);
        assertThat(malformed.error().fatal()).isFalse();
        assertThat(malformed.requestId()).isZero();
        assertThat(decoded.get(1)).isEqualTo(new Decoded.Message(GoldenFrames.HEARTBEAT));
    }

    @Test
    void unknownBodyFieldNumberIsUnknownMessageTypeCarryingTheRequestId()
            throws ProtocolException {
        // request_id = 7 (08 07), then field 99 length-delimited (9a 06) of 2 bytes (02 08 01):
        // what a newer peer's message type looks like to this version.
        byte[] payload = hex("08079a06020801");

        Decoded.Malformed malformed = Decoding.malformed(Decoding.frame(payload));

        assertThat(malformed.error().code()).isEqualTo(ErrorCode.UNKNOWN_MESSAGE_TYPE);
        assertThat(malformed.error().fatal()).isFalse();
        assertThat(malformed.requestId()).isEqualTo(7);
        assertThat(malformed.error().getMessage()).contains("7");
    }

    @Test
    void unknownBodyIsFollowedByTheNextFrame() throws ProtocolException {
        List<Decoded> decoded = Decoding.decodeAll(
                concat(Decoding.frame(hex("08079a06020801")), NEXT_FRAME));

        assertThat(decoded).hasSize(2);
        assertThat(decoded.get(1)).isEqualTo(new Decoded.Message(GoldenFrames.HEARTBEAT));
    }

    @Test
    void requestIdAboveLongMaxIsCarriedAsUnsigned() throws ProtocolException {
        // request_id is uint64 on the wire; Java holds the top half as negative longs.
        byte[] payload = Envelope.newBuilder().setRequestId(-1L).build().toByteArray();

        Decoded.Malformed malformed = Decoding.malformed(Decoding.frame(payload));

        assertThat(malformed.requestId()).isEqualTo(-1L);
        assertThat(malformed.error().getMessage()).contains("18446744073709551615");
    }

    @Test
    void emptyPayloadIsUnknownMessageTypeWithRequestIdZero() throws ProtocolException {
        Decoded.Malformed malformed = Decoding.malformed(new byte[] {0, 0, 0, 0});

        assertThat(malformed.error().code()).isEqualTo(ErrorCode.UNKNOWN_MESSAGE_TYPE);
        assertThat(malformed.requestId()).isZero();
    }

    @Test
    void envelopeWithOnlyARequestIdIsUnknownMessageType() throws ProtocolException {
        Decoded.Malformed malformed = Decoding.malformed(Decoding.frame(hex("082a")));

        assertThat(malformed.error().code()).isEqualTo(ErrorCode.UNKNOWN_MESSAGE_TYPE);
        assertThat(malformed.requestId()).isEqualTo(42);
    }

    @Test
    void malformedPayloadAfterARequestIdEchoesThatRequestId() throws ProtocolException {
        // request_id = 5, then a Hello whose terminal_id holds the invalid UTF-8 byte 0xFF.
        byte[] payload = hex("0805" + "5203" + "1201ff");

        Decoded.Malformed malformed = Decoding.malformed(Decoding.frame(payload));

        assertThat(malformed.error().code()).isEqualTo(ErrorCode.MALFORMED_PAYLOAD);
        assertThat(malformed.requestId()).isEqualTo(5);
    }

    @Test
    void truncatedInnerMessageIsMalformed() throws ProtocolException {
        byte[] valid = GoldenFrames.HELLO.toByteArray();
        byte[] cut = java.util.Arrays.copyOf(valid, valid.length - 3);

        Decoded.Malformed malformed = Decoding.malformed(Decoding.frame(cut));

        assertThat(malformed.error().code()).isEqualTo(ErrorCode.MALFORMED_PAYLOAD);
        assertThat(malformed.requestId()).isEqualTo(1);
    }

    @Test
    void unknownFieldInsideAKnownBodyIsIgnored() throws ProtocolException {
        // A newer terminal may add fields to Hello; this version must still accept the Hello.
        byte[] hello = Hello.newBuilder().setProtocolVersion(1).setTerminalId("T1")
                .setStoreId("S1").build().toByteArray();
        byte[] helloWithExtra = concat(hello, hex("f80101"));
        byte[] payload = concat(hex("0801"), new byte[] {0x52, (byte) helloWithExtra.length},
                helloWithExtra);

        List<Decoded> decoded = Decoding.decodeAll(Decoding.frame(payload));

        Envelope envelope = Decoding.envelopes(decoded).get(0);
        assertThat(envelope.getHello().getTerminalId()).isEqualTo("T1");
    }

    @Test
    void deeplyNestedGroupsAreMalformedNotAStackOverflow() throws ProtocolException {
        // Start-group tags (field 1000, wire type 3) nested beyond protobuf's recursion limit.
        byte[] tag = hex("c33e");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int depth = 0; depth < 10_000; depth++) {
            out.writeBytes(tag);
        }

        Decoded.Malformed malformed = Decoding.malformed(Decoding.frame(out.toByteArray()));

        assertThat(malformed.error().code()).isEqualTo(ErrorCode.MALFORMED_PAYLOAD);
    }
}
