package io.kassa.loadtests.gatling;

import io.kassa.peripherals.gateway.GatewayCrypto;
import io.kassa.peripherals.gateway.GatewaySimulator;
import io.kassa.peripherals.gateway.SignedNotification;
import io.kassa.peripherals.gateway.TradeSnapshot;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The notifications of a callback storm, signed by the gateway simulator's own code with its
 * real keys, for trades the engine holds payment intents of: good ones, and a share of bad
 * ones a gateway endpoint on the internet gets — a forged signature, an amount tampered with
 * after signing, a genuine notification captured and replayed after the window. Each comes
 * with the reply the engine must give (CallbackRoutes: WeChat Pay 204 or 4xx JSON
 * {"code":"FAIL"}, Alipay 200 "success" or 4xx "failure").
 *
 * <p>An endless Gatling feeder: every record is drawn and signed when a virtual user takes it
 * (an RSA signature, about a millisecond of CPU; nothing waits).
 */
final class CallbackNotifications implements Iterator<Map<String, Object>> {

    /** What a notification is, with its share of the storm in percent and its reply. */
    enum Kind {
        /** A new WeChat Pay event for a paid trade: recorded once, acknowledged. */
        WECHAT_NEW("wechatpay: new event", 30, 204),
        /** WeChat Pay resending a trade's event (same event id): acknowledged, no new row. */
        WECHAT_RESENT("wechatpay: resent event", 20, 204),
        /** Alipay's notification of a paid trade (sent again and again until "success"). */
        ALIPAY("alipay: trade notification", 30, 200),
        /** Signed with a key that is not the platform's. */
        WECHAT_FORGED("wechatpay: forged signature", 5, 401),
        /** A genuine notification captured and sent again after the window. */
        WECHAT_REPLAYED("wechatpay: replayed after the window", 5, 401),
        /** Signed, then its amount changed. */
        ALIPAY_TAMPERED("alipay: amount tampered after signing", 5, 401),
        /** A genuine notification captured and sent again after the window. */
        ALIPAY_REPLAYED("alipay: replayed after the window", 5, 401);

        final String requestName;
        final int percent;
        final int status;

        Kind(String requestName, int percent, int status) {
            this.requestName = requestName;
            this.percent = percent;
            this.status = status;
        }

        boolean good() {
            return status < 300;
        }
    }

    /** Older than the engine's notification window (5 minutes by default). */
    static final Duration REPLAY_AGE = Duration.ofMinutes(10);

    private static final Pattern AMOUNT = Pattern.compile("total_amount=([0-9.]+)");

    private final GatewaySimulator simulator;
    private final List<TradeSnapshot> wechatTrades;
    private final List<TradeSnapshot> alipayTrades;
    private final Map<String, JsonObject> wechatBodies = new HashMap<>();
    private final KeyPair attacker = GatewayCrypto.newRsaKeyPair();
    private final SplittableRandom random = new SplittableRandom(23);
    private final AtomicLong sequence = new AtomicLong();

    CallbackNotifications(GatewaySimulator simulator, List<TradeSnapshot> trades) {
        this.simulator = simulator;
        this.wechatTrades = trades.stream().filter(t -> t.channel().equals("wechatpay")).toList();
        this.alipayTrades = trades.stream().filter(t -> t.channel().equals("alipay")).toList();
        if (wechatTrades.isEmpty() || alipayTrades.isEmpty()) {
            throw new IllegalArgumentException("the storm needs paid WeChat Pay and Alipay trades");
        }
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public synchronized Map<String, Object> next() {
        Kind kind = draw();
        Instant now = Instant.now();
        SignedNotification notification = switch (kind) {
            case WECHAT_NEW -> wechat(pick(wechatTrades), "-" + sequence.incrementAndGet(), now);
            case WECHAT_RESENT -> wechat(pick(wechatTrades), "", now);
            case WECHAT_FORGED -> forged(wechat(pick(wechatTrades), "", now));
            case WECHAT_REPLAYED -> wechat(pick(wechatTrades), "", now.minus(REPLAY_AGE));
            case ALIPAY -> simulator.notificationFor("alipay", pick(alipayTrades).outTradeNo(),
                    now);
            case ALIPAY_TAMPERED -> tampered(simulator.notificationFor("alipay",
                    pick(alipayTrades).outTradeNo(), now));
            case ALIPAY_REPLAYED -> simulator.notificationFor("alipay",
                    pick(alipayTrades).outTradeNo(), now.minus(REPLAY_AGE));
        };
        Map<String, Object> record = new HashMap<>();
        record.put("kind", kind.name());
        record.put("requestName", kind.requestName);
        record.put("channel", notification.channel());
        record.put("expectedStatus", kind.status);
        record.put("contentType", notification.contentType());
        record.put("body", notification.body());
        notification.headers().forEach(record::put);
        return record;
    }

    private Kind draw() {
        int roll = random.nextInt(100);
        for (Kind kind : Kind.values()) {
            if (roll < kind.percent) {
                return kind;
            }
            roll -= kind.percent;
        }
        throw new IllegalStateException("the shares add up to 100");
    }

    private TradeSnapshot pick(List<TradeSnapshot> trades) {
        return trades.get(random.nextInt(trades.size()));
    }

    /**
     * The trade's WeChat Pay notification with {@code idSuffix} on its event id, signed as of
     * {@code at}. The encrypted resource is the simulator's, made once per trade.
     */
    private SignedNotification wechat(TradeSnapshot trade, String idSuffix, Instant at) {
        JsonObject body = wechatBodies.computeIfAbsent(trade.outTradeNo(), outTradeNo ->
                new JsonObject(simulator.notificationFor("wechatpay", outTradeNo).body()))
                .copy();
        String id = body.getString("id") + idSuffix;
        return simulator.signWechatPayNotification(id, body.put("id", id).encode(), at);
    }

    /** The same notification, its signature made with the attacker's key over the same text. */
    private SignedNotification forged(SignedNotification genuine) {
        String message = genuine.headers().get("Wechatpay-Timestamp") + "\n"
                + genuine.headers().get("Wechatpay-Nonce") + "\n" + genuine.body() + "\n";
        return genuine.withHeader("Wechatpay-Signature",
                GatewayCrypto.sign(attacker.getPrivate(), message));
    }

    /** The same form with one fen less to pay: the RSA2 signature no longer covers it. */
    private static SignedNotification tampered(SignedNotification genuine) {
        Matcher amount = AMOUNT.matcher(genuine.body());
        if (!amount.find()) {
            throw new IllegalStateException("an Alipay notification without total_amount");
        }
        String lower = new java.math.BigDecimal(amount.group(1))
                .subtract(new java.math.BigDecimal("0.01")).max(java.math.BigDecimal.ZERO)
                .toPlainString();
        return genuine.withBody(amount.replaceFirst("total_amount=" + lower));
    }
}
