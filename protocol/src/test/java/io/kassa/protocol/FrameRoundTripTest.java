package io.kassa.protocol;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

// Goal: show that every envelope the schema can express survives encode then decode unchanged;
// method: jqwik generates envelopes of every body type with arbitrary field values (including
// negative, huge and out-of-range ones, which the codec must carry untouched).
class FrameRoundTripTest {

    @Property(tries = 500)
    void encodeThenDecodeGivesTheSameEnvelope(@ForAll("envelopes") Envelope envelope)
            throws ProtocolException {
        byte[] frame = FrameEncoder.encode(envelope);

        assertThat(frame).hasSize(FrameEncoder.frameBytes(envelope));
        assertThat(Decoding.envelopes(Decoding.decodeAll(frame))).containsExactly(envelope);
    }

    @Property(tries = 200)
    void severalFramesInOneStreamKeepTheirOrder(
            @ForAll("envelopes") Envelope first, @ForAll("envelopes") Envelope second,
            @ForAll("envelopes") Envelope third) throws ProtocolException {
        List<Envelope> envelopes = List.of(first, second, third);

        assertThat(Decoding.envelopes(Decoding.decodeAll(Decoding.stream(envelopes))))
                .containsExactlyElementsOf(envelopes);
    }

    @Provide
    Arbitrary<Envelope> envelopes() {
        Arbitrary<Long> requestIds = Arbitraries.longs();
        Arbitrary<Envelope> bodies = Arbitraries.oneOf(hellos(), welcomes(),
                heartbeats(), heartbeatAcks(), errors(), quoteRequests(), quoteResponses(),
                checkoutRequests(), checkoutResponses());
        return Combinators.combine(requestIds, bodies)
                .as((requestId, body) -> body.toBuilder().setRequestId(requestId).build());
    }

    /** Text protobuf can carry: any UTF-16 except unpaired surrogates, plus some emoji. */
    private static Arbitrary<String> texts() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange('\u0000', '\uD7FF')
                .withCharRange('\uE000', '\uFFFF').ofMaxLength(80);
        Arbitrary<String> emoji = Arbitraries.of("\uD83D\uDED2", "\uD83E\uDDFE\u00A5", "");
        return Combinators.combine(plain, emoji).as(String::concat);
    }

    private static Arbitrary<Envelope> hellos() {
        return Combinators.combine(Arbitraries.integers(), texts(), texts(), texts())
                .as((version, terminal, store, software) -> Envelope.newBuilder().setHello(
                        Hello.newBuilder().setProtocolVersion(version).setTerminalId(terminal)
                                .setStoreId(store).setSoftwareVersion(software)).build());
    }

    private static Arbitrary<Envelope> welcomes() {
        return Combinators.combine(Arbitraries.integers(), texts(), Arbitraries.integers(),
                Arbitraries.integers(), Arbitraries.longs())
                .as((version, node, interval, frameMax, time) -> Envelope.newBuilder()
                        .setWelcome(Welcome.newBuilder().setProtocolVersion(version)
                                .setNodeId(node).setHeartbeatIntervalMillis(interval)
                                .setFrameBytesMax(frameMax).setServerTimeMillis(time)).build());
    }

    private static Arbitrary<Envelope> heartbeats() {
        return Arbitraries.longs().map(time -> Envelope.newBuilder()
                .setHeartbeat(Heartbeat.newBuilder().setSentAtMillis(time)).build());
    }

    private static Arbitrary<Envelope> heartbeatAcks() {
        return Arbitraries.longs().map(time -> Envelope.newBuilder()
                .setHeartbeatAck(HeartbeatAck.newBuilder().setServerTimeMillis(time)).build());
    }

    private static Arbitrary<Envelope> errors() {
        return Combinators.combine(Arbitraries.integers(), texts(), Arbitraries.of(true, false))
                .as((code, message, fatal) -> Envelope.newBuilder().setError(Error.newBuilder()
                        .setCodeValue(code).setMessage(message).setFatal(fatal)).build());
    }

    private static Arbitrary<BasketLine> basketLines() {
        return Combinators.combine(texts(), texts(), Arbitraries.longs(), Arbitraries.integers(),
                texts())
                .as((sku, category, price, quantity, name) -> BasketLine.newBuilder()
                        .setSku(sku).setCategory(category).setUnitPriceFen(price)
                        .setQuantity(quantity).setName(name).build());
    }

    private static Arbitrary<PricedLine> pricedLines() {
        return Combinators.combine(Arbitraries.integers(), texts(), Arbitraries.longs(),
                Arbitraries.longs(), Arbitraries.longs())
                .as((number, sku, gross, discount, net) -> PricedLine.newBuilder()
                        .setLineNumber(number).setSku(sku).setGrossFen(gross)
                        .setDiscountFen(discount).setNetFen(net).build());
    }

    private static Arbitrary<Tender> tenders() {
        return Combinators.combine(Arbitraries.of(TenderType.TENDER_TYPE_UNSPECIFIED.getNumber(),
                TenderType.CASH.getNumber(), 7, -1), Arbitraries.longs(), Arbitraries.longs())
                .as((type, amount, received) -> Tender.newBuilder().setTypeValue(type)
                        .setAmountFen(amount).setReceivedFen(received).build());
    }

    private static Arbitrary<Envelope> quoteRequests() {
        return Combinators.combine(texts(), basketLines().list().ofMaxSize(12))
                .as((currency, lines) -> Envelope.newBuilder().setQuoteRequest(
                        QuoteRequest.newBuilder().setCurrency(currency).addAllLines(lines))
                        .build());
    }

    private static Arbitrary<Envelope> quoteResponses() {
        return Combinators.combine(texts(), pricedLines().list().ofMaxSize(12),
                Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs())
                .as((currency, lines, subtotal, discount, payable) -> Envelope.newBuilder()
                        .setQuoteResponse(QuoteResponse.newBuilder().setCurrency(currency)
                                .addAllLines(lines).setSubtotalFen(subtotal)
                                .setDiscountFen(discount).setPayableFen(payable)).build());
    }

    private static Arbitrary<Envelope> checkoutRequests() {
        return Combinators.combine(texts(), texts(), basketLines().list().ofMaxSize(12),
                tenders().list().ofMaxSize(10))
                .as((sale, currency, lines, tenders) -> Envelope.newBuilder()
                        .setCheckoutRequest(CheckoutRequest.newBuilder().setSaleId(sale)
                                .setCurrency(currency).addAllLines(lines)
                                .addAllTenders(tenders)).build());
    }

    private static Arbitrary<Envelope> checkoutResponses() {
        Arbitrary<CheckoutResponse> withoutReplayed = Combinators.combine(texts(), texts(),
                texts(), Arbitraries.of(CheckoutStatus.CHECKOUT_STATUS_UNSPECIFIED.getNumber(),
                        CheckoutStatus.COMMITTED.getNumber(), 9),
                pricedLines().list().ofMaxSize(12), Arbitraries.longs(), Arbitraries.longs(),
                Arbitraries.longs())
                .as((sale, order, currency, status, lines, payable, change, committedAt) ->
                        CheckoutResponse.newBuilder().setSaleId(sale).setOrderId(order)
                                .setCurrency(currency).setStatusValue(status).addAllLines(lines)
                                .setPayableFen(payable).setChangeFen(change)
                                .setCommittedAtMillis(committedAt).build());
        return Combinators.combine(withoutReplayed, Arbitraries.of(true, false))
                .as((response, replayed) -> Envelope.newBuilder().setCheckoutResponse(
                        response.toBuilder().setReplayed(replayed)).build());
    }

    @Example
    void unknownEnumNumbersSurviveAsTheirNumbers() {
        // Enum values this version does not know arrive from newer peers and must not be lost.
        Envelope envelope = Envelope.newBuilder().setRequestId(9)
                .setError(Error.newBuilder().setCodeValue(999)).build();

        Decoded decoded = FrameDecoder.parse(envelope.toByteArray());

        assertThat(decoded).isInstanceOf(Decoded.Message.class);
        Error error = ((Decoded.Message) decoded).envelope().getError();
        assertThat(error.getCode()).isEqualTo(ErrorCode.UNRECOGNIZED);
        assertThat(error.getCodeValue()).isEqualTo(999);
    }
}
