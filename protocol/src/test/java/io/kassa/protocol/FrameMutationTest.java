package io.kassa.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.kassa.protocol.v1.Envelope;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

// Goal: the fuzz property (only ProtocolException escapes decoder and validator) over a large,
// deterministic population of near-valid input, which blind fuzzing reaches slowly; method:
// seeded random mutations of the golden frames, at the byte level (bit flips, byte overwrites,
// truncations, length corruption, splices) and at the field level (extreme numbers, strings at
// and beyond their limits, repeated fields resized around theirs, bodies swapped), replayed in
// random chunkings through DecoderHarness.
class FrameMutationTest {

    /** Mutated streams per run: 1,000,000 takes about 5 s on the 2-core build machine. */
    private static final int MUTATIONS = 1_000_000;

    private static final long SEED = 0x4B41_5353_41L;

    private static final List<byte[]> FRAMES = GoldenFrames.ALL.stream()
            .map(GoldenFrames.Golden::bytes).toList();

    @Test
    void mutatedFramesYieldOnlyProtocolExceptions() {
        SplittableRandom random = new SplittableRandom(SEED);
        DecoderHarness.Outcomes outcomes = new DecoderHarness.Outcomes();
        long startNanos = System.nanoTime();

        for (int mutation = 0; mutation < MUTATIONS; mutation++) {
            byte[] stream = mutate(random);
            int chunkSeed = random.nextInt(4) == 0 ? 0 : random.nextInt();
            try {
                DecoderHarness.run(stream, chunkSeed, outcomes);
            } catch (RuntimeException | AssertionError escaped) {
                throw new AssertionError("mutation " + mutation + " with chunk seed " + chunkSeed
                        + " escaped on stream " + HexFormat.of().formatHex(stream), escaped);
            }
        }

        long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
        System.out.printf("%d mutated streams in %d ms: %d messages (%d invalid), %d malformed,"
                + " %d fatal%n", MUTATIONS, elapsedMillis, outcomes.messages, outcomes.invalid,
                outcomes.malformed, outcomes.fatal);
        // The mutations must reach every path, or the property above proves little.
        assertThat(outcomes.messages).isGreaterThan(MUTATIONS / 10);
        assertThat(outcomes.invalid).isGreaterThan(MUTATIONS / 100);
        assertThat(outcomes.malformed).isGreaterThan(MUTATIONS / 100);
        assertThat(outcomes.fatal).isGreaterThan(MUTATIONS / 100);
    }

    private static final int[] INTERESTING_INTS = {0, 1, -1, 2, FrameLimits.QUANTITY_MAX,
        FrameLimits.QUANTITY_MAX + 1, FrameLimits.FRAME_BYTES_MAX + 1, Integer.MAX_VALUE,
        Integer.MIN_VALUE};

    private static final long[] INTERESTING_LONGS = {0, 1, -1, 1L << 53, Long.MAX_VALUE / 9_999,
        Long.MAX_VALUE / 2 + 1, Long.MAX_VALUE, Long.MIN_VALUE};

    private static final String[] INTERESTING_STRINGS = {"", "a", "CNY", "\u6536\u94f6\u53f0",
        "a".repeat(64), "a".repeat(65), "a".repeat(128), "a".repeat(129),
        "\uD83D\uDED2".repeat(64), "\uD83D\uDED2".repeat(65), "\u0000", "x\ty", "\u007f",
        "\u0085", "\u200b"};

    private static final int[] INTERESTING_COUNTS = {0, 1, 2, FrameLimits.TENDERS_MAX,
        FrameLimits.TENDERS_MAX + 1, FrameLimits.BASKET_LINES_MAX,
        FrameLimits.BASKET_LINES_MAX + 1};

    private static byte[] mutate(SplittableRandom random) {
        byte[] stream = FRAMES.get(random.nextInt(FRAMES.size()));
        if (random.nextInt(3) == 0) {
            stream = mutateFields(random);
            if (random.nextBoolean()) {
                return stream;
            }
        }
        if (random.nextInt(4) == 0) {
            stream = splice(stream, FRAMES.get(random.nextInt(FRAMES.size())));
        }
        stream = stream.clone();
        int edits = 1 + random.nextInt(3);
        for (int edit = 0; edit < edits; edit++) {
            stream = edit(stream, random);
        }
        return stream;
    }

    private static byte[] edit(byte[] stream, SplittableRandom random) {
        if (stream.length < FrameLimits.LENGTH_PREFIX_BYTES) {
            // Already truncated into its prefix: nothing left worth editing.
            return stream;
        }
        int position = random.nextInt(stream.length);
        switch (random.nextInt(6)) {
            case 0 -> stream[position] ^= (byte) (1 << random.nextInt(8));
            case 1 -> stream[position] = (byte) random.nextInt(256);
            case 2 -> stream = Arrays.copyOf(stream, position);
            case 3 -> {
                // Shift the declared length by a little, so that frames overlap or fall short.
                int delta = random.nextInt(-8, 9);
                stream[3] = (byte) (stream[3] + delta);
            }
            case 4 -> {
                // A declared length anywhere in the 32-bit range, mostly above the maximum.
                int declared = random.nextInt();
                stream[0] = (byte) (declared >>> 24);
                stream[1] = (byte) (declared >>> 16);
                stream[2] = (byte) (declared >>> 8);
                stream[3] = (byte) declared;
            }
            default -> {
                // Protobuf's interesting values: varint continuation bits and tag boundaries.
                byte[] interesting = {0x00, 0x7F, (byte) 0x80, (byte) 0xFF, 0x08, 0x0A, 0x12};
                stream[position] = interesting[random.nextInt(interesting.length)];
            }
        }
        return stream;
    }

    /** A golden envelope with 1..3 fields set to edge values, framed without size checks. */
    private static byte[] mutateFields(SplittableRandom random) {
        Envelope golden = GoldenFrames.ALL.get(random.nextInt(GoldenFrames.ALL.size()))
                .envelope();
        Envelope.Builder builder = golden.toBuilder();
        int edits = 1 + random.nextInt(3);
        for (int edit = 0; edit < edits; edit++) {
            mutateMessage(builder, random);
        }
        // Framed by hand: the encoder would refuse an oversized result, the decoder must too.
        return Decoding.frame(builder.build().toByteArray());
    }

    private static void mutateMessage(Message.Builder builder, SplittableRandom random) {
        List<FieldDescriptor> fields = builder.getDescriptorForType().getFields();
        FieldDescriptor field = fields.get(random.nextInt(fields.size()));
        if (field.isRepeated()) {
            int count = builder.getRepeatedFieldCount(field);
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && count > 0
                    && random.nextBoolean()) {
                int index = random.nextInt(count);
                Message.Builder element =
                        ((Message) builder.getRepeatedField(field, index)).toBuilder();
                mutateMessage(element, random);
                builder.setRepeatedField(field, index, element.build());
            } else {
                resize(builder, field, INTERESTING_COUNTS[random.nextInt(
                        INTERESTING_COUNTS.length)]);
            }
            return;
        }
        switch (field.getJavaType()) {
            case MESSAGE -> {
                // For a body not set yet this swaps the Envelope's oneof to an empty message.
                Message.Builder child = ((Message) builder.getField(field)).toBuilder();
                mutateMessage(child, random);
                builder.setField(field, child.build());
            }
            case INT -> builder.setField(field,
                    INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)]);
            case LONG -> builder.setField(field,
                    INTERESTING_LONGS[random.nextInt(INTERESTING_LONGS.length)]);
            case STRING -> builder.setField(field,
                    INTERESTING_STRINGS[random.nextInt(INTERESTING_STRINGS.length)]);
            case BOOLEAN -> builder.setField(field, random.nextBoolean());
            // Nonces and proofs: empty, one byte short, exact, one byte over, far over.
            case BYTE_STRING -> builder.setField(field, com.google.protobuf.ByteString.copyFrom(
                    new byte[INTERESTING_BYTE_COUNTS[random.nextInt(
                            INTERESTING_BYTE_COUNTS.length)]]));
            case ENUM -> builder.setField(field, field.getEnumType()
                    .findValueByNumberCreatingIfUnknown(random.nextInt(-1, 4)));
            default -> throw new AssertionError(
                    "the schema has no mutation for " + field.getJavaType());
        }
    }

    private static final int[] INTERESTING_BYTE_COUNTS = {
        0, FrameLimits.AUTH_PROOF_BYTES - 1, FrameLimits.AUTH_PROOF_BYTES,
        FrameLimits.AUTH_PROOF_BYTES + 1, FrameLimits.FRAME_BYTES_MAX};

    private static void resize(Message.Builder builder, FieldDescriptor field, int count) {
        List<?> existing = List.copyOf((List<?>) builder.getField(field));
        builder.clearField(field);
        for (int index = 0; index < count; index++) {
            Object element = existing.isEmpty() ? emptyElement(builder, field)
                    : existing.get(index % existing.size());
            builder.addRepeatedField(field, element);
        }
    }

    /** A default element of a repeated field: an empty message, or a scalar's zero value. */
    private static Object emptyElement(Message.Builder builder, FieldDescriptor field) {
        return switch (field.getJavaType()) {
            case MESSAGE -> builder.newBuilderForField(field).build();
            case INT -> 0;
            case LONG -> 0L;
            case FLOAT -> 0f;
            case DOUBLE -> 0d;
            case BOOLEAN -> false;
            case STRING -> "";
            case BYTE_STRING -> com.google.protobuf.ByteString.EMPTY;
            case ENUM -> field.getEnumType().getValues().get(0);
        };
    }

    private static byte[] splice(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
