package io.kassa.peripherals.scanner;

import java.util.Objects;
import java.util.Random;

/**
 * A model of the till's scanner reading customers' payment codes: it produces valid codes of
 * each wallet from a seeded generator, so that a simulation or a test run is repeatable, and
 * can produce the kinds of bad reads a real scanner delivers (a truncated code, a smudged
 * character, the line end the scanner appends).
 */
public final class PaymentCodeScanner {

    private final Random random;

    public PaymentCodeScanner(long seed) {
        this.random = new Random(seed);
    }

    /** A fresh, valid code of {@code wallet}; codes are used once, so every call differs. */
    public String next(Wallet wallet) {
        Objects.requireNonNull(wallet, "wallet");
        return switch (wallet) {
            case WECHAT_PAY -> "1" + random.nextInt(6) + digits(16);
            case ALIPAY -> {
                int prefix = 25 + random.nextInt(6);
                yield prefix + digits(14 + random.nextInt(9));
            }
            case UNIONPAY -> "62" + digits(17);
        };
    }

    /** A code of a random wallet. */
    public String nextAny() {
        Wallet[] wallets = Wallet.values();
        return next(wallets[random.nextInt(wallets.length)]);
    }

    /** A valid code with its last digit cut off, as when the customer's phone was moved. */
    public String truncated(Wallet wallet) {
        String code = next(wallet);
        return code.substring(0, code.length() - 1);
    }

    /** A valid code with one digit misread as a letter. */
    public String smudged(Wallet wallet) {
        char[] code = next(wallet).toCharArray();
        code[2 + random.nextInt(code.length - 2)] = 'X';
        return new String(code);
    }

    /** A valid code followed by the carriage return the scanner sends as "Enter". */
    public String withLineEnd(Wallet wallet) {
        return next(wallet) + "\r";
    }

    private String digits(int count) {
        StringBuilder digits = new StringBuilder(count);
        for (int index = 0; index < count; index++) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits.toString();
    }
}
