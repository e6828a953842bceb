package io.kassa.peripherals.gateway;

import io.kassa.peripherals.gateway.GatewaySimulator.PayAnswer;
import io.kassa.peripherals.scanner.Wallet;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Alipay open-API style: one gateway URL ({@code POST /gateway.do}), form parameters with
 * {@code method} naming the call and {@code biz_content} holding its JSON, signed RSA2 over the
 * sorted parameters except {@code sign}. Answers are {@code {"<method>_response":{...},
 * "sign":"..."}} with the signature over the exact text of the response node.
 *
 * <p>Calls: {@code alipay.trade.pay} (scene bar_code; codes 10000, 10003, 20000, 40004),
 * {@code alipay.trade.query}, {@code alipay.trade.cancel} (action close|refund, retry_flag),
 * {@code alipay.trade.refund}.
 */
final class AlipayApi {

    static final String CHANNEL = "alipay";
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(GatewaySimulator.CHANNEL_ZONE);

    private final GatewaySimulator simulator;
    private final GatewayKeys keys;

    AlipayApi(GatewaySimulator simulator, GatewayKeys keys) {
        this.simulator = simulator;
        this.keys = keys;
    }

    SimulatedReply handle(String body) {
        Map<String, String> parameters = parseForm(body);
        String method = parameters.getOrDefault("method", "");
        String node = method.replace('.', '_') + "_response";
        String sign = parameters.get("sign");
        if (sign == null || !GatewayCrypto.verify(keys.alipayApp.getPublic(),
                GatewayCrypto.sortedParameters(parameters, "sign"), sign)) {
            return answer(node, failure("40002", "Invalid Arguments", "isv.invalid-signature",
                    "验签出错"));
        }
        if (!GatewayKeys.ALIPAY_APP_ID.equals(parameters.get("app_id"))) {
            return answer(node, failure("40002", "Invalid Arguments", "isv.invalid-app-id",
                    "无效的AppID参数"));
        }
        JsonObject biz;
        try {
            biz = new JsonObject(parameters.getOrDefault("biz_content", "{}"));
        } catch (DecodeException malformed) {
            return answer(node, failure("40002", "Invalid Arguments", "isv.invalid-parameter",
                    "biz_content is not JSON"));
        }
        return switch (method) {
            case "alipay.trade.pay" -> answer(node, pay(biz));
            case "alipay.trade.query" -> answer(node, query(biz));
            case "alipay.trade.cancel" -> answer(node, cancel(biz));
            case "alipay.trade.refund" -> answer(node, refund(biz));
            default -> answer("error_response", failure("40004", "Business Failed",
                    "isv.invalid-method", "unknown method"));
        };
    }

    private JsonObject pay(JsonObject biz) {
        String outTradeNo = biz.getString("out_trade_no");
        Long amountFen = fen(biz.getString("total_amount"));
        if (outTradeNo == null || amountFen == null || amountFen <= 0
                || !"bar_code".equals(biz.getString("scene"))) {
            return failure("40004", "Business Failed", "ACQ.INVALID_PARAMETER", "参数无效");
        }
        PayAnswer answer = simulator.pay(Wallet.ALIPAY, outTradeNo, biz.getString("auth_code"),
                amountFen, "ACQ.BUYER_BALANCE_NOT_ENOUGH");
        if (answer.silent()) {
            return null;
        }
        return switch (answer.kind()) {
            case PAID -> trade(answer.trade(), "10000", "Success");
            case USER_PAYING -> trade(answer.trade(), "10003", "order success pay inprocess");
            case SYSTEM_ERROR, FULL -> failure("20000", "Service Currently Unavailable",
                    "isp.unknow-error", "系统繁忙");
            case FAILED -> failure("40004", "Business Failed", answer.failureCode(), "支付失败");
            case INVALID_CODE -> failure("40004", "Business Failed",
                    "ACQ.PAYMENT_AUTH_CODE_INVALID", "支付失败，获取顾客账户信息失败");
            case ORDER_EXISTS -> switch (answer.trade().status) {
                case SUCCESS, REFUNDED -> failure("40004", "Business Failed",
                        "ACQ.TRADE_HAS_SUCCESS", "交易已被支付");
                case USER_PAYING -> trade(answer.trade(), "10003", "order success pay inprocess");
                default -> failure("40004", "Business Failed", "ACQ.TRADE_HAS_CLOSE",
                        "交易已经关闭");
            };
        };
    }

    private JsonObject query(JsonObject biz) {
        return simulator.store().find(CHANNEL, biz.getString("out_trade_no", ""))
                .map(trade -> trade(trade, "10000", "Success")
                        .put("trade_status", tradeStatus(trade)))
                .orElseGet(() -> failure("40004", "Business Failed", "ACQ.TRADE_NOT_EXIST",
                        "交易不存在"));
    }

    private JsonObject cancel(JsonObject biz) {
        String outTradeNo = biz.getString("out_trade_no", "");
        return switch (simulator.store().reverse(CHANNEL, outTradeNo,
                simulator.reverseAttemptsNeeded())) {
            case CALL_AGAIN -> failure("40004", "Business Failed", "ACQ.SYSTEM_ERROR", "系统错误")
                    .put("retry_flag", "Y").put("out_trade_no", outTradeNo);
            case CLOSED -> success().put("out_trade_no", outTradeNo).put("retry_flag", "N")
                    .put("action", "close");
            case REFUNDED -> success().put("out_trade_no", outTradeNo).put("retry_flag", "N")
                    .put("action", "refund");
            case NOT_REVERSIBLE -> failure("40004", "Business Failed", "ACQ.TRADE_STATUS_ERROR",
                    "交易状态不合法").put("retry_flag", "N");
        };
    }

    private JsonObject refund(JsonObject biz) {
        Long refundFen = fen(biz.getString("refund_amount"));
        String requestNo = biz.getString("out_request_no");
        if (refundFen == null || requestNo == null) {
            return failure("40004", "Business Failed", "ACQ.INVALID_PARAMETER", "参数无效");
        }
        TradeStore.RefundEffect effect = simulator.store().refund(CHANNEL,
                biz.getString("out_trade_no", ""), requestNo, refundFen);
        if (effect instanceof TradeStore.Refunded refunded) {
            return success().put("trade_no", refunded.trade().transactionId)
                    .put("out_trade_no", refunded.trade().outTradeNo)
                    .put("fund_change", "Y")
                    .put("refund_fee", yuan(refunded.trade().refundedFen));
        }
        String reason = ((TradeStore.RefundRefused) effect).reason();
        return failure("40004", "Business Failed", switch (reason) {
            case "ORDER_NOT_EXIST" -> "ACQ.TRADE_NOT_EXIST";
            case "REFUND_AMOUNT_EXCEEDS_PAID" -> "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL";
            default -> "ACQ.TRADE_STATUS_ERROR";
        }, reason);
    }

    static String tradeStatus(SimulatedTrade trade) {
        return switch (trade.status) {
            case USER_PAYING -> "WAIT_BUYER_PAY";
            case SUCCESS -> "TRADE_SUCCESS";
            case REFUNDED -> trade.refundedFen < trade.amountFen ? "TRADE_SUCCESS" : "TRADE_CLOSED";
            case FAILED, CLOSED, REVERSED -> "TRADE_CLOSED";
        };
    }

    private static JsonObject trade(SimulatedTrade trade, String code, String message) {
        JsonObject node = new JsonObject().put("code", code).put("msg", message)
                .put("trade_no", trade.transactionId).put("out_trade_no", trade.outTradeNo)
                .put("total_amount", yuan(trade.amountFen));
        if (trade.paidAt != null) {
            node.put("gmt_payment", TIME.format(trade.paidAt));
        }
        return node;
    }

    private static JsonObject success() {
        return new JsonObject().put("code", "10000").put("msg", "Success");
    }

    private static JsonObject failure(String code, String message, String subCode,
            String subMessage) {
        return new JsonObject().put("code", code).put("msg", message).put("sub_code", subCode)
                .put("sub_msg", subMessage);
    }

    private SimulatedReply answer(String node, JsonObject content) {
        if (content == null) {
            return null;
        }
        String nodeText = content.encode();
        String sign = GatewayCrypto.sign(keys.alipayPlatform.getPrivate(), nodeText);
        return SimulatedReply.json(200, Map.of(),
                "{\"" + node + "\":" + nodeText + ",\"sign\":\"" + sign + "\"}");
    }

    SignedNotification notification(SimulatedTrade trade, Instant sentAt) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("notify_time", TIME.format(sentAt));
        parameters.put("notify_type", "trade_status_sync");
        parameters.put("notify_id", "NT" + trade.transactionId);
        parameters.put("app_id", GatewayKeys.ALIPAY_APP_ID);
        parameters.put("seller_id", GatewayKeys.ALIPAY_SELLER_ID);
        parameters.put("charset", "utf-8");
        parameters.put("version", "1.0");
        parameters.put("trade_no", trade.transactionId);
        parameters.put("out_trade_no", trade.outTradeNo);
        parameters.put("trade_status", tradeStatus(trade));
        parameters.put("total_amount", yuan(trade.amountFen));
        parameters.put("receipt_amount", yuan(trade.amountFen));
        if (trade.paidAt != null) {
            parameters.put("gmt_payment", TIME.format(trade.paidAt));
        }
        return signNotification(parameters);
    }

    /** Signs notification parameters (RSA2, all but sign and sign_type) and forms the body. */
    SignedNotification signNotification(Map<String, String> parameters) {
        Map<String, String> signed = new LinkedHashMap<>(parameters);
        signed.put("sign_type", "RSA2");
        signed.put("sign", GatewayCrypto.sign(keys.alipayPlatform.getPrivate(),
                GatewayCrypto.sortedParameters(signed, "sign", "sign_type")));
        StringBuilder form = new StringBuilder();
        signed.forEach((name, value) -> {
            if (form.length() > 0) {
                form.append('&');
            }
            form.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        return new SignedNotification(CHANNEL, signed.get("notify_id"),
                "application/x-www-form-urlencoded;charset=utf-8", Map.of(), form.toString());
    }

    static String yuan(long fen) {
        return BigDecimal.valueOf(fen, 2).toPlainString();
    }

    private static Long fen(String yuan) {
        try {
            return yuan == null ? null : new BigDecimal(yuan).movePointRight(2).longValueExact();
        } catch (ArithmeticException | NumberFormatException notAnAmount) {
            return null;
        }
    }

    static Map<String, String> parseForm(String body) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }
}
