package io.kassa.peripherals.scanner;

import java.util.regex.Pattern;

/**
 * The wallets whose payment codes (付款码) a till's scanner reads, with the shape of their codes
 * as PAYMENTS.md gives them. The peripherals module may not depend on the engine, so these
 * patterns are stated here independently; the engine's tests check that both agree.
 */
public enum Wallet {
    /** 18 digits starting 10 to 15. */
    WECHAT_PAY("wechatpay", Pattern.compile("1[0-5]\\d{16}")),
    /** 16 to 24 digits starting 25 to 30. */
    ALIPAY("alipay", Pattern.compile("(?:2[5-9]|30)\\d{14,22}")),
    /** 19 digits starting 62 (UnionPay QR style; unverified against an official spec). */
    UNIONPAY("unionpay", Pattern.compile("62\\d{17}"));

    private final String channelName;
    private final Pattern codePattern;

    Wallet(String channelName, Pattern codePattern) {
        this.channelName = channelName;
        this.codePattern = codePattern;
    }

    /** The channel's name as the engine's callbacks and routing table spell it. */
    public String channelName() {
        return channelName;
    }

    /** Whether {@code code} has this wallet's shape. */
    public boolean accepts(String code) {
        return code != null && code.length() <= 32 && codePattern.matcher(code).matches();
    }
}
