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
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Alipay open-API style, bar-code payment. Requests are form posts to {@code /gateway.do}
 * signed RSA2 (SHA256withRSA) over the sorted parameters except {@code sign}; answers are
 *
 * <pre>
 * {"alipay_trade_pay_response":{"code":"10000",...},"sign":"..."}
 * </pre>
 *
 * with the signature over the exact text of the response node, verified with Alipay's public
 * key before anything in it is believed. Gateway codes: 10000 success, 10003 waiting for the
 * user, 20000 service unavailable, 40004 business failure (read sub_code).
 */
public final class AlipayChannel implements PaymentChannel {

    private final WebClient client;
    private final ChannelCredentials.Alipay credentials;
    private final ChannelSettings settings;
    private final ChannelCalls calls;
    private final Clock clock;
    private final DateTimeFormatter timestamps;

    public AlipayChannel(WebClient client, ChannelCredentials.Alipay credentials,
            ChannelSettings settings, ChannelCalls calls, Clock clock) {
        this.client = client;
        this.credentials = credentials;
        this.settings = settings;
        this.calls = calls;
        this.clock = clock;
        this.timestamps = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .withZone(settings.channelZone());
    }

    @Override
    public ChannelId id() {
        return ChannelId.ALIPAY;
    }

    @Override
    public Future<PayResult> pay(PayRequest request) {
        JsonObject biz = new JsonObject().put("out_trade_no", request.outTradeNo())
                .put("scene", "bar_code").put("auth_code", request.authCode())
                .put("subject", request.description()).put("store_id", request.storeId())
                .put("total_amount", yuan(request.amountFen()));
        return call("alipay.trade.pay", biz, settings.payTimeout())
                .map(exchange -> payResult(exchange, request));
    }

    private PayResult payResult(Exchange exchange, PayRequest request) {
        if (exchange instanceof CircuitOpen) {
            return new PayResult.NotSent("the Alipay circuit is open");
        }
        JsonObject node = verifiedNode(exchange, "alipay.trade.pay");
        if (node == null) {
            return new PayResult.Unknown(ChannelCalls.unknownReason(exchange), "no verified answer");
        }
        String code = node.getString("code", "");
        String subCode = node.getString("sub_code", "");
        switch (code) {
            case "10000" -> {
                Long paid = fen(node.getString("total_amount"));
                String tradeNo = node.getString("trade_no");
                if (paid == null || paid != request.amountFen() || tradeNo == null) {
                    return new PayResult.Unknown(UnknownReason.UNVERIFIABLE_ANSWER,
                            "success answer with amount " + node.getString("total_amount"));
                }
                return new PayResult.Paid(tradeNo, paid);
            }
            case "10003" -> {
                return new PayResult.Unknown(UnknownReason.USER_PAYING, node.getString("msg"));
            }
            case "40004" -> {
                // Already paid under this number, or a system error behind a business code:
                // both leave the outcome to a query.
                if (subCode.equals("ACQ.TRADE_HAS_SUCCESS") || subCode.equals("ACQ.SYSTEM_ERROR")) {
                    return new PayResult.Unknown(UnknownReason.SYSTEM_ERROR, subCode);
                }
                return new PayResult.Failed(subCode, node.getString("sub_msg", ""));
            }
            case "40002" -> {
                return new PayResult.Failed(subCode.isEmpty() ? code : subCode,
                        node.getString("sub_msg", node.getString("msg", "")));
            }
            default -> {
                return new PayResult.Unknown(UnknownReason.SYSTEM_ERROR, code + " " + subCode);
            }
        }
    }

    @Override
    public Future<QueryResult> query(String outTradeNo) {
        PayRequest.checkOrderNumber(outTradeNo);
        JsonObject biz = new JsonObject().put("out_trade_no", outTradeNo);
        return calls.repeat(() -> call("alipay.trade.query", biz, settings.callTimeout())
                .map(this::queryResult), result -> result instanceof QueryResult.Unknown);
    }

    private QueryResult queryResult(Exchange exchange) {
        JsonObject node = verifiedNode(exchange, "alipay.trade.query");
        if (node == null) {
            return new QueryResult.Unknown(ChannelCalls.unknownReason(exchange), "no verified answer");
        }
        if ("ACQ.TRADE_NOT_EXIST".equals(node.getString("sub_code"))) {
            return new QueryResult.NotFound();
        }
        String status = node.getString("trade_status");
        if (!"10000".equals(node.getString("code")) || status == null) {
            return new QueryResult.Unknown(UnknownReason.SYSTEM_ERROR,
                    node.getString("code") + " " + node.getString("sub_code", ""));
        }
        TradeState mapped = switch (status) {
            case "TRADE_SUCCESS", "TRADE_FINISHED" -> TradeState.PAID;
            case "WAIT_BUYER_PAY" -> TradeState.WAITING_FOR_USER;
            case "TRADE_CLOSED" -> TradeState.CLOSED;
            default -> null;
        };
        if (mapped == null) {
            return new QueryResult.Unknown(UnknownReason.UNVERIFIABLE_ANSWER,
                    "unknown trade_status " + status);
        }
        Long amount = fen(node.getString("total_amount"));
        return new QueryResult.Found(mapped, status, node.getString("trade_no", ""),
                amount == null ? 0 : amount);
    }

    /** alipay.trade.cancel; repeated while it answers retry_flag=Y or not at all. */
    @Override
    public Future<ReverseResult> reverse(String outTradeNo) {
        PayRequest.checkOrderNumber(outTradeNo);
        JsonObject biz = new JsonObject().put("out_trade_no", outTradeNo);
        int[] attempts = {0};
        return calls.repeat(() -> {
            attempts[0]++;
            return call("alipay.trade.cancel", biz, settings.callTimeout())
                    .map(exchange -> cancelResult(exchange, attempts[0]));
        }, result -> result instanceof ReverseResult.Unanswered);
    }

    private ReverseResult cancelResult(Exchange exchange, int attempts) {
        JsonObject node = verifiedNode(exchange, "alipay.trade.cancel");
        if (node == null) {
            return new ReverseResult.Unanswered(ChannelCalls.unknownReason(exchange), attempts);
        }
        if ("Y".equals(node.getString("retry_flag"))) {
            return new ReverseResult.Unanswered(UnknownReason.SYSTEM_ERROR, attempts);
        }
        String code = node.getString("code", "");
        if (code.equals("10000")) {
            return new ReverseResult.Reversed("refund".equals(node.getString("action")));
        }
        if (code.equals("20000")) {
            return new ReverseResult.Unanswered(UnknownReason.SYSTEM_ERROR, attempts);
        }
        return new ReverseResult.Refused(node.getString("sub_code", code),
                node.getString("sub_msg", ""));
    }

    @Override
    public Future<RefundResult> refund(RefundRequest request) {
        JsonObject biz = new JsonObject().put("out_trade_no", request.outTradeNo())
                .put("refund_amount", yuan(request.refundFen()))
                .put("out_request_no", request.outRefundNo())
                .put("refund_reason", request.reason());
        return calls.repeat(() -> call("alipay.trade.refund", biz, settings.callTimeout())
                .map(exchange -> refundResult(exchange, request)),
                result -> result instanceof RefundResult.Unknown);
    }

    private RefundResult refundResult(Exchange exchange, RefundRequest request) {
        JsonObject node = verifiedNode(exchange, "alipay.trade.refund");
        if (node == null) {
            return new RefundResult.Unknown(ChannelCalls.unknownReason(exchange), "no verified answer");
        }
        String code = node.getString("code", "");
        if (code.equals("10000")) {
            return new RefundResult.Refunded(request.outRefundNo(), request.refundFen(),
                    "Y".equals(node.getString("fund_change")));
        }
        if (code.equals("20000") || "ACQ.SYSTEM_ERROR".equals(node.getString("sub_code"))) {
            return new RefundResult.Unknown(UnknownReason.SYSTEM_ERROR, code);
        }
        return new RefundResult.Refused(node.getString("sub_code", code),
                node.getString("sub_msg", ""));
    }

    private Future<Exchange> call(String method, JsonObject biz, Duration timeout) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("app_id", credentials.appId());
        parameters.put("method", method);
        parameters.put("format", "JSON");
        parameters.put("charset", "utf-8");
        parameters.put("sign_type", "RSA2");
        parameters.put("timestamp", timestamps.format(clock.instant()));
        parameters.put("version", "1.0");
        parameters.put("biz_content", biz.encode());
        // Requests sign every parameter but sign itself (sign_type included).
        parameters.put("sign", Signatures.sign(credentials.appKey(),
                Signatures.sortedParameters(parameters, "sign")));
        StringBuilder form = new StringBuilder();
        parameters.forEach((name, value) -> {
            if (form.length() > 0) {
                form.append('&');
            }
            form.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        var request = client.postAbs(credentials.baseUrl() + "/gateway.do")
                .putHeader("Content-Type", "application/x-www-form-urlencoded;charset=utf-8");
        return calls.send(request, Buffer.buffer(form.toString(), StandardCharsets.UTF_8.name()),
                timeout, AlipayChannel::troubled);
    }

    private static boolean troubled(Answered answered) {
        return answered.status() >= 500
                || answered.body().toString(StandardCharsets.UTF_8).contains("\"code\":\"20000\"");
    }

    /**
     * The response node of {@code method} if the answer is signed by Alipay: the signature
     * covers the node's exact text, between {@code "<method>_response":} and
     * {@code ,"sign":"}.
     */
    private JsonObject verifiedNode(Exchange exchange, String method) {
        if (!(exchange instanceof Answered answered) || answered.status() != 200) {
            return null;
        }
        String body = answered.body().toString(StandardCharsets.UTF_8);
        String marker = "\"" + method.replace('.', '_') + "_response\":";
        int start = body.indexOf(marker);
        if (start < 0) {
            marker = "\"error_response\":";
            start = body.indexOf(marker);
        }
        int end = body.lastIndexOf(",\"sign\":\"");
        if (start < 0 || end < start + marker.length()) {
            return null;
        }
        String nodeText = body.substring(start + marker.length(), end);
        try {
            String sign = new JsonObject(body).getString("sign");
            if (!Signatures.verify(credentials.alipayKey(), nodeText, sign)) {
                return null;
            }
            return new JsonObject(nodeText);
        } catch (DecodeException | ClassCastException malformed) {
            return null;
        }
    }


    static String yuan(long fen) {
        return BigDecimal.valueOf(fen, 2).toPlainString();
    }

    static Long fen(String yuan) {
        try {
            return yuan == null ? null : new BigDecimal(yuan).movePointRight(2).longValueExact();
        } catch (ArithmeticException | NumberFormatException notAnAmount) {
            return null;
        }
    }
}
