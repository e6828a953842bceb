package io.kassa.protocol;

import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.CheckoutStatus;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.Error;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.Heartbeat;
import io.kassa.protocol.v1.HeartbeatAck;
import io.kassa.protocol.v1.Hello;
import io.kassa.protocol.v1.PricedLine;
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
                    + "33361801"));

    private GoldenFrames() {
    }
}
