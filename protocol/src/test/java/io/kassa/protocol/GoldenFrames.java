package io.kassa.protocol;

import com.google.protobuf.ByteString;
import io.kassa.protocol.v1.AuthChallenge;
import io.kassa.protocol.v1.AuthProof;
import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.CheckoutStatus;
import io.kassa.protocol.v1.Draining;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.Error;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.Heartbeat;
import io.kassa.protocol.v1.HeartbeatAck;
import io.kassa.protocol.v1.Hello;
import io.kassa.protocol.v1.PaymentUpdate;
import io.kassa.protocol.v1.PricedLine;
import io.kassa.protocol.v1.Push;
import io.kassa.protocol.v1.PushAck;
import io.kassa.protocol.v1.PushGap;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.Tender;
import io.kassa.protocol.v1.TenderType;
import io.kassa.protocol.v1.Welcome;
import java.util.HexFormat;
import java.util.List;

/**
 * One session's worth of frames, one per message type, with their exact bytes. The same hex
 * strings appear in SPEC.md section "Worked examples": change both or neither.
 */
final class GoldenFrames {

    /** A named envelope and the frame bytes it must encode to, as lowercase hex. */
    record Golden(String name, Envelope envelope, String hex) {

        byte[] bytes() {
            return HexFormat.of().parseHex(hex);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final BasketLine APPLES = BasketLine.newBuilder()
            .setSku("6901234567892").setCategory("fresh").setUnitPriceFen(1250).setQuantity(2)
            .setName("Apples 1kg").build();

    static final BasketLine SHIRT = BasketLine.newBuilder()
            .setSku("6909876543210").setCategory("apparel").setUnitPriceFen(5900).setQuantity(1)
            .build();

    static final Envelope HELLO = Envelope.newBuilder().setRequestId(1)
            .setHello(Hello.newBuilder().setProtocolVersion(1).setTerminalId("T-0001")
                    .setStoreId("S-042").setSoftwareVersion("pos 2.3.1"))
            .build();

    static final Envelope WELCOME = Envelope.newBuilder().setRequestId(1)
            .setWelcome(Welcome.newBuilder().setProtocolVersion(1).setNodeId("node-a")
                    .setHeartbeatIntervalMillis(15_000).setFrameBytesMax(65_536)
                    .setServerTimeMillis(1_767_225_600_000L))
            .build();

    static final Envelope HEARTBEAT = Envelope.newBuilder().setRequestId(2)
            .setHeartbeat(Heartbeat.newBuilder().setSentAtMillis(1_767_225_615_000L))
            .build();

    static final Envelope HEARTBEAT_ACK = Envelope.newBuilder().setRequestId(2)
            .setHeartbeatAck(HeartbeatAck.newBuilder().setServerTimeMillis(1_767_225_615_004L))
            .build();

    static final Envelope QUOTE_REQUEST = Envelope.newBuilder().setRequestId(3)
            .setQuoteRequest(QuoteRequest.newBuilder().setCurrency("CNY")
                    .addLines(APPLES).addLines(SHIRT))
            .build();

    static final PricedLine APPLES_PRICED = PricedLine.newBuilder().setLineNumber(1)
            .setSku("6901234567892").setGrossFen(2500).setDiscountFen(0).setNetFen(2500).build();

    static final PricedLine SHIRT_PRICED = PricedLine.newBuilder().setLineNumber(2)
            .setSku("6909876543210").setGrossFen(5900).setDiscountFen(0).setNetFen(5900).build();

    static final Envelope QUOTE_RESPONSE = Envelope.newBuilder().setRequestId(3)
            .setQuoteResponse(QuoteResponse.newBuilder().setCurrency("CNY")
                    .addLines(APPLES_PRICED).addLines(SHIRT_PRICED)
                    .setSubtotalFen(8400).setDiscountFen(0).setPayableFen(8400))
            .build();

    static final Envelope CHECKOUT_REQUEST = Envelope.newBuilder().setRequestId(4)
            .setCheckoutRequest(CheckoutRequest.newBuilder().setSaleId("S042-T0001-000123")
                    .setCurrency("CNY").addLines(APPLES).addLines(SHIRT)
                    .addTenders(Tender.newBuilder().setType(TenderType.CASH)
                            .setAmountFen(8400).setReceivedFen(10_000)))
            .build();

    static final Envelope CHECKOUT_RESPONSE = Envelope.newBuilder().setRequestId(4)
            .setCheckoutResponse(CheckoutResponse.newBuilder().setSaleId("S042-T0001-000123")
                    .setOrderId("O-20260101-000001").setStatus(CheckoutStatus.COMMITTED)
                    .setCurrency("CNY").addLines(APPLES_PRICED).addLines(SHIRT_PRICED)
                    .setPayableFen(8400).setChangeFen(1600)
                    .setCommittedAtMillis(1_767_225_630_000L).setReplayed(false))
            .build();

    static final Envelope ERROR = Envelope.newBuilder().setRequestId(5)
            .setError(Error.newBuilder().setCode(ErrorCode.TENDER_MISMATCH)
                    .setMessage("tenders sum to 8300 fen, payable is 8400 fen").setFatal(false))
            .build();

    static final Envelope ERROR_FATAL = Envelope.newBuilder().setRequestId(0)
            .setError(Error.newBuilder().setCode(ErrorCode.FRAME_TOO_LARGE)
                    .setMessage("declared length 4294967295 exceeds frame_bytes_max 65536")
                    .setFatal(true))
            .build();

    /** The secret of SPEC.md section 12.11: bytes 00 01 .. 1f. */
    static final byte[] SECRET = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    /** The nonce of SPEC.md section 12.11: bytes a0 a1 .. bf. */
    static final byte[] NONCE = HexFormat.of().parseHex(
            "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");

    /** HMAC-SHA256 of the section 12.11 example, computed independently (Python's hmac). */
    static final String PROOF_HEX =
            "f89db3740a0df0f2015b901a17134a8a2bfe9b97df5c051c49e4e7aaacec35e7";

    static final Envelope HELLO_RESUME = Envelope.newBuilder().setRequestId(1)
            .setHello(Hello.newBuilder().setProtocolVersion(1).setTerminalId("T-0001")
                    .setStoreId("S-042").setSoftwareVersion("pos 2.3.1")
                    .setLastPushSequenceSeen(7))
            .build();

    static final Envelope AUTH_CHALLENGE = Envelope.newBuilder().setRequestId(1)
            .setAuthChallenge(AuthChallenge.newBuilder().setNonce(ByteString.copyFrom(NONCE))
                    .setServerTimeMillis(1_767_225_600_000L))
            .build();

    static final Envelope AUTH_PROOF = Envelope.newBuilder().setRequestId(2)
            .setAuthProof(AuthProof.newBuilder()
                    .setProof(ByteString.fromHex(PROOF_HEX)))
            .build();

    static final Envelope WELCOME_WITH_LIMITS = Envelope.newBuilder().setRequestId(2)
            .setWelcome(Welcome.newBuilder().setProtocolVersion(1).setNodeId("node-a")
                    .setHeartbeatIntervalMillis(15_000).setFrameBytesMax(65_536)
                    .setServerTimeMillis(1_767_225_600_000L).setInFlightRequestsMax(32))
            .build();

    static final Envelope PUSH_DRAINING = Envelope.newBuilder()
            .setPush(Push.newBuilder().setSequence(8).setCreatedAtMillis(1_767_225_660_000L)
                    .setDraining(Draining.newBuilder().setReason("node shutting down")
                            .setReconnectAfterMillis(1_000)))
            .build();

    static final Envelope PUSH_GAP = Envelope.newBuilder()
            .setPush(Push.newBuilder().setSequence(80).setCreatedAtMillis(1_767_225_660_000L)
                    .setGap(PushGap.newBuilder().setFirstSequence(9)))
            .build();

    static final Envelope PUSH_PAYMENT_COMMITTED = Envelope.newBuilder()
            .setPush(Push.newBuilder().setSequence(9).setCreatedAtMillis(1_767_225_665_000L)
                    .setPaymentUpdate(PaymentUpdate.newBuilder().setSaleId("S042-T0001-000124")
                            .setStatus(CheckoutStatus.COMMITTED)
                            .setCheckout(CheckoutResponse.newBuilder()
                                    .setSaleId("S042-T0001-000124")
                                    .setOrderId("O-20260101-000002")
                                    .setStatus(CheckoutStatus.COMMITTED).setCurrency("CNY")
                                    .setPayableFen(4_700)
                                    .setCommittedAtMillis(1_767_225_664_000L))))
            .build();

    static final Envelope PUSH_PAYMENT_FAILED = Envelope.newBuilder()
            .setPush(Push.newBuilder().setSequence(10).setCreatedAtMillis(1_767_225_725_000L)
                    .setPaymentUpdate(PaymentUpdate.newBuilder().setSaleId("S042-T0001-000125")
                            .setStatus(CheckoutStatus.PAYMENT_FAILED)
                            .setErrorCode(ErrorCode.PAYMENT_NOT_CONFIRMED)
                            .setMessage("not confirmed; reversed")))
            .build();

    static final Envelope PUSH_ACK = Envelope.newBuilder()
            .setPushAck(PushAck.newBuilder().setSequence(8))
            .build();

    static final Envelope ERROR_BUSY = Envelope.newBuilder().setRequestId(40)
            .setError(Error.newBuilder().setCode(ErrorCode.BUSY)
                    .setMessage("32 requests in flight, the maximum"))
            .build();

    static final Envelope ERROR_AUTHENTICATION = Envelope.newBuilder().setRequestId(2)
            .setError(Error.newBuilder().setCode(ErrorCode.AUTHENTICATION_FAILED)
                    .setMessage("authentication failed").setFatal(true))
            .build();

    static final List<Golden> ALL = List.of(
            new Golden("hello", HELLO,
                    "000000200801521c08011206542d303030311a05532d3034322209706f732032"
                    + "2e332e31"),
            new Golden("welcome", WELCOME,
                    "0000001c08015a18080112066e6f64652d61189875208080042880d0eab6b733"),
            new Golden("heartbeat", HEARTBEAT, "0000000b080262070898c5ebb6b733"),
            new Golden("heartbeat_ack", HEARTBEAT_ACK, "0000000b08026a07089cc5ebb6b733"),
            new Golden("quote_request", QUOTE_REQUEST,
                    "000000520803a2014d0a03434e5912270a0d3639303132333435363738393212"
                    + "05667265736818e20920022a0a4170706c657320316b67121d0a0d3639303938"
                    + "373635343332313012076170706172656c188c2e2001"),
            new Golden("quote_response", QUOTE_RESPONSE,
                    "000000420803aa013d0a03434e5912170801120d363930313233343536373839"
                    + "3218c41328c41312170802120d36393039383736353433323130188c2e288c2e"
                    + "18d04128d041"),
            new Golden("checkout_request", CHECKOUT_REQUEST,
                    "0000006f0804b2016a0a11533034322d54303030312d3030303132331203434e"
                    + "591a270a0d363930313233343536373839321205667265736818e20920022a0a"
                    + "4170706c657320316b671a1d0a0d363930393837363534333231301207617070"
                    + "6172656c188c2e20012208080110d04118904e"),
            new Golden("checkout_response", CHECKOUT_RESPONSE,
                    "000000710804ba016c0a11533034322d54303030312d30303031323312114f2d"
                    + "32303236303130312d30303030303118012203434e592a170801120d36393031"
                    + "32333435363738393218c41328c4132a170802120d3639303938373635343332"
                    + "3130188c2e288c2e30d04138c00c40b0baecb6b733"),
            new Golden("error", ERROR,
                    "0000003508057231089103122c74656e646572732073756d20746f2038333030"
                    + "2066656e2c2070617961626c6520697320383430302066656e"),
            new Golden("error_fatal", ERROR_FATAL,
                    "00000040723e086412386465636c61726564206c656e67746820343239343936"
                    + "373239352065786365656473206672616d655f62797465735f6d617820363535"
                    + "33361801"),
            new Golden("hello_resume", HELLO_RESUME,
                    "000000220801521e08011206542d303030311a05532d3034322209706f732032"
                    + "2e332e312807"),
            new Golden("auth_challenge", AUTH_CHALLENGE,
                    "0000002d08017a290a20a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5"
                    + "b6b7b8b9babbbcbdbebf1080d0eab6b733"),
            new Golden("auth_proof", AUTH_PROOF,
                    "0000002708028201220a20f89db3740a0df0f2015b901a17134a8a2bfe9b97df"
                    + "5c051c49e4e7aaacec35e7"),
            new Golden("welcome_with_limits", WELCOME_WITH_LIMITS,
                    "0000001e08025a1a080112066e6f64652d61189875208080042880d0eab6b733"
                    + "3020"),
            new Golden("push_draining", PUSH_DRAINING,
                    "000000258a0122080810e0a4eeb6b73352170a126e6f6465207368757474696e"
                    + "6720646f776e10e807"),
            new Golden("push_gap", PUSH_GAP, "000000108a010d085010e0a4eeb6b7335a020809"),
            new Golden("push_ack", PUSH_ACK, "000000059201020808"),
            new Golden("push_payment_committed", PUSH_PAYMENT_COMMITTED,
                    "0000005c8a0159080910e8cbeeb6b733624e0a11533034322d54303030312d30"
                    + "303031323410011a370a11533034322d54303030312d30303031323412114f2d"
                    + "32303236303130312d30303030303218012203434e5930dc244080c4eeb6b733"),
            new Golden("push_payment_failed", PUSH_PAYMENT_FAILED,
                    "0000003f8a013c080a10c8a0f2b6b73362310a11533034322d54303030312d30"
                    + "3030313235100320a7032a176e6f7420636f6e6669726d65643b207265766572736564"),
            new Golden("error_busy", ERROR_BUSY,
                    "0000002b0828722708f6031222333220726571756573747320696e20666c6967"
                    + "68742c20746865206d6178696d756d"),
            new Golden("error_authentication", ERROR_AUTHENTICATION,
                    "000000200802721c08cb01121561757468656e7469636174696f6e206661696c"
                    + "65641801"));

    private GoldenFrames() {
    }
}
