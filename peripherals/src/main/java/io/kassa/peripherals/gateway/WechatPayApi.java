package io.kassa.peripherals.gateway;

import io.kassa.peripherals.gateway.GatewaySimulator.PayAnswer;
import io.kassa.peripherals.scanner.Wallet;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WeChat Pay API v3 style, code payment: requests carry {@code Authorization:
 * WECHATPAY2-SHA256-RSA2048 mchid="..",nonce_str="..",signature="..",timestamp="..",
 * serial_no=".."} over {@code method\nurl\ntimestamp\nnonce\nbody\n}; answers are signed with
 * the platform key over {@code timestamp\nnonce\nbody\n} in the {@code Wechatpay-*} headers.
 *
 * <pre>
 * POST /v3/pay/transactions/codepay                          pay
 * GET  /v3/pay/transactions/out-trade-no/{no}?mchid=..       query
 * POST /v3/pay/transactions/out-trade-no/{no}/reverse        reverse
 * POST /v3/refund/domestic/refunds                           refund
 * </pre>
 */
final class WechatPayApi {

    static final String CHANNEL = "wechatpay";
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "WECHATPAY2-SHA256-RSA2048 (.+)");
    private static final Pattern FIELD = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Pattern TRADE_PATH = Pattern.compile(
            "/v3/pay/transactions/out-trade-no/([A-Za-z0-9_\\-|*@]{1,32})(/reverse)?");

    private final GatewaySimulator simulator;
    private final GatewayKeys keys;

    WechatPayApi(GatewaySimulator simulator, GatewayKeys keys) {
        this.simulator = simulator;
        this.keys = keys;
    }

    SimulatedReply handle(String method, String uri, MultiMap headers, String body) {
        String problem = checkAuthorization(method, uri, headers.get("Authorization"), body);
        if (problem != null) {
            return error(401, "SIGN_ERROR", problem);
        }
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        JsonObject request;
        try {
            request = body.isEmpty() ? new JsonObject() : new JsonObject(body);
        } catch (DecodeException malformed) {
            return error(400, "PARAM_ERROR", "body is not JSON");
        }
        if (method.equals("POST") && path.equals("/v3/pay/transactions/codepay")) {
            return pay(request);
        }
        if (method.equals("POST") && path.equals("/v3/refund/domestic/refunds")) {
            return refund(request);
        }
        Matcher trade = TRADE_PATH.matcher(path);
        if (trade.matches()) {
            if (trade.group(2) == null && method.equals("GET")) {
                return query(trade.group(1));
            }
            if (trade.group(2) != null && method.equals("POST")) {
                return reverse(trade.group(1));
            }
        }
        return error(404, "NOT_FOUND", "no such API");
    }

    private String checkAuthorization(String method, String uri, String authorization,
            String body) {
        if (authorization == null) {
            return "no Authorization header";
        }
        Matcher scheme = AUTHORIZATION.matcher(authorization);
        if (!scheme.matches()) {
            return "unknown authorization scheme";
        }
        Map<String, String> fields = new HashMap<>();
        Matcher field = FIELD.matcher(scheme.group(1));
        while (field.find()) {
            fields.put(field.group(1), field.group(2));
        }
        if (!GatewayKeys.WECHAT_MERCHANT_ID.equals(fields.get("mchid"))) {
            return "unknown mchid";
        }
        if (!keys.wechatMerchantSerial().equals(fields.get("serial_no"))) {
            return "unknown merchant certificate serial";
        }
        String message = method + "\n" + uri + "\n" + fields.get("timestamp") + "\n"
                + fields.get("nonce_str") + "\n" + body + "\n";
        String signature = fields.get("signature");
        if (signature == null || !GatewayCrypto.verify(
                keys.wechatMerchant.getPublic(), message, signature)) {
            return "signature verification failed";
        }
        return null;
    }

    private SimulatedReply pay(JsonObject request) {
        String outTradeNo = request.getString("out_trade_no");
        JsonObject payer = request.getJsonObject("payer", new JsonObject());
        JsonObject amount = request.getJsonObject("amount", new JsonObject());
        Long total = amount.getLong("total");
        if (outTradeNo == null || total == null || total <= 0) {
            return error(400, "PARAM_ERROR", "out_trade_no and amount.total are required");
        }
        PayAnswer answer = simulator.pay(Wallet.WECHAT_PAY, outTradeNo,
                payer.getString("auth_code"), total, "NOTENOUGH");
        if (answer.silent()) {
            return null;
        }
        return switch (answer.kind()) {
            case PAID -> signed(200, transaction(answer.trade()).encode());
            case USER_PAYING -> error(202, "USERPAYING", "需要用户输入支付密码");
            case SYSTEM_ERROR -> error(500, "SYSTEMERROR", "系统错误");
            case FAILED -> error(403, answer.failureCode(), "支付失败");
            case INVALID_CODE -> error(400, "AUTH_CODE_INVALID", "付款码无效");
            case FULL -> error(500, "SYSTEMERROR", "simulator full");
            case ORDER_EXISTS -> switch (answer.trade().status) {
                case SUCCESS, REFUNDED -> error(403, "ORDERPAID", "订单已支付");
                case USER_PAYING -> error(202, "USERPAYING", "需要用户输入支付密码");
                default -> error(400, "ORDER_CLOSED", "订单已关闭");
            };
        };
    }

    private SimulatedReply query(String outTradeNo) {
        return simulator.store().find(CHANNEL, outTradeNo)
                .map(trade -> signed(200, transaction(trade).encode()))
                .orElseGet(() -> error(404, "ORDER_NOT_EXIST", "订单不存在"));
    }

    private SimulatedReply reverse(String outTradeNo) {
        return switch (simulator.store().reverse(CHANNEL, outTradeNo,
                simulator.reverseAttemptsNeeded())) {
            case CALL_AGAIN -> error(500, "SYSTEMERROR", "系统错误, 请重新调用撤销");
            case CLOSED, REFUNDED -> signed(200, new JsonObject()
                    .put("out_trade_no", outTradeNo).put("recall", "N").encode());
            case NOT_REVERSIBLE -> error(400, "TRADE_ERROR", "已退款的订单不能撤销");
        };
    }

    private SimulatedReply refund(JsonObject request) {
        JsonObject amount = request.getJsonObject("amount", new JsonObject());
        String outRefundNo = request.getString("out_refund_no");
        Long refund = amount.getLong("refund");
        if (outRefundNo == null || refund == null) {
            return error(400, "PARAM_ERROR", "out_refund_no and amount.refund are required");
        }
        TradeStore.RefundEffect effect = simulator.store().refund(CHANNEL,
                request.getString("out_trade_no"), outRefundNo, refund);
        if (effect instanceof TradeStore.Refunded refunded) {
            return signed(200, new JsonObject().put("refund_id", refunded.refundId())
                    .put("out_refund_no", outRefundNo)
                    .put("transaction_id", refunded.trade().transactionId)
                    .put("out_trade_no", refunded.trade().outTradeNo)
                    .put("status", "SUCCESS")
                    .put("amount", new JsonObject().put("refund", refunded.refundFen())
                            .put("total", refunded.trade().amountFen).put("currency", "CNY"))
                    .encode());
        }
        String reason = ((TradeStore.RefundRefused) effect).reason();
        return reason.equals("ORDER_NOT_EXIST") ? error(404, "RESOURCE_NOT_EXISTS", reason)
                : error(400, reason.equals("REFUND_AMOUNT_EXCEEDS_PAID") ? "NOT_ENOUGH"
                        : "INVALID_REQUEST", reason);
    }

    static String tradeState(SimulatedTrade trade) {
        return switch (trade.status) {
            case USER_PAYING -> "USERPAYING";
            case SUCCESS -> "SUCCESS";
            case FAILED -> "PAYERROR";
            case CLOSED, REVERSED -> "REVOKED";
            case REFUNDED -> "REFUND";
        };
    }

    private static JsonObject transaction(SimulatedTrade trade) {
        JsonObject transaction = new JsonObject()
                .put("appid", GatewayKeys.WECHAT_APP_ID)
                .put("mchid", GatewayKeys.WECHAT_MERCHANT_ID)
                .put("out_trade_no", trade.outTradeNo)
                .put("transaction_id", trade.transactionId)
                .put("trade_type", "MICROPAY")
                .put("trade_state", tradeState(trade))
                .put("trade_state_desc", trade.status.name())
                .put("amount", new JsonObject().put("total", trade.amountFen)
                        .put("payer_total", trade.amountFen).put("currency", "CNY"));
        if (trade.paidAt != null) {
            transaction.put("success_time", trade.paidAt.atZone(GatewaySimulator.CHANNEL_ZONE)
                    .toOffsetDateTime().toString());
        }
        return transaction;
    }

    SignedNotification notification(SimulatedTrade trade, Instant sentAt) {
        String nonce = GatewayCrypto.nonce(12);
        String plaintext = transaction(trade).encode();
        String id = "EV-" + trade.transactionId;
        JsonObject body = new JsonObject()
                .put("id", id)
                .put("create_time", (trade.paidAt != null ? trade.paidAt : sentAt)
                        .atZone(GatewaySimulator.CHANNEL_ZONE).toOffsetDateTime().toString())
                .put("resource_type", "encrypt-resource")
                .put("event_type", "TRANSACTION.SUCCESS")
                .put("summary", "支付成功")
                .put("resource", new JsonObject()
                        .put("original_type", "transaction")
                        .put("algorithm", "AEAD_AES_256_GCM")
                        .put("ciphertext", GatewayCrypto.encrypt(
                                keys.apiV3Key, nonce, "transaction", plaintext))
                        .put("associated_data", "transaction")
                        .put("nonce", nonce));
        return sign(id, body.encode(), sentAt);
    }

    SignedNotification sign(String id, String body, Instant at) {
        return new SignedNotification(CHANNEL, id, "application/json",
                signatureHeaders(body, at), body);
    }

    private Map<String, String> signatureHeaders(String body, Instant at) {
        String timestamp = Long.toString(at.getEpochSecond());
        String nonce = GatewayCrypto.nonce(32);
        String signature = GatewayCrypto.sign(keys.wechatPlatform.getPrivate(),
                timestamp + "\n" + nonce + "\n" + body + "\n");
        return Map.of("Wechatpay-Timestamp", timestamp, "Wechatpay-Nonce", nonce,
                "Wechatpay-Signature", signature, "Wechatpay-Serial", keys.wechatPlatformSerial());
    }

    private SimulatedReply signed(int status, String body) {
        Map<String, String> headers = new HashMap<>(
                signatureHeaders(body, simulator.clock().instant()));
        headers.put("Request-ID", GatewayCrypto.nonce(16));
        return SimulatedReply.json(status, headers, body);
    }

    private SimulatedReply error(int status, String code, String message) {
        return signed(status, new JsonObject().put("code", code).put("message", message)
                .encode());
    }
}
