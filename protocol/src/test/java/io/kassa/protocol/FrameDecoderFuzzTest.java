package io.kassa.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;

// Goal: show that no byte stream, however chunked, makes the decoder or the validator throw
// anything but ProtocolException; method: Jazzer feeds arbitrary bytes through DecoderHarness.
// Without JAZZER_FUZZ it replays the seed corpus in FrameDecoderFuzzTestInputs/ (a regression
// test); with JAZZER_FUZZ=1 it fuzzes, e.g. JAZZER_FUZZ=1 mvn -pl protocol test
// -Dtest=FrameDecoderFuzzTest, and writes any crashing input next to the seeds.
class FrameDecoderFuzzTest {

    /**
     * Input layout: byte 0 chooses the chunking (0 feeds the rest whole, any other value seeds
     * chunks of 1..64 bytes); the remaining bytes are the stream as a terminal would send it.
     */
    @FuzzTest(maxDuration = "10m")
    void decoderAndValidatorLetOnlyProtocolExceptionEscape(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] stream = java.util.Arrays.copyOfRange(input, 1, input.length);
        DecoderHarness.run(stream, input[0], new DecoderHarness.Outcomes());
    }
}
