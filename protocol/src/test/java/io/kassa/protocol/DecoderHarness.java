package io.kassa.protocol;

/**
 * What the engine does with bytes from a terminal, minus the network: feed them to a decoder
 * in chunks and validate every decoded message. Shared by the fuzz test and the mutation test,
 * whose property is that nothing but {@link ProtocolException} can come out of here.
 */
final class DecoderHarness {

    /** What one run saw, for tests that check their inputs reach every path. */
    static final class Outcomes {
        long messages;
        long malformed;
        long invalid;
        long fatal;
    }

    private DecoderHarness() {
    }

    /**
     * Feeds {@code stream} to a fresh decoder in chunks whose sizes come from {@code chunkSeed}
     * (0 feeds it whole), validating every message. Stops at the first fatal error, as a
     * connection would close. Any exception other than ProtocolException propagates.
     */
    static void run(byte[] stream, int chunkSeed, Outcomes outcomes) {
        FrameDecoder decoder = new FrameDecoder();
        int offset = 0;
        int seed = chunkSeed;
        try {
            while (offset < stream.length) {
                int chunk = stream.length - offset;
                if (chunkSeed != 0) {
                    // A tiny LCG: cheap, deterministic, and gives chunks of 1..64 bytes.
                    seed = seed * 1_103_515_245 + 12_345;
                    chunk = Math.min(chunk, 1 + ((seed >>> 16) & 63));
                }
                decoder.feed(stream, offset, chunk, decoded -> judge(decoded, outcomes));
                offset += chunk;
            }
        } catch (ProtocolException fatal) {
            if (!fatal.fatal()) {
                throw new AssertionError("decoder threw a recoverable error", fatal);
            }
            outcomes.fatal++;
        }
    }

    private static void judge(Decoded decoded, Outcomes outcomes) {
        // Pattern matching in switch is a preview feature on Java 17, hence instanceof.
        if (decoded instanceof Decoded.Malformed malformed) {
            if (malformed.error().fatal()) {
                throw new AssertionError("Malformed carries a fatal error");
            }
            outcomes.malformed++;
            return;
        }
        outcomes.messages++;
        try {
            MessageValidator.validate(((Decoded.Message) decoded).envelope());
        } catch (ProtocolException invalid) {
            if (invalid.fatal()) {
                throw new AssertionError("validator threw a fatal error", invalid);
            }
            outcomes.invalid++;
        }
    }
}
