package io.kassa.engine.core.channel;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of a payment channel (WeChat Pay, Alipay, UnionPay QR, or one the chain configures:
 * WeBank, e-CNY, its own stored-value code). A value rather than an enum because the routing
 * table is configuration: a chain can add a channel without a release.
 */
public record ChannelId(String name) {

    /** Lower-case letters, digits and dashes; the name is also a URL segment of callbacks. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public static final ChannelId WECHAT_PAY = new ChannelId("wechatpay");
    public static final ChannelId ALIPAY = new ChannelId("alipay");
    public static final ChannelId UNIONPAY = new ChannelId("unionpay");

    public ChannelId {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a channel name is 1..32 lower-case letters,"
                    + " digits or dashes, starting with a letter: '" + name + "'");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
