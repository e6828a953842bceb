package io.kassa.engine.server.http;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.server.gateways.ChannelCredentials;
import io.kassa.engine.server.gateways.ChannelNotification;
import io.kassa.engine.server.gateways.ChannelSettings;
import io.kassa.engine.server.gateways.internal.Signatures;
import io.kassa.engine.server.http.Verification.Rejected;
import io.kassa.engine.server.http.Verification.Verified;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Verifies the three channels' notifications on the raw body bytes, before anything in them is
 * believed. Pure apart from the keys: the time of arrival is a parameter.
 *
 * <pre>
 * WeChat Pay  headers Wechatpay-Timestamp, -Nonce, -Signature, -Serial;
 *             SHA256withRSA over  timestamp \n nonce \n body \n  with the platform key chosen
 *             by the serial; then resource AES-256-GCM(APIv3 key, resource.nonce,
 *             resource.associated_data)
 * Alipay      form body; RSA2 over the sorted k=v&... of every parameter but sign, sign_type
 * UnionPay    headers Upqr-Timestamp, -Nonce, -Signature, -Serial; as WeChat Pay, unencrypted
 * </pre>
 */
final class NotificationVerifiers {

    /** Longest notification id kept; the database column has the same bound. */
    static final int NOTIFICATION_ID_CHARS_MAX = 128;

    private final ChannelCredentials credentials;
    private final Duration window;
    private final DateTimeFormatter alipayTime;

    NotificationVerifiers(ChannelCredentials credentials, ChannelSettings settings) {
        this.credentials = credentials;
        this.window = settings.notificationWindow();
        this.alipayTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .withZone(settings.channelZone());
    }

    Verification wechatPay(MultiMap headers, Buffer body, Instant now) {
        if (credentials.wechatPay().isEmpty()) {
            return rejected(CallbackRejection.CHANNEL_NOT_CONFIGURED, "WeChat Pay has no keys");
        }
        ChannelCredentials.WechatPay keys = credentials.wechatPay().get();
        Verification signed = signedBody(headers, body, now, "Wechatpay-", keys.platformKeys());
        if (signed != null) {
            return signed;
        }
        JsonObject envelope = json(body);
        JsonObject resource = envelope == null ? null : envelope.getJsonObject("resource");
        if (resource == null || envelope.getString("id") == null
                || resource.getString("ciphertext") == null
                || resource.getString("nonce") == null) {
            return rejected(CallbackRejection.MALFORMED, "not a WeChat Pay notification");
        }
        if (!"AEAD_AES_256_GCM".equals(resource.getString("algorithm"))) {
            return rejected(CallbackRejection.MALFORMED, "unsupported resource algorithm");
        }
        var plaintext = Signatures.decrypt(keys.apiV3Key(), resource.getString("nonce"),
                resource.getString("associated_data"), resource.getString("ciphertext"));
        if (plaintext.isEmpty()) {
            return rejected(CallbackRejection.DECRYPTION_FAILED, "resource does not decrypt");
        }
        JsonObject transaction = json(Buffer.buffer(plaintext.get()));
        if (transaction == null || transaction.getString("out_trade_no") == null
                || transaction.getString("trade_state") == null) {
            return rejected(CallbackRejection.MALFORMED, "resource is not a transaction");
        }
        if (!keys.merchantId().equals(transaction.getString("mchid"))
                || !keys.appId().equals(transaction.getString("appid"))) {
            return rejected(CallbackRejection.WRONG_MERCHANT, "mchid or appid is not ours");
        }
        Long total = transaction.getJsonObject("amount", new JsonObject()).getLong("total");
        return verified(new ChannelNotification(ChannelId.WECHAT_PAY, envelope.getString("id"),
                envelope.getString("event_type", ""), transaction.getString("out_trade_no"),
                transaction.getString("transaction_id", ""),
                transaction.getString("trade_state"),
                total == null ? OptionalLong.empty() : OptionalLong.of(total),
                Instant.ofEpochSecond(Long.parseLong(headers.get("Wechatpay-Timestamp"))),
                plaintext.get(), body.toString(StandardCharsets.UTF_8)));
    }

    Verification unionPay(MultiMap headers, Buffer body, Instant now) {
        if (credentials.unionPay().isEmpty()) {
            return rejected(CallbackRejection.CHANNEL_NOT_CONFIGURED, "UnionPay has no keys");
        }
        ChannelCredentials.UnionPay keys = credentials.unionPay().get();
        Verification signed = signedBody(headers, body, now, "Upqr-", keys.gatewayKeys());
        if (signed != null) {
            return signed;
        }
        JsonObject json = json(body);
        if (json == null || json.getString("notifyId") == null
                || json.getString("orderId") == null || json.getString("tradeStatus") == null) {
            return rejected(CallbackRejection.MALFORMED, "not a UnionPay notification");
        }
        if (!keys.merchantId().equals(json.getString("merId"))) {
            return rejected(CallbackRejection.WRONG_MERCHANT, "merId is not ours");
        }
        Long amount = json.getLong("txnAmt");
        return verified(new ChannelNotification(ChannelId.UNIONPAY, json.getString("notifyId"),
                "TRANSACTION." + json.getString("tradeStatus"), json.getString("orderId"),
                json.getString("queryId", ""), json.getString("tradeStatus"),
                amount == null ? OptionalLong.empty() : OptionalLong.of(amount),
                Instant.ofEpochSecond(Long.parseLong(headers.get("Upqr-Timestamp"))),
                body.toString(StandardCharsets.UTF_8), body.toString(StandardCharsets.UTF_8)));
    }

    /**
     * The shared header scheme of WeChat Pay and UnionPay QR style: null when the body is
     * signed by a known key within the window, else the rejection.
     */
    private Verification signedBody(MultiMap headers, Buffer body, Instant now, String prefix,
            Map<String, PublicKey> keysBySerial) {
        String timestamp = headers.get(prefix + "Timestamp");
        String nonce = headers.get(prefix + "Nonce");
        String signature = headers.get(prefix + "Signature");
        String serial = headers.get(prefix + "Serial");
        if (timestamp == null || nonce == null || signature == null || serial == null) {
            return rejected(CallbackRejection.BAD_SIGNATURE, "signature headers missing");
        }
        PublicKey key = keysBySerial.get(serial);
        if (key == null) {
            return rejected(CallbackRejection.UNKNOWN_SERIAL, "unknown serial " + serial);
        }
        if (!timestamp.matches("\\d{1,12}")) {
            return rejected(CallbackRejection.MALFORMED, "timestamp is not epoch seconds");
        }
        Buffer message = Buffer.buffer(timestamp + "\n" + nonce + "\n").appendBuffer(body)
                .appendString("\n");
        if (!Signatures.verify(key, message.getBytes(), signature)) {
            return rejected(CallbackRejection.BAD_SIGNATURE, "signature verification failed");
        }
        if (outsideWindow(Instant.ofEpochSecond(Long.parseLong(timestamp)), now)) {
            return rejected(CallbackRejection.STALE_TIMESTAMP, "timestamp outside "
                    + window.toMinutes() + " minutes");
        }
        return null;
    }

    Verification alipay(Buffer body, Instant now) {
        if (credentials.alipay().isEmpty()) {
            return rejected(CallbackRejection.CHANNEL_NOT_CONFIGURED, "Alipay has no keys");
        }
        ChannelCredentials.Alipay keys = credentials.alipay().get();
        Map<String, String> parameters = form(body);
        if (parameters == null || parameters.get("notify_id") == null
                || parameters.get("out_trade_no") == null
                || parameters.get("trade_status") == null
                || parameters.get("notify_time") == null) {
            return rejected(CallbackRejection.MALFORMED, "not an Alipay notification");
        }
        if (!"RSA2".equals(parameters.get("sign_type")) || !Signatures.verify(keys.alipayKey(),
                Signatures.sortedParameters(parameters, "sign", "sign_type"),
                parameters.get("sign"))) {
            return rejected(CallbackRejection.BAD_SIGNATURE, "RSA2 verification failed");
        }
        if (!keys.appId().equals(parameters.get("app_id"))
                || !keys.sellerId().equals(parameters.get("seller_id"))) {
            return rejected(CallbackRejection.WRONG_MERCHANT, "app_id or seller_id is not ours");
        }
        Instant sentAt;
        try {
            sentAt = LocalDateTime.parse(parameters.get("notify_time"),
                    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                    .atZone(alipayTime.getZone()).toInstant();
        } catch (DateTimeParseException malformed) {
            return rejected(CallbackRejection.MALFORMED, "notify_time is not a time");
        }
        if (outsideWindow(sentAt, now)) {
            return rejected(CallbackRejection.STALE_TIMESTAMP, "notify_time outside window");
        }
        OptionalLong amount = OptionalLong.empty();
        if (parameters.get("total_amount") != null) {
            try {
                amount = OptionalLong.of(new BigDecimal(parameters.get("total_amount"))
                        .movePointRight(2).longValueExact());
            } catch (ArithmeticException | NumberFormatException malformed) {
                return rejected(CallbackRejection.MALFORMED, "total_amount is not an amount");
            }
        }
        String raw = body.toString(StandardCharsets.UTF_8);
        return verified(new ChannelNotification(ChannelId.ALIPAY, parameters.get("notify_id"),
                parameters.getOrDefault("notify_type", "trade_status_sync"),
                parameters.get("out_trade_no"), parameters.getOrDefault("trade_no", ""),
                parameters.get("trade_status"), amount, sentAt, raw, raw));
    }

    private boolean outsideWindow(Instant sentAt, Instant now) {
        return Duration.between(sentAt, now).abs().compareTo(window) > 0;
    }

    private static Verification verified(ChannelNotification notification) {
        if (notification.notificationId().isEmpty()
                || notification.notificationId().length() > NOTIFICATION_ID_CHARS_MAX
                || notification.outTradeNo().length() > 64
                || notification.transactionId().length() > 64
                || notification.channelState().length() > 32
                || notification.eventType().length() > 64
                || notification.amountFen().orElse(0) < 0) {
            return rejected(CallbackRejection.MALFORMED, "a field is out of bounds");
        }
        return new Verified(notification);
    }

    private static Rejected rejected(CallbackRejection reason, String message) {
        return new Rejected(reason, message);
    }

    private static JsonObject json(Buffer body) {
        try {
            return body.length() == 0 ? null : new JsonObject(body);
        } catch (DecodeException | ClassCastException malformed) {
            return null;
        }
    }

    /** The form parameters of a strict UTF-8, URL-encoded body; null when malformed. */
    private static Map<String, String> form(Buffer body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(body.getBytes())).toString();
        } catch (CharacterCodingException malformed) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        try {
            for (String pair : text.split("&")) {
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    return null;
                }
                String name = URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8);
                if (parameters.put(name, URLDecoder.decode(pair.substring(equals + 1),
                        StandardCharsets.UTF_8)) != null) {
                    return null; // a repeated parameter is ambiguous: which one was signed?
                }
            }
        } catch (IllegalArgumentException malformed) {
            return null;
        }
        return parameters;
    }
}
