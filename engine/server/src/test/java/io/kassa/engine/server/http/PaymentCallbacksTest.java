package io.kassa.engine.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.server.gateways.ChannelCredentials;
import io.kassa.engine.server.gateways.ChannelSettings;
import io.kassa.engine.server.gateways.PayRequest;
import io.kassa.engine.server.gateways.PayResult;
import io.kassa.engine.server.gateways.PaymentChannels;
import io.kassa.engine.server.gateways.RecordingNotificationSink;
import io.kassa.engine.server.postgres.Migrations;
import io.kassa.engine.server.postgres.PostgresLocation;
import io.kassa.engine.server.testing.TestServices;
import io.kassa.peripherals.gateway.GatewaySimulator;
import io.kassa.peripherals.gateway.GatewaySimulatorOptions;
import io.kassa.peripherals.gateway.NotificationDelivery;
import io.kassa.peripherals.gateway.SignedNotification;
import io.kassa.peripherals.gateway.TradePlan;
import io.kassa.peripherals.scanner.PaymentCodeScanner;
import io.kassa.peripherals.scanner.Wallet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The callback endpoint over real HTTP: the gateway simulator pays trades and delivers its
 * signed (for WeChat Pay, encrypted) notifications, and tampered copies of them, to the
 * engine's endpoint backed by PostgreSQL. Each case checks the exact reply the channel
 * expects, the counter, and what the database holds.
 */
class PaymentCallbacksTest {

    private static final ChannelSettings SETTINGS =
            ChannelSettings.defaults().withCallbackBodyBytesMax(16 * 1024);

    private static Vertx vertx;
    private static GatewaySimulator simulator;
    private static PaymentChannels channels;
    private static HttpServer server;
    private static Pool pool;
    private static String schema;
    private static CallbackCounters counters;
    private static final PaymentCodeScanner scanner = new PaymentCodeScanner(5);
    private static final AtomicInteger orders = new AtomicInteger();

    @BeforeAll
    static void start() {
        schema = TestServices.freshSchema("callbacks");
        PostgresLocation location = PostgresLocation.parse(TestServices.postgresUrl(), schema);
        Migrations.migrate(location);
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
                .connectingTo(location.connectOptions()).using(vertx).build();
        simulator = await(GatewaySimulator.start(vertx, new GatewaySimulatorOptions()
                .setPort(0).setKeysDirectory(Path.of("target", "gateway-test-keys"))
                .setNotifications(false)));
        ChannelCredentials credentials = ChannelCredentials.load(simulator.engineKeysDirectory());
        channels = PaymentChannels.create(vertx, credentials, SETTINGS, Clock.systemUTC());
        counters = new CallbackCounters();
        server = await(HttpEndpoint.start(vertx, "127.0.0.1", 0, new CallbackRoutes(credentials,
                SETTINGS, new RecordingNotificationSink(pool, Clock.systemUTC()), counters,
                Clock.systemUTC())));
        simulator.setCallbackUrl("http://127.0.0.1:" + server.actualPort());
    }

    @AfterAll
    static void stop() {
        channels.close();
        await(simulator.stop());
        await(vertx.close());
        TestServices.dropSchema(schema);
    }

    private static String paidTrade(Wallet wallet) {
        String code = scanner.next(wallet);
        simulator.plan(code, TradePlan.success());
        String outTradeNo = "CB" + System.nanoTime() + orders.incrementAndGet();
        PayResult result = await(channels.channel(new ChannelId(wallet.channelName()))
                .orElseThrow().pay(new PayRequest(outTradeNo, code, 2_391, "store-3", "sale")));
        assertThat(result).isInstanceOf(PayResult.Paid.class);
        return outTradeNo;
    }

    private static long rows(String outTradeNo) {
        return TestServices.count(schema, "select count(*) from payment_notification"
                + " where out_trade_no = '" + outTradeNo + "'");
    }

    @Test
    void wechatPayNotificationIsAcceptedOnceAndTheDuplicateAcknowledged() {
        String outTradeNo = paidTrade(Wallet.WECHAT_PAY);
        SignedNotification notification = simulator.notificationFor("wechatpay", outTradeNo);
        NotificationDelivery first = await(simulator.deliver(notification));
        assertThat(first.status()).isEqualTo(204);
        assertThat(first.body()).isEmpty();
        // The channel resends with a new signature and timestamp but the same id.
        NotificationDelivery again = await(simulator.deliver(
                simulator.notificationFor("wechatpay", outTradeNo)));
        assertThat(again.status()).isEqualTo(204);
        assertThat(rows(outTradeNo)).isEqualTo(1);
        assertThat(TestServices.count(schema, "select amount_fen from payment_notification"
                + " where out_trade_no = '" + outTradeNo + "'")).isEqualTo(2_391);
        assertThat(counters.count(ChannelId.WECHAT_PAY, "duplicate")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void wechatPayForgedSignatureIsRejected() {
        String outTradeNo = paidTrade(Wallet.WECHAT_PAY);
        SignedNotification genuine = simulator.notificationFor("wechatpay", outTradeNo);
        NotificationDelivery forged = await(simulator.deliver(
                genuine.withBody(genuine.body().replace("TRANSACTION.SUCCESS", "TRANSACTION.X"))));
        assertFail(forged, 401, "BAD_SIGNATURE");
        assertThat(rows(outTradeNo)).isZero();
        assertThat(counters.count(ChannelId.WECHAT_PAY, CallbackRejection.BAD_SIGNATURE))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void wechatPayUnknownSerialIsRejected() {
        String outTradeNo = paidTrade(Wallet.WECHAT_PAY);
        NotificationDelivery reply = await(simulator.deliver(simulator.notificationFor(
                "wechatpay", outTradeNo).withHeader("Wechatpay-Serial", "5157F09EFDC096DE15EB")));
        assertFail(reply, 401, "UNKNOWN_SERIAL");
        assertThat(rows(outTradeNo)).isZero();
    }

    @Test
    void wechatPayStaleAndFutureTimestampsAreRejected() {
        String outTradeNo = paidTrade(Wallet.WECHAT_PAY);
        assertFail(await(simulator.deliver(simulator.notificationFor("wechatpay", outTradeNo,
                Instant.now().minusSeconds(301)))), 401, "STALE_TIMESTAMP");
        assertFail(await(simulator.deliver(simulator.notificationFor("wechatpay", outTradeNo,
                Instant.now().plusSeconds(301)))), 401, "STALE_TIMESTAMP");
        assertThat(await(simulator.deliver(simulator.notificationFor("wechatpay", outTradeNo,
                Instant.now().minusSeconds(290)))).status()).isEqualTo(204);
        assertThat(counters.count(ChannelId.WECHAT_PAY, CallbackRejection.STALE_TIMESTAMP))
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void wechatPayTamperedCiphertextFailsDecryptionEvenWhenSigned() {
        String outTradeNo = paidTrade(Wallet.WECHAT_PAY);
        JsonObject body = new JsonObject(
                simulator.notificationFor("wechatpay", outTradeNo).body());
        JsonObject resource = body.getJsonObject("resource");
        String ciphertext = resource.getString("ciphertext");
        char flipped = ciphertext.charAt(5) == 'A' ? 'B' : 'A';
        resource.put("ciphertext", ciphertext.substring(0, 5) + flipped + ciphertext.substring(6));
        NotificationDelivery reply = await(simulator.deliver(simulator.signWechatPayNotification(
                body.getString("id"), body.encode(), Instant.now())));
        assertFail(reply, 400, "DECRYPTION_FAILED");
        assertThat(rows(outTradeNo)).isZero();
    }

    @Test
    void malformedJsonAndOversizedBodiesAreRejected() {
        assertFail(await(simulator.deliver(simulator.signWechatPayNotification("EV-1",
                "{\"id\":", Instant.now()))), 400, "MALFORMED");
        String large = "{\"id\":\"EV-2\",\"pad\":\"" + "x".repeat(16 * 1024) + "\"}";
        assertFail(await(simulator.deliver(simulator.signWechatPayNotification("EV-2", large,
                Instant.now()))), 413, "OVERSIZED");
        assertThat(counters.count(ChannelId.WECHAT_PAY, CallbackRejection.OVERSIZED))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void bodyLimitIsCheckedAtTheLimitAndOneBeyond() {
        String prefix = "{\"id\":\"EV-3\",\"pad\":\"";
        int padding = SETTINGS.callbackBodyBytesMax() - prefix.length() - 2;
        String atLimit = prefix + "x".repeat(padding) + "\"}";
        assertThat(atLimit).hasSize(SETTINGS.callbackBodyBytesMax());
        // At the limit the body is read and judged on its content (no resource: malformed).
        assertFail(await(simulator.deliver(simulator.signWechatPayNotification("EV-3", atLimit,
                Instant.now()))), 400, "MALFORMED");
        String beyond = prefix + "x".repeat(padding + 1) + "\"}";
        assertFail(await(simulator.deliver(simulator.signWechatPayNotification("EV-3", beyond,
                Instant.now()))), 413, "OVERSIZED");
    }

    @Test
    void alipayNotificationIsAnsweredExactlySuccessOnce() {
        String outTradeNo = paidTrade(Wallet.ALIPAY);
        NotificationDelivery first = await(simulator.deliver(
                simulator.notificationFor("alipay", outTradeNo)));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("success");
        NotificationDelivery again = await(simulator.deliver(
                simulator.notificationFor("alipay", outTradeNo)));
        assertThat(again.body()).isEqualTo("success");
        assertThat(rows(outTradeNo)).isEqualTo(1);
    }

    @Test
    void alipayForgedStaleAndMalformedFormsAreRejected() {
        String outTradeNo = paidTrade(Wallet.ALIPAY);
        SignedNotification genuine = simulator.notificationFor("alipay", outTradeNo);
        NotificationDelivery forged = await(simulator.deliver(genuine.withBody(
                genuine.body().replace("total_amount=23.91", "total_amount=0.01"))));
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.body()).isEqualTo("failure");
        NotificationDelivery stale = await(simulator.deliver(simulator.notificationFor(
                "alipay", outTradeNo, Instant.now().minusSeconds(600))));
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.body()).isEqualTo("failure");
        NotificationDelivery malformed = await(simulator.deliver(genuine.withBody("%zz=&&=")));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body()).isEqualTo("failure");
        assertThat(rows(outTradeNo)).isZero();
        assertThat(counters.count(ChannelId.ALIPAY, CallbackRejection.BAD_SIGNATURE)).isOne();
        assertThat(counters.count(ChannelId.ALIPAY, CallbackRejection.STALE_TIMESTAMP)).isOne();
        assertThat(counters.count(ChannelId.ALIPAY, CallbackRejection.MALFORMED)).isOne();
    }

    @Test
    void unionPayNotificationIsAcceptedAndForgeryRejected() {
        String outTradeNo = paidTrade(Wallet.UNIONPAY);
        SignedNotification genuine = simulator.notificationFor("unionpay", outTradeNo);
        NotificationDelivery accepted = await(simulator.deliver(genuine));
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(new JsonObject(accepted.body()).getString("code")).isEqualTo("SUCCESS");
        assertFail(await(simulator.deliver(genuine.withBody(genuine.body().replace(
                "2391", "1")))), 401, "BAD_SIGNATURE");
        assertThat(rows(outTradeNo)).isEqualTo(1);
    }

    private static void assertFail(NotificationDelivery reply, int status, String reason) {
        assertThat(reply.status()).isEqualTo(status);
        JsonObject body = new JsonObject(reply.body());
        assertThat(body.getString("code")).isEqualTo("FAIL");
        assertThat(body.getString("message")).startsWith(reason);
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.await(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no result within 20 s", e);
        }
    }
}
