package io.kassa.peripherals.gateway;

import io.kassa.peripherals.gateway.GatewaySimulator.PayAnswer;
import io.kassa.peripherals.scanner.Wallet;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * "UnionPay QR style": a signed JSON API of Kassa's own design modelled on the same semantics
 * as the other two channels, because UnionPay's real QR specification could not be verified.
 * Requests carry {@code Upqr-Merchant-Id}, {@code Upqr-Serial}, {@code Upqr-Timestamp},
 * {@code Upqr-Nonce} and {@code Upqr-Signature} (SHA256withRSA over
 * {@code method\npath\ntimestamp\nnonce\nbody\n}); answers and notifications carry the same
 * headers signed by the gateway over {@code timestamp\nnonce\nbody\n}.
 *
 * <pre>
 * POST /upqr/v1/pay      {orderId, qrNo, txnAmt}            respCode 00 | 05 paying | 96 | other
 * POST /upqr/v1/query    {orderId}                          00 + tradeStatus | 34 not found
 * POST /upqr/v1/reverse  {orderId}                          00 + tradeStatus | 96 call again
 * POST /upqr/v1/refund   {orderId, refundId, refundAmt}     00 | other
 * tradeStatus: PAYING, SUCCESS, FAILED, CLOSED, REVERSED, REFUNDED
 * </pre>
 */
final class UnionPayApi {

    static final String CHANNEL = "unionpay";

    private final GatewaySimulator simulator;
    private final GatewayKeys keys;

    UnionPayApi(GatewaySimulator simulator, GatewayKeys keys) {
        this.simulator = simulator;
        this.keys = keys;
    }

    SimulatedReply handle(String method, String path, MultiMap headers, String body) {
        String timestamp = headers.get("Upqr-Timestamp");
        String nonce = headers.get("Upqr-Nonce");
        String signature = headers.get("Upqr-Signature");
        if (!GatewayKeys.UNIONPAY_MERCHANT_ID.equals(headers.get("Upqr-Merchant-Id"))
                || !keys.unionPayMerchantSerial().equals(headers.get("Upqr-Serial"))
                || timestamp == null || nonce == null || signature == null
                || !GatewayCrypto.verify(keys.unionPayMerchant.getPublic(), method + "\n" + path
                        + "\n" + timestamp + "\n" + nonce + "\n" + body + "\n", signature)) {
            return answer(401, response("11", "signature verification failed"));
        }
        JsonObject request;
        try {
            request = new JsonObject(body);
        } catch (DecodeException malformed) {
            return answer(400, response("30", "body is not JSON"));
        }
        String orderId = request.getString("orderId");
        if (orderId == null) {
            return answer(400, response("30", "orderId is required"));
        }
        return switch (path) {
            case "/upqr/v1/pay" -> pay(orderId, request);
            case "/upqr/v1/query" -> simulator.store().find(CHANNEL, orderId)
                    .map(trade -> answer(200, trade(trade, "00", "success")))
                    .orElseGet(() -> answer(200, response("34", "order not found")));
            case "/upqr/v1/reverse" -> reverse(orderId);
            case "/upqr/v1/refund" -> refund(orderId, request);
            default -> answer(404, response("30", "no such API"));
        };
    }

    private SimulatedReply pay(String orderId, JsonObject request) {
        Long amount = request.getLong("txnAmt");
        if (amount == null || amount <= 0) {
            return answer(400, response("30", "txnAmt is required"));
        }
        PayAnswer answer = simulator.pay(Wallet.UNIONPAY, orderId, request.getString("qrNo"),
                amount, "51");
        if (answer.silent()) {
            return null;
        }
        return switch (answer.kind()) {
            case PAID -> answer(200, trade(answer.trade(), "00", "success"));
            case USER_PAYING -> answer(200, trade(answer.trade(), "05", "waiting for payer"));
            case SYSTEM_ERROR, FULL -> answer(200, response("96", "system error"));
            case FAILED -> answer(200, response(answer.failureCode(), "payment declined"));
            case INVALID_CODE -> answer(200, response("14", "invalid payment code"));
            case ORDER_EXISTS -> answer(200, trade(answer.trade(), "12", "duplicate order"));
        };
    }

    private SimulatedReply reverse(String orderId) {
        TradeStore.ReverseEffect effect = simulator.store().reverse(CHANNEL, orderId,
                simulator.reverseAttemptsNeeded());
        if (effect == TradeStore.ReverseEffect.CALL_AGAIN) {
            return answer(200, response("96", "system error, call again"));
        }
        if (effect == TradeStore.ReverseEffect.NOT_REVERSIBLE) {
            return answer(200, response("40", "refunded orders cannot be reversed"));
        }
        return answer(200, trade(simulator.store().find(CHANNEL, orderId).orElseThrow(),
                "00", "success"));
    }

    private SimulatedReply refund(String orderId, JsonObject request) {
        Long amount = request.getLong("refundAmt");
        String refundId = request.getString("refundId");
        if (amount == null || refundId == null) {
            return answer(400, response("30", "refundId and refundAmt are required"));
        }
        TradeStore.RefundEffect effect = simulator.store().refund(CHANNEL, orderId, refundId,
                amount);
        if (effect instanceof TradeStore.Refunded refunded) {
            return answer(200, trade(refunded.trade(), "00", "success")
                    .put("refundId", refundId).put("refundAmt", refunded.refundFen()));
        }
        return answer(200, response("25", ((TradeStore.RefundRefused) effect).reason()));
    }

    static String tradeStatus(SimulatedTrade trade) {
        return switch (trade.status) {
            case USER_PAYING -> "PAYING";
            case SUCCESS -> "SUCCESS";
            case FAILED -> "FAILED";
            case CLOSED -> "CLOSED";
            case REVERSED -> "REVERSED";
            case REFUNDED -> "REFUNDED";
        };
    }

    private static JsonObject trade(SimulatedTrade trade, String code, String message) {
        return response(code, message).put("orderId", trade.outTradeNo)
                .put("queryId", trade.transactionId).put("txnAmt", trade.amountFen)
                .put("tradeStatus", tradeStatus(trade));
    }

    private static JsonObject response(String code, String message) {
        return new JsonObject().put("respCode", code).put("respMsg", message);
    }

    private SimulatedReply answer(int status, JsonObject body) {
        String text = body.encode();
        return SimulatedReply.json(status, signatureHeaders(text, simulator.clock().instant()),
                text);
    }

    private Map<String, String> signatureHeaders(String body, Instant at) {
        String timestamp = Long.toString(at.getEpochSecond());
        String nonce = GatewayCrypto.nonce(32);
        Map<String, String> headers = new HashMap<>();
        headers.put("Upqr-Timestamp", timestamp);
        headers.put("Upqr-Nonce", nonce);
        headers.put("Upqr-Serial", keys.unionPayGatewaySerial());
        headers.put("Upqr-Signature", GatewayCrypto.sign(keys.unionPayGateway.getPrivate(),
                timestamp + "\n" + nonce + "\n" + body + "\n"));
        return headers;
    }

    SignedNotification notification(SimulatedTrade trade, Instant sentAt) {
        String id = "UN" + trade.transactionId;
        String body = new JsonObject().put("notifyId", id)
                .put("merId", GatewayKeys.UNIONPAY_MERCHANT_ID)
                .put("orderId", trade.outTradeNo).put("queryId", trade.transactionId)
                .put("txnAmt", trade.amountFen).put("tradeStatus", tradeStatus(trade))
                .put("notifyTime", sentAt.toString()).encode();
        return new SignedNotification(CHANNEL, id, "application/json",
                signatureHeaders(body, sentAt), body);
    }
}
