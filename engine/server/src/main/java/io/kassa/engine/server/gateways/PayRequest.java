package io.kassa.engine.server.gateways;

import java.util.Objects;

/**
 * One payment attempt. {@code outTradeNo} is new for every attempt (a payment code is used
 * once and a merchant order number is reused only after a definite failure).
 */
public record PayRequest(String outTradeNo, String authCode, long amountFen, String storeId,
        String description) {

    /** Longest merchant order number the three channels accept. */
    public static final int OUT_TRADE_NO_CHARS_MAX = 32;
    /** Largest single payment: 1,000,000 yuan. */
    public static final long AMOUNT_FEN_MAX = 100_000_000L;

    public PayRequest {
        checkOrderNumber(outTradeNo);
        Objects.requireNonNull(authCode, "authCode");
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(description, "description");
        if (amountFen <= 0 || amountFen > AMOUNT_FEN_MAX) {
            throw new IllegalArgumentException(
                    "amount must be 1.." + AMOUNT_FEN_MAX + " fen: " + amountFen);
        }
    }

    /** Letters, digits, {@code _-|*}, 6..32 characters: what all three channels accept. */
    public static void checkOrderNumber(String outTradeNo) {
        Objects.requireNonNull(outTradeNo, "outTradeNo");
        if (!outTradeNo.matches("[A-Za-z0-9_\\-|*]{6," + OUT_TRADE_NO_CHARS_MAX + "}")) {
            throw new IllegalArgumentException("a merchant order number is 6.."
                    + OUT_TRADE_NO_CHARS_MAX + " letters, digits or _-|*: " + outTradeNo);
        }
    }
}
