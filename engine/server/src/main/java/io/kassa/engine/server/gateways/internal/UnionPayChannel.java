package io.kassa.engine.server.gateways.internal;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.server.gateways.ChannelCredentials;
import io.kassa.engine.server.gateways.ChannelSettings;
import io.kassa.engine.server.gateways.PayRequest;
import io.kassa.engine.server.gateways.PayResult;
import io.kassa.engine.server.gateways.PaymentChannel;
import io.kassa.engine.server.gateways.QueryResult;
import io.kassa.engine.server.gateways.RefundRequest;
import io.kassa.engine.server.gateways.RefundResult;
import io.kassa.engine.server.gateways.ReverseResult;
import io.kassa.engine.server.gateways.TradeState;
import io.kassa.engine.server.gateways.UnknownReason;
import io.kassa.engine.server.gateways.internal.ChannelCalls.Answered;
import io.kassa.engine.server.gateways.internal.ChannelCalls.CircuitOpen;
import io.kassa.engine.server.gateways.internal.ChannelCalls.Exchange;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;

/**
 * "UnionPay QR style": Kassa's own signed JSON API modelled on the other channels' semantics,
 * because UnionPay's real QR specification is unverified (see docs/adr/0005). Requests carry
 * {@code Upqr-Merchant-Id}, {@code Upqr-Serial}, {@code Upqr-Timestamp}, {@code Upqr-Nonce},
 * {@code Upqr-Signature} = SHA256withRSA over {@code POST\npath\ntimestamp\nnonce\nbody\n};
 * answers are signed by the gateway over {@code timestamp\nnonce\nbody\n}. respCode 00 done,
 * 05 waiting for the payer, 96 system error (call again / query), 34 order not found, any
 * other a definite failure.
 */
public final class UnionPayChannel implements PaymentChannel {

    private final WebClient client;
    private final ChannelCredentials.UnionPay credentials;
    private final ChannelSettings settings;
    private final ChannelCalls calls;
    private final Clock clock;

    public UnionPayChannel(WebClient client, ChannelCredentials.UnionPay credentials,
            ChannelSettings settings, ChannelCalls calls, Clock clock) {
        this.client = client;
        this.credentials = credentials;
        this.settings = settings;
        this.calls = calls;
        this.clock = clock;
    }

    @Override
    public ChannelId id() {
        return ChannelId.UNIONPAY;
    }

    @Override
    public Future<PayResult> pay(PayRequest request) {
        JsonObject body = new JsonObject().put("orderId", request.outTradeNo())
                .put("qrNo", request.authCode()).put("txnAmt", request.amountFen())
                .put("currency", "156").put("storeId", request.storeId())
                .put("subject", request.description());
        return call("/upqr/v1/pay", body, settings.payTimeout()).map(exchange -> {
            if (exchange instanceof CircuitOpen) {
                return new PayResult.NotSent("the UnionPay circuit is open");
            }
            JsonObject json = verifiedJson(exchange);
            if (json == null) {
                return new PayResult.Unknown(ChannelCalls.unknownReason(exchange), "no verified answer");
            }
            String code = json.getString("respCode", "");
            return switch (code) {
                case "00" -> json.getLong("txnAmt", -1L) == request.amountFen()
                        && json.getString("queryId") != null
                        ? new PayResult.Paid(json.getString("queryId"), request.amountFen())
                        : new PayResult.Unknown(UnknownReason.UNVERIFIABLE_ANSWER,
                                "paid answer with another amount");
                case "05" -> new PayResult.Unknown(UnknownReason.USER_PAYING,
                        json.getString("respMsg"));
                case "96", "12" -> new PayResult.Unknown(UnknownReason.SYSTEM_ERROR,
                        code + " " + json.getString("respMsg"));
                default -> new PayResult.Failed(code, json.getString("respMsg", ""));
            };
        });
    }

    @Override
    public Future<QueryResult> query(String outTradeNo) {
        PayRequest.checkOrderNumber(outTradeNo);
        JsonObject body = new JsonObject().put("orderId", outTradeNo);
        return calls.repeat(() -> call("/upqr/v1/query", body, settings.callTimeout())
                .map(exchange -> {
                    JsonObject json = verifiedJson(exchange);
                    if (json == null) {
                        return new QueryResult.Unknown(ChannelCalls.unknownReason(exchange), "no answer");
                    }
                    String code = json.getString("respCode", "");
                    if (code.equals("34")) {
                        return new QueryResult.NotFound();
                    }
                    TradeState state = code.equals("00") ? state(json.getString("tradeStatus"))
                            : null;
                    if (state == null) {
                        return new QueryResult.Unknown(UnknownReason.SYSTEM_ERROR, code);
                    }
                    return new QueryResult.Found(state, json.getString("tradeStatus"),
                            json.getString("queryId", ""), json.getLong("txnAmt", 0L));
                }), result -> result instanceof QueryResult.Unknown);
    }

    private static TradeState state(String status) {
        if (status == null) {
            return null;
        }
        return switch (status) {
            case "SUCCESS" -> TradeState.PAID;
            case "PAYING" -> TradeState.WAITING_FOR_USER;
            case "FAILED" -> TradeState.FAILED;
            case "CLOSED" -> TradeState.CLOSED;
            case "REVERSED" -> TradeState.REVERSED;
            case "REFUNDED" -> TradeState.REFUNDED;
            default -> null;
        };
    }

    @Override
    public Future<ReverseResult> reverse(String outTradeNo) {
        PayRequest.checkOrderNumber(outTradeNo);
        JsonObject body = new JsonObject().put("orderId", outTradeNo);
        int[] attempts = {0};
        return calls.repeat(() -> {
            attempts[0]++;
            return call("/upqr/v1/reverse", body, settings.callTimeout()).map(exchange -> {
                JsonObject json = verifiedJson(exchange);
                if (json == null) {
                    return (ReverseResult) new ReverseResult.Unanswered(
                            ChannelCalls.unknownReason(exchange), attempts[0]);
                }
                String code = json.getString("respCode", "");
                if (code.equals("00")) {
                    return new ReverseResult.Reversed(
                            "REVERSED".equals(json.getString("tradeStatus")));
                }
                if (code.equals("96")) {
                    return new ReverseResult.Unanswered(UnknownReason.SYSTEM_ERROR, attempts[0]);
                }
                return new ReverseResult.Refused(code, json.getString("respMsg", ""));
            });
        }, result -> result instanceof ReverseResult.Unanswered);
    }

    @Override
    public Future<RefundResult> refund(RefundRequest request) {
        JsonObject body = new JsonObject().put("orderId", request.outTradeNo())
                .put("refundId", request.outRefundNo()).put("refundAmt", request.refundFen())
                .put("reason", request.reason());
        return calls.repeat(() -> call("/upqr/v1/refund", body, settings.callTimeout())
                .map(exchange -> {
                    JsonObject json = verifiedJson(exchange);
                    if (json == null) {
                        return (RefundResult) new RefundResult.Unknown(ChannelCalls.unknownReason(exchange),
                                "no verified answer");
                    }
                    String code = json.getString("respCode", "");
                    if (code.equals("00")) {
                        return new RefundResult.Refunded(request.outRefundNo(),
                                json.getLong("refundAmt", request.refundFen()), true);
                    }
                    if (code.equals("96")) {
                        return new RefundResult.Unknown(UnknownReason.SYSTEM_ERROR, code);
                    }
                    return new RefundResult.Refused(code, json.getString("respMsg", ""));
                }), result -> result instanceof RefundResult.Unknown);
    }

    private Future<Exchange> call(String path, JsonObject json, Duration timeout) {
        String body = json.encode();
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        String nonce = Signatures.nonce(32);
        var request = client.postAbs(credentials.baseUrl() + path)
                .putHeader("Content-Type", "application/json")
                .putHeader("Upqr-Merchant-Id", credentials.merchantId())
                .putHeader("Upqr-Serial", credentials.merchantSerial())
                .putHeader("Upqr-Timestamp", timestamp)
                .putHeader("Upqr-Nonce", nonce)
                .putHeader("Upqr-Signature", Signatures.sign(credentials.merchantKey(),
                        "POST\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + body + "\n"));
        return calls.send(request, Buffer.buffer(body, StandardCharsets.UTF_8.name()), timeout,
                answered -> answered.status() >= 500 || answered.body().toString(
                        StandardCharsets.UTF_8).contains("\"respCode\":\"96\""));
    }

    private JsonObject verifiedJson(Exchange exchange) {
        if (!(exchange instanceof Answered answered)) {
            return null;
        }
        PublicKey key = credentials.gatewayKeys().get(
                String.valueOf(answered.headers().get("Upqr-Serial")));
        String timestamp = answered.headers().get("Upqr-Timestamp");
        String nonce = answered.headers().get("Upqr-Nonce");
        if (key == null || timestamp == null || nonce == null) {
            return null;
        }
        Buffer message = Buffer.buffer(timestamp + "\n" + nonce + "\n")
                .appendBuffer(answered.body()).appendString("\n");
        if (!Signatures.verify(key, message.getBytes(), answered.headers().get("Upqr-Signature"))) {
            return null;
        }
        try {
            return new JsonObject(answered.body());
        } catch (DecodeException | ClassCastException malformed) {
            return null;
        }
    }
}
