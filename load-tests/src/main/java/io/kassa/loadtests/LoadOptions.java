package io.kassa.loadtests;

/**
 * What one load run does.
 *
 * @param ratePerSecond target arrivals (sales) per second, independent of how fast the engine
 *     answers: the open model
 * @param warmupSeconds arrivals in this first stretch are sent but not recorded
 * @param poisson exponential inter-arrival gaps (true) or a constant rate (false)
 * @param members demo members to draw from (member-0001 ..); 0: anonymous sales only
 * @param demoSecretSeed the engine's KASSA_DEMO_TERMINAL_SECRET_SEED, or empty
 * @param userPayingPercent share of sales paying by scanned code (USERPAYING when the gateway
 *     simulator asks for a password), 0..100; 0 for an engine without payment channels
 * @param refundPercent share of sales refunded whole right after their checkout, 0..100
 */
public record LoadOptions(
        String host, int port, int terminals, int stores, double ratePerSecond,
        int durationSeconds, int warmupSeconds, long seed, boolean poisson, int members,
        String demoSecretSeed, int userPayingPercent, int refundPercent) {

    public static final int TERMINALS_MAX = 100_000;

    public LoadOptions {
        if (terminals < 1 || terminals > TERMINALS_MAX) {
            throw new IllegalArgumentException("terminals must be 1.." + TERMINALS_MAX);
        }
        if (stores < 1 || stores > terminals) {
            throw new IllegalArgumentException("stores must be 1..terminals");
        }
        if (!(ratePerSecond > 0) || ratePerSecond > 1_000_000) {
            throw new IllegalArgumentException("rate must be > 0 and <= 1000000");
        }
        if (members < 0 || members > 9_999) {
            throw new IllegalArgumentException("members must be 0..9999");
        }
        if (demoSecretSeed == null) {
            throw new IllegalArgumentException("demoSecretSeed must not be null");
        }
        if (userPayingPercent < 0 || userPayingPercent > 100) {
            throw new IllegalArgumentException("userpaying must be 0..100 (percent)");
        }
        if (refundPercent < 0 || refundPercent > 100) {
            throw new IllegalArgumentException("refunds must be 0..100 (percent)");
        }
        if (durationSeconds < 1 || warmupSeconds < 0) {
            throw new IllegalArgumentException("duration must be >= 1 and warmup >= 0");
        }
    }
}
