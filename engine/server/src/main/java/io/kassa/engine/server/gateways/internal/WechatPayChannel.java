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
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * WeChat Pay API v3 style, code payment. Every request is signed SHA256withRSA with the
 * merchant key:
 *
 * <pre>
 * Authorization: WECHATPAY2-SHA256-RSA2048 mchid="..",nonce_str="..",signature="..",
 *                timestamp="..",serial_no=".."
 * signed text:   METHOD \n URL(path?query) \n timestamp \n nonce \n body \n
 * </pre>
 *
 * and every answer's {@code Wechatpay-Signature} is verified with the platform key named by
 * {@code Wechatpay-Serial} over {@code timestamp\nnonce\nbody\n}; an answer that fails is not
 * believed (its outcome is unknown).
 */
public final class WechatPayChannel implements PaymentChannel {

    /** Error codes meaning "outcome unknown", not "declined". */
    private static final Set<String> UNKNOWN_CODES =
            Set.of("USERPAYING", "SYSTEMERROR", "BANKERROR", "ORDERPAID");

    private final WebClient client;
    private final ChannelCredentials.WechatPay credentials;
    private final ChannelSettings settings;
    private final ChannelCalls calls;
    private final Clock clock;

    public WechatPayChannel(WebClient client, ChannelCredentials.WechatPay credentials,
            ChannelSettings settings, ChannelCalls calls, Clock clock) {
        this.client = client;
        this.credentials = credentials;
        this.settings = settings;
        this.calls = calls;
        this.clock = clock;
    }

    @Override
    public ChannelId id() {
        return ChannelId.WECHAT_PAY;
    }

    @Override
    public Future<PayResult> pay(PayRequest request) {
        String body = new JsonObject()
                .put("appid", credentials.appId())
                .put("mchid", credentials.merchantId())
                .put("description", request.description())
                .put("out_trade_no", request.outTradeNo())
                .put("payer", new JsonObject().put("auth_code", request.authCode()))
                .put("amount", new JsonObject().put("total", request.amountFen())
                        .put("currency", "CNY"))
                .put("scene_info", new JsonObject().put("store_info",
                        new JsonObject().put("out_id", request.storeId())))
                .encode();
        return call(HttpMethod.POST, "/v3/pay/transactions/codepay", body,
                settings.payTimeout()).map(exchange -> payResult(exchange, request));
    }

    private PayResult payResult(Exchange exchange, PayRequest request) {
        if (exchange instanceof CircuitOpen) {
            return new PayResult.NotSent("the WeChat Pay circuit is open");
        }
        if (!(exchange instanceof Answered answered)) {
            return new PayResult.Unknown(UnknownReason.NO_ANSWER, describe(exchange));
        }
        JsonObject json = verifiedJson(answered);
        if (json == null) {
            return new PayResult.Unknown(unverified(answered),
                    "answer " + answered.status() + " failed signature verification");
        }
        if (answered.status() == 200 && "SUCCESS".equals(json.getString("trade_state"))) {
            long total = json.getJsonObject("amount", new JsonObject()).getLong("total", -1L);
            String transactionId = json.getString("transaction_id");
            if (total != request.amountFen() || transactionId == null) {
                return new PayResult.Unknown(UnknownReason.UNVERIFIABLE_ANSWER,
                        "paid answer with amount " + total + " for " + request.amountFen());
            }
            return new PayResult.Paid(transactionId, total);
        }
        String code = json.getString("code", "HTTP_" + answered.status());
        String message = json.getString("message", "");
        if (code.equals("USERPAYING")) {
            return new PayResult.Unknown(UnknownReason.USER_PAYING, message);
        }
        if (code.equals("BANKERROR")) {
            return new PayResult.Unknown(UnknownReason.BANK_ERROR, message);
        }
        if (UNKNOWN_CODES.contains(code) || answered.status() >= 500
                || answered.status() == 200 || answered.status() == 202) {
            return new PayResult.Unknown(UnknownReason.SYSTEM_ERROR, code + ": " + message);
        }
        return new PayResult.Failed(code, message);
    }

    @Override
    public Future<QueryResult> query(String outTradeNo) {
        PayRequest.checkOrderNumber(outTradeNo);
        String path = "/v3/pay/transactions/out-trade-no/" + outTradeNo + "?mchid="
                + credentials.merchantId();
        return calls.repeat(() -> call(HttpMethod.GET, path, "", settings.callTimeout())
                .map(this::queryResult), result -> result instanceof QueryResult.Unknown);
    }

    private QueryResult queryResult(Exchange exchange) {
        if (!(exchange instanceof Answered answered)) {
            return new QueryResult.Unknown(exchange instanceof CircuitOpen
                    ? UnknownReason.CIRCUIT_OPEN : UnknownReason.NO_ANSWER, describe(exchange));
        }
        JsonObject json = verifiedJson(answered);
        if (json == null) {
            return new QueryResult.Unknown(unverified(answered),
                    "query answer failed signature verification");
        }
        if (answered.status() == 404 || "ORDER_NOT_EXIST".equals(json.getString("code"))) {
            return new QueryResult.NotFound();
        }
        String state = json.getString("trade_state");
        if (answered.status() != 200 || state == null) {
            return new QueryResult.Unknown(UnknownReason.SYSTEM_ERROR,
                    json.getString("code", "HTTP_" + answered.status()));
        }
        TradeState mapped = switch (state) {
            case "SUCCESS" -> TradeState.PAID;
            case "REFUND" -> TradeState.REFUNDED;
            case "NOTPAY" -> TradeState.NOT_PAID;
            case "CLOSED" -> TradeState.CLOSED;
            case "REVOKED" -> TradeState.REVERSED;
            case "USERPAYING" -> TradeState.WAITING_FOR_USER;
            case "PAYERROR" -> TradeState.FAILED;
            default -> null;
        };
        if (mapped == null) {
            return new QueryResult.Unknown(UnknownReason.UNVERIFIABLE_ANSWER,
                    "unknown trade_state " + state);
        }
        return new QueryResult.Found(mapped, state, json.getString("transaction_id", ""),
                json.getJsonObject("amount", new JsonObject()).getLong("total", 0L));
    }

    @Override
    public Future<ReverseResult> reverse(String outTradeNo) {
        PayRequest.checkOrderNumber(outTradeNo);
        String body = new JsonObject().put("appid", credentials.appId())
                .put("mchid", credentials.merchantId()).encode();
        String path = "/v3/pay/transactions/out-trade-no/" + outTradeNo + "/reverse";
        int[] attempts = {0};
        return calls.repeat(() -> {
            attempts[0]++;
            return call(HttpMethod.POST, path, body, settings.callTimeout())
                    .map(exchange -> reverseResult(exchange, attempts[0]));
        }, result -> result instanceof ReverseResult.Unanswered);
    }

    private ReverseResult reverseResult(Exchange exchange, int attempts) {
        if (!(exchange instanceof Answered answered)) {
            return new ReverseResult.Unanswered(exchange instanceof CircuitOpen
                    ? UnknownReason.CIRCUIT_OPEN : UnknownReason.NO_ANSWER, attempts);
        }
        JsonObject json = verifiedJson(answered);
        if (json == null) {
            return new ReverseResult.Unanswered(unverified(answered), attempts);
        }
        if (answered.status() == 200) {
            if ("Y".equals(json.getString("recall"))) {
                return new ReverseResult.Unanswered(UnknownReason.SYSTEM_ERROR, attempts);
            }
            // WeChat's reverse answer does not say whether money moved; a query tells.
            return new ReverseResult.Reversed(false);
        }
        String code = json.getString("code", "HTTP_" + answered.status());
        if (answered.status() >= 500 || code.equals("SYSTEMERROR") || code.equals("BANKERROR")) {
            return new ReverseResult.Unanswered(UnknownReason.SYSTEM_ERROR, attempts);
        }
        return new ReverseResult.Refused(code, json.getString("message", ""));
    }

    @Override
    public Future<RefundResult> refund(RefundRequest request) {
        String body = new JsonObject().put("out_trade_no", request.outTradeNo())
                .put("out_refund_no", request.outRefundNo()).put("reason", request.reason())
                .put("amount", new JsonObject().put("refund", request.refundFen())
                        .put("total", request.totalFen()).put("currency", "CNY"))
                .encode();
        return calls.repeat(() -> call(HttpMethod.POST, "/v3/refund/domestic/refunds", body,
                settings.callTimeout()).map(this::refundResult),
                result -> result instanceof RefundResult.Unknown);
    }

    private RefundResult refundResult(Exchange exchange) {
        if (!(exchange instanceof Answered answered)) {
            return new RefundResult.Unknown(exchange instanceof CircuitOpen
                    ? UnknownReason.CIRCUIT_OPEN : UnknownReason.NO_ANSWER, describe(exchange));
        }
        JsonObject json = verifiedJson(answered);
        if (json == null) {
            return new RefundResult.Unknown(unverified(answered),
                    "refund answer failed signature verification");
        }
        if (answered.status() == 200) {
            String status = json.getString("status", "");
            return new RefundResult.Refunded(json.getString("refund_id", ""),
                    json.getJsonObject("amount", new JsonObject()).getLong("refund", 0L),
                    status.equals("SUCCESS"));
        }
        String code = json.getString("code", "HTTP_" + answered.status());
        if (answered.status() >= 500 || code.equals("SYSTEMERROR")) {
            return new RefundResult.Unknown(UnknownReason.SYSTEM_ERROR, code);
        }
        return new RefundResult.Refused(code, json.getString("message", ""));
    }

    private Future<Exchange> call(HttpMethod method, String url, String body, Duration timeout) {
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        String nonce = Signatures.nonce(32);
        String signature = Signatures.sign(credentials.merchantKey(), method.name() + "\n" + url
                + "\n" + timestamp + "\n" + nonce + "\n" + body + "\n");
        var request = client.requestAbs(method, credentials.baseUrl() + url)
                .putHeader("Accept", "application/json")
                .putHeader("Content-Type", "application/json")
                .putHeader("Authorization", "WECHATPAY2-SHA256-RSA2048 mchid=\""
                        + credentials.merchantId() + "\",nonce_str=\"" + nonce
                        + "\",signature=\"" + signature + "\",timestamp=\"" + timestamp
                        + "\",serial_no=\"" + credentials.merchantSerial() + "\"");
        return calls.send(request, Buffer.buffer(body, StandardCharsets.UTF_8.name()), timeout,
                WechatPayChannel::troubled);
    }

    private static boolean troubled(Answered answered) {
        return answered.status() >= 500;
    }

    /** The answer's JSON if its signature verifies with a known platform key, else null. */
    private JsonObject verifiedJson(Answered answered) {
        PublicKey key = credentials.platformKeys().get(
                String.valueOf(answered.headers().get("Wechatpay-Serial")));
        String timestamp = answered.headers().get("Wechatpay-Timestamp");
        String nonce = answered.headers().get("Wechatpay-Nonce");
        if (key == null || timestamp == null || nonce == null) {
            return null;
        }
        Buffer message = Buffer.buffer(timestamp + "\n" + nonce + "\n").appendBuffer(
                answered.body()).appendString("\n");
        if (!Signatures.verify(key, message.getBytes(),
                answered.headers().get("Wechatpay-Signature"))) {
            return null;
        }
        try {
            return answered.body().length() == 0 ? new JsonObject()
                    : new JsonObject(answered.body());
        } catch (DecodeException | ClassCastException malformed) {
            return null;
        }
    }

    /** An unsigned 5xx is an outage (a proxy's error page); any other is not believed. */
    private static UnknownReason unverified(Answered answered) {
        return answered.status() >= 500 ? UnknownReason.SYSTEM_ERROR
                : UnknownReason.UNVERIFIABLE_ANSWER;
    }

    private static String describe(Exchange exchange) {
        return exchange instanceof ChannelCalls.NoAnswer noAnswer ? noAnswer.detail()
                : "circuit open";
    }
}
