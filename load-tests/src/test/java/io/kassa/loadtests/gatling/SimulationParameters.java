package io.kassa.loadtests.gatling;

/**
 * The knobs of the simulations, as system properties ({@code -Dkassa.duration=60} on the Maven
 * command line reaches the simulation's JVM): one duration for all, a rate each.
 */
final class SimulationParameters {

    private SimulationParameters() {
    }

    /** Seconds of constant arrivals after the ramp ({@code kassa.duration}, default 30). */
    static int durationSeconds() {
        return integer("kassa.duration", 30, 1, 3_600);
    }

    /** Seconds over which arrivals ramp up to the rate ({@code kassa.ramp}, default 5). */
    static int rampSeconds() {
        return integer("kassa.ramp", 5, 0, 600);
    }

    static double rate(String property, double fallback) {
        String value = System.getProperty(property);
        double rate = value == null || value.isBlank() ? fallback : Double.parseDouble(value);
        if (!(rate > 0) || rate > 10_000) {
            throw new IllegalArgumentException(property + " must be > 0 and <= 10000: " + rate);
        }
        return rate;
    }

    static int integer(String property, int fallback, int min, int max) {
        String value = System.getProperty(property);
        int number = value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
        if (number < min || number > max) {
            throw new IllegalArgumentException(property + " must be " + min + ".." + max + ": "
                    + number);
        }
        return number;
    }
}
