package io.kassa.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.protocol.v1.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.FieldSource;

// Goal: keep SPEC.md true, since vendors implement from it alone; method: check that it shows
// every golden frame, reproduces the schema verbatim, states the limits FrameLimits enforces,
// and that its table of bad frames matches what the decoder actually answers.
class SpecDocumentTest {

    // Surefire runs with the module directory as the working directory.
    private static final Path SPEC = Path.of("SPEC.md");
    private static final Path SCHEMA = Path.of("src/main/protobuf/kassa_terminal_v1.proto");

    static final List<GoldenFrames.Golden> GOLDEN = GoldenFrames.ALL;

    private static String spec;
    private static String specHex;

    @BeforeAll
    static void readSpec() throws IOException {
        spec = Files.readString(SPEC, StandardCharsets.UTF_8);
        // Hex in the spec is grouped in bytes and rows; compare without the whitespace.
        specHex = spec.replaceAll("\\s+", "");
    }

    @ParameterizedTest
    @FieldSource("GOLDEN")
    void specShowsEveryGoldenFrame(GoldenFrames.Golden golden) {
        assertThat(specHex).contains(golden.hex());
    }

    @Test
    void specReproducesTheSchemaVerbatim() throws IOException {
        String schema = Files.readString(SCHEMA, StandardCharsets.UTF_8).strip();

        assertThat(spec).contains(schema);
    }

    @Test
    void specStatesTheLimitsTheCodeEnforces() {
        assertThat(spec)
                .contains("0.." + FrameLimits.FRAME_BYTES_MAX + " bytes")
                .contains("1.." + FrameLimits.BASKET_LINES_MAX)
                .contains("1.." + FrameLimits.TENDERS_MAX)
                .contains("1.." + FrameLimits.QUANTITY_MAX)
                .contains("1.." + FrameLimits.IDENTIFIER_CHARS_MAX + " characters")
                .contains("0.." + FrameLimits.NAME_CHARS_MAX + " characters")
                .contains("1.." + FrameLimits.CURRENCY_CHARS_MAX + " characters")
                .contains(FrameLimits.HEARTBEAT_INTERVAL_MILLIS + " ms")
                .contains(FrameLimits.IDLE_HEARTBEAT_INTERVALS_MAX + " heartbeat intervals")
                .contains((FrameLimits.FRAME_COMPLETION_MILLIS_MAX / 1000) + " s")
                .contains("| AuthChallenge `nonce` | " + FrameLimits.AUTH_NONCE_BYTES + " bytes")
                .contains("| AuthProof `proof` | " + FrameLimits.AUTH_PROOF_BYTES + " bytes")
                .contains("| terminal secret | " + FrameLimits.TERMINAL_SECRET_BYTES + " bytes")
                .contains("| handshake, TCP connect to Welcome | "
                        + (FrameLimits.HANDSHAKE_MILLIS_MAX / 1000) + " s")
                .contains("| failed authentications | "
                        + FrameLimits.AUTH_FAILURES_PER_TERMINAL_MAX + " per terminal id, "
                        + FrameLimits.AUTH_FAILURES_PER_ADDRESS_MAX + " per remote address, within "
                        + (FrameLimits.AUTH_FAILURE_WINDOW_MILLIS / 1000) + " s")
                .contains("| requests unanswered per connection | "
                        + FrameLimits.IN_FLIGHT_REQUESTS_MAX + " |")
                .contains("| request rate per connection | " + FrameLimits.REQUESTS_PER_SECOND_MAX
                        + " per second, bursts of " + FrameLimits.REQUEST_BURST_MAX + " |")
                .contains("| pushes kept per terminal until acknowledged | "
                        + FrameLimits.PUSHES_RETAINED_MAX + " |");
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = "UNRECOGNIZED", mode = EnumSource.Mode.EXCLUDE)
    void specListsEveryErrorCodeWithItsNumber(ErrorCode code) {
        assertThat(spec).contains("| " + code.getNumber() + " | `" + code.name() + "` |");
    }

    @Test
    void specDefinesTheProofAsTheCodeComputesIt() {
        // The label, the order of the parts and the worked example all come from the code.
        assertThat(spec).contains("\"" + new String(TerminalAuthentication.LABEL,
                StandardCharsets.US_ASCII) + "\"");
        assertThat(specHex).contains(GoldenFrames.PROOF_HEX);
        assertThat(HexFormat.of().formatHex(TerminalAuthentication.proof(GoldenFrames.SECRET,
                GoldenFrames.NONCE, "T-0001", "S-042"))).isEqualTo(GoldenFrames.PROOF_HEX);
    }

    @ParameterizedTest
    @CsvSource({
        "00000000,                UNKNOWN_MESSAGE_TYPE, 0",
        "0000000708079a06020801,  UNKNOWN_MESSAGE_TYPE, 7",
        "00000005ffffffffff,      MALFORMED_PAYLOAD,    0",
        "0000000708055203 1201ff, MALFORMED_PAYLOAD,    5"
    })
    void specTableOfBadFramesMatchesTheDecoder(String hex, ErrorCode code, long requestId)
            throws ProtocolException {
        String compact = hex.replace(" ", "");
        byte[] frame = HexFormat.of().parseHex(compact);

        Decoded.Malformed malformed = Decoding.malformed(frame);

        assertThat(specHex).contains(compact);
        assertThat(malformed.error().code()).isEqualTo(code);
        assertThat(malformed.requestId()).isEqualTo(requestId);
    }

    @ParameterizedTest
    @CsvSource({"ffffffff", "00010001"})
    void specTableOfOversizedPrefixesMatchesTheDecoder(String hex) {
        byte[] prefix = HexFormat.of().parseHex(hex);

        assertThat(specHex).contains(hex);
        assertThatThrownBy(() -> new FrameDecoder().feed(prefix, ignored -> { }))
                .isInstanceOfSatisfying(ProtocolException.class, error -> {
                    assertThat(error.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
                    assertThat(error.fatal()).isTrue();
                });
    }
}
