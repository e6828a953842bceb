package io.kassa.peripherals.gateway;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Properties;

/**
 * Every key of the simulated channels, both sides: the merchant's (the engine's) request
 * signing keys and the channels' own response and notification keys, plus the WeChat Pay APIv3
 * key they share.
 *
 * <p>The key exchange needs no manual step. The simulator generates the keys at its first
 * start and writes them into two sub-directories of its keys directory:
 *
 * <pre>
 * keys/
 *   gateway/   what only the simulator reads: the channels' private keys, the merchant's
 *              public keys, ids (gateway.properties)
 *   engine/    what the engine reads (KASSA_PAYMENT_KEYS_DIR): merchant.properties with ids,
 *              serials and the simulator's base URL; the merchant's private keys; the
 *              channels' public keys named by serial; the APIv3 key
 * </pre>
 *
 * A later start with the same directory loads the keys, so an engine keeps working across
 * simulator restarts. In production ops fill the engine's directory from the channels'
 * consoles; the engine cannot tell the difference.
 */
public final class GatewayKeys {

    static final String WECHAT_MERCHANT_ID = "1900000109";
    static final String WECHAT_APP_ID = "wxd678efh567hg6787";
    static final String ALIPAY_APP_ID = "2021000117600001";
    static final String ALIPAY_SELLER_ID = "2088102177846880";
    static final String UNIONPAY_MERCHANT_ID = "898310060514001";

    final KeyPair wechatMerchant;
    final KeyPair wechatPlatform;
    final String apiV3Key;
    final KeyPair alipayApp;
    final KeyPair alipayPlatform;
    final KeyPair unionPayMerchant;
    final KeyPair unionPayGateway;

    private GatewayKeys(KeyPair wechatMerchant, KeyPair wechatPlatform, String apiV3Key,
            KeyPair alipayApp, KeyPair alipayPlatform, KeyPair unionPayMerchant,
            KeyPair unionPayGateway) {
        this.wechatMerchant = wechatMerchant;
        this.wechatPlatform = wechatPlatform;
        this.apiV3Key = apiV3Key;
        this.alipayApp = alipayApp;
        this.alipayPlatform = alipayPlatform;
        this.unionPayMerchant = unionPayMerchant;
        this.unionPayGateway = unionPayGateway;
    }

    public static GatewayKeys generate() {
        return new GatewayKeys(GatewayCrypto.newRsaKeyPair(), GatewayCrypto.newRsaKeyPair(),
                GatewayCrypto.newApiV3Key(), GatewayCrypto.newRsaKeyPair(),
                GatewayCrypto.newRsaKeyPair(), GatewayCrypto.newRsaKeyPair(),
                GatewayCrypto.newRsaKeyPair());
    }

    /** Loads the keys from {@code directory}, or generates them and writes them there. */
    public static GatewayKeys loadOrGenerate(Path directory) {
        Path gateway = directory.resolve("gateway");
        if (Files.isRegularFile(gateway.resolve("wechatpay-platform-private.pem"))) {
            return new GatewayKeys(
                    pair(gateway, "wechatpay-merchant"), pair(gateway, "wechatpay-platform"),
                    read(gateway.resolve("wechatpay-apiv3.key")).strip(),
                    pair(gateway, "alipay-app"), pair(gateway, "alipay-platform"),
                    pair(gateway, "unionpay-merchant"), pair(gateway, "unionpay-gateway"));
        }
        GatewayKeys keys = generate();
        keys.writeGatewaySide(gateway);
        return keys;
    }

    public String wechatPlatformSerial() {
        return GatewayCrypto.serialOf(wechatPlatform.getPublic());
    }

    public String wechatMerchantSerial() {
        return GatewayCrypto.serialOf(wechatMerchant.getPublic());
    }

    public String unionPayGatewaySerial() {
        return GatewayCrypto.serialOf(unionPayGateway.getPublic());
    }

    public String unionPayMerchantSerial() {
        return GatewayCrypto.serialOf(unionPayMerchant.getPublic());
    }

    /**
     * Writes what the engine needs into {@code directory} (the engine side), naming {@code
     * baseUrl} as the address of all three simulated channels.
     */
    public void writeEngineSide(Path directory, String baseUrl) {
        try {
            Files.createDirectories(directory);
            write(directory.resolve("wechatpay-merchant-private.pem"),
                    GatewayCrypto.privatePem(wechatMerchant.getPrivate()));
            write(directory.resolve("wechatpay-platform-" + wechatPlatformSerial() + ".pem"),
                    GatewayCrypto.publicPem(wechatPlatform.getPublic()));
            write(directory.resolve("wechatpay-apiv3.key"), apiV3Key + "\n");
            write(directory.resolve("alipay-app-private.pem"),
                    GatewayCrypto.privatePem(alipayApp.getPrivate()));
            write(directory.resolve("alipay-public.pem"),
                    GatewayCrypto.publicPem(alipayPlatform.getPublic()));
            write(directory.resolve("unionpay-merchant-private.pem"),
                    GatewayCrypto.privatePem(unionPayMerchant.getPrivate()));
            write(directory.resolve("unionpay-gateway-" + unionPayGatewaySerial() + ".pem"),
                    GatewayCrypto.publicPem(unionPayGateway.getPublic()));
            Properties merchant = new Properties();
            merchant.setProperty("wechatpay.base-url", baseUrl);
            merchant.setProperty("wechatpay.mchid", WECHAT_MERCHANT_ID);
            merchant.setProperty("wechatpay.appid", WECHAT_APP_ID);
            merchant.setProperty("wechatpay.merchant-serial", wechatMerchantSerial());
            merchant.setProperty("alipay.base-url", baseUrl);
            merchant.setProperty("alipay.app-id", ALIPAY_APP_ID);
            merchant.setProperty("alipay.seller-id", ALIPAY_SELLER_ID);
            merchant.setProperty("unionpay.base-url", baseUrl);
            merchant.setProperty("unionpay.merchant-id", UNIONPAY_MERCHANT_ID);
            merchant.setProperty("unionpay.merchant-serial", unionPayMerchantSerial());
            try (Writer writer = Files.newBufferedWriter(
                    directory.resolve("merchant.properties"), StandardCharsets.UTF_8)) {
                merchant.store(writer, "Written by the Kassa gateway simulator for the engine");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write engine keys to " + directory, e);
        }
    }

    private void writeGatewaySide(Path gateway) {
        try {
            Files.createDirectories(gateway);
            write(gateway.resolve("wechatpay-platform-private.pem"),
                    GatewayCrypto.privatePem(wechatPlatform.getPrivate()));
            write(gateway.resolve("wechatpay-platform-public.pem"),
                    GatewayCrypto.publicPem(wechatPlatform.getPublic()));
            write(gateway.resolve("wechatpay-merchant-public.pem"),
                    GatewayCrypto.publicPem(wechatMerchant.getPublic()));
            write(gateway.resolve("wechatpay-apiv3.key"), apiV3Key + "\n");
            write(gateway.resolve("alipay-platform-private.pem"),
                    GatewayCrypto.privatePem(alipayPlatform.getPrivate()));
            write(gateway.resolve("alipay-platform-public.pem"),
                    GatewayCrypto.publicPem(alipayPlatform.getPublic()));
            write(gateway.resolve("alipay-app-public.pem"),
                    GatewayCrypto.publicPem(alipayApp.getPublic()));
            write(gateway.resolve("unionpay-gateway-private.pem"),
                    GatewayCrypto.privatePem(unionPayGateway.getPrivate()));
            write(gateway.resolve("unionpay-gateway-public.pem"),
                    GatewayCrypto.publicPem(unionPayGateway.getPublic()));
            write(gateway.resolve("unionpay-merchant-public.pem"),
                    GatewayCrypto.publicPem(unionPayMerchant.getPublic()));
            // The merchant's private keys live on the engine side; written here once so that a
            // restarted simulator can rewrite the engine side without inventing new ones.
            write(gateway.resolve("wechatpay-merchant-private.pem"),
                    GatewayCrypto.privatePem(wechatMerchant.getPrivate()));
            write(gateway.resolve("alipay-app-private.pem"),
                    GatewayCrypto.privatePem(alipayApp.getPrivate()));
            write(gateway.resolve("unionpay-merchant-private.pem"),
                    GatewayCrypto.privatePem(unionPayMerchant.getPrivate()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write gateway keys to " + gateway, e);
        }
    }

    /** A key pair from the gateway directory: {@code name-public.pem}, {@code name-private.pem}. */
    private static KeyPair pair(Path gateway, String name) {
        return new KeyPair(GatewayCrypto.readPublicPem(read(gateway.resolve(name + "-public.pem"))),
                GatewayCrypto.readPrivatePem(read(gateway.resolve(name + "-private.pem"))));
    }

    private static String read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            StringBuilder text = new StringBuilder();
            char[] buffer = new char[4096];
            for (int count; (count = reader.read(buffer)) > 0; ) {
                text.append(buffer, 0, count);
            }
            return text.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
