package io.kassa.engine.server.gateways;

import io.kassa.engine.server.gateways.internal.Signatures;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The merchant's keys and ids per channel, loaded from one directory (KASSA_PAYMENT_KEYS_DIR).
 * The gateway simulator writes such a directory at start (see docs/adr/0005); in production
 * ops fill it from the channels' consoles. Layout:
 *
 * <pre>
 * merchant.properties               ids, serials, base URLs (wechatpay.*, alipay.*, unionpay.*)
 * wechatpay-merchant-private.pem    signs requests to WeChat Pay
 * wechatpay-platform-SERIAL.pem     verifies WeChat Pay's answers and notifications (one per
 *                                   serial: several during a platform key rotation)
 * wechatpay-apiv3.key               the 32-byte APIv3 key decrypting notification resources
 * alipay-app-private.pem            signs requests to Alipay
 * alipay-public.pem                 verifies Alipay's answers and notifications
 * unionpay-merchant-private.pem     signs requests to UnionPay QR
 * unionpay-gateway-SERIAL.pem       verifies its answers and notifications
 * </pre>
 *
 * A channel whose files are absent is simply not configured.
 */
public record ChannelCredentials(Optional<WechatPay> wechatPay, Optional<Alipay> alipay,
        Optional<UnionPay> unionPay) {

    /** WeChat Pay's APIv3 key is exactly 32 bytes (AES-256). */
    public static final int API_V3_KEY_BYTES = 32;

    public record WechatPay(String baseUrl, String merchantId, String appId,
            String merchantSerial, PrivateKey merchantKey, Map<String, PublicKey> platformKeys,
            byte[] apiV3Key) {
        public WechatPay {
            platformKeys = Map.copyOf(platformKeys);
            if (apiV3Key.length != API_V3_KEY_BYTES) {
                throw new IllegalArgumentException(
                        "the APIv3 key is " + API_V3_KEY_BYTES + " bytes: " + apiV3Key.length);
            }
            apiV3Key = apiV3Key.clone();
        }
    }

    public record Alipay(String baseUrl, String appId, String sellerId, PrivateKey appKey,
            PublicKey alipayKey) {
    }

    public record UnionPay(String baseUrl, String merchantId, String merchantSerial,
            PrivateKey merchantKey, Map<String, PublicKey> gatewayKeys) {
        public UnionPay {
            gatewayKeys = Map.copyOf(gatewayKeys);
        }
    }

    public static ChannelCredentials none() {
        return new ChannelCredentials(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Reads the directory (blocking: at start-up, off the event loop). */
    public static ChannelCredentials load(Path directory) {
        Properties properties = new Properties();
        Path file = directory.resolve("merchant.properties");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no merchant.properties in " + directory);
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Optional<WechatPay> wechat = Optional.empty();
        if (Files.isRegularFile(directory.resolve("wechatpay-merchant-private.pem"))) {
            byte[] apiV3Key = read(directory.resolve("wechatpay-apiv3.key")).strip()
                    .getBytes(StandardCharsets.UTF_8);
            wechat = Optional.of(new WechatPay(required(properties, "wechatpay.base-url"),
                    required(properties, "wechatpay.mchid"),
                    required(properties, "wechatpay.appid"),
                    required(properties, "wechatpay.merchant-serial"),
                    Signatures.privateKey(read(directory.resolve(
                            "wechatpay-merchant-private.pem"))),
                    keysBySerial(directory, "wechatpay-platform-"), apiV3Key));
        }
        Optional<Alipay> alipay = Optional.empty();
        if (Files.isRegularFile(directory.resolve("alipay-app-private.pem"))) {
            alipay = Optional.of(new Alipay(required(properties, "alipay.base-url"),
                    required(properties, "alipay.app-id"),
                    required(properties, "alipay.seller-id"),
                    Signatures.privateKey(read(directory.resolve("alipay-app-private.pem"))),
                    Signatures.publicKey(read(directory.resolve("alipay-public.pem")))));
        }
        Optional<UnionPay> unionPay = Optional.empty();
        if (Files.isRegularFile(directory.resolve("unionpay-merchant-private.pem"))) {
            unionPay = Optional.of(new UnionPay(required(properties, "unionpay.base-url"),
                    required(properties, "unionpay.merchant-id"),
                    required(properties, "unionpay.merchant-serial"),
                    Signatures.privateKey(read(directory.resolve(
                            "unionpay-merchant-private.pem"))),
                    keysBySerial(directory, "unionpay-gateway-")));
        }
        return new ChannelCredentials(wechat, alipay, unionPay);
    }

    private static Map<String, PublicKey> keysBySerial(Path directory, String prefix) {
        Map<String, PublicKey> keys = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefix + "*.pem")) {
            for (Path key : files) {
                String name = key.getFileName().toString();
                keys.put(name.substring(prefix.length(), name.length() - ".pem".length()),
                        Signatures.publicKey(read(key)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    private static String required(Properties properties, String name) {
        String value = properties.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("merchant.properties lacks " + name);
        }
        return value.strip();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }
}
