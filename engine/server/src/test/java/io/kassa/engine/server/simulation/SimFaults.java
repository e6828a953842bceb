package io.kassa.engine.server.simulation;

import java.util.SplittableRandom;

/**
 * How hostile one seed's world is. Every probability is drawn from the seed, so that some
 * seeds are calm and others stormy (as in TigerBeetle's VOPR, a fixed mix would leave the
 * rare combinations untried). Faults stop at {@link #healAtMillis}: after it the channels
 * answer, the database does not fail and the engine does not crash, so that everything left
 * open must then be resolved (liveness), not merely kept safe.
 */
final class SimFaults {

    private final SimScheduler scheduler;
    final long healAtMillis;

    final double decline;
    final double userPaying;
    final double systemError;
    final long userPayingMaxMillis;
    final double payNotSent;
    final double requestLost;
    final double answerLost;
    final double reverseRefused;
    final long callTimeoutMillis;
    final long callLatencyMaxMillis;

    final double notify;
    final double duplicateNotification;
    final double staleNotification;
    final double wrongAmountNotification;
    final long notificationDelayMaxMillis;

    final double storeFailsBefore;
    final double storeFailsAfter;
    final long storeLatencyMaxMillis;
    final double storeStall;

    final int crashes;
    final long crashDowntimeMaxMillis;

    SimFaults(SplittableRandom random, SimScheduler scheduler, long healAtMillis) {
        this.scheduler = scheduler;
        this.healAtMillis = healAtMillis;
        decline = upTo(random, 0.2);
        userPaying = upTo(random, 0.5);
        systemError = upTo(random, 0.2);
        userPayingMaxMillis = 1_000 + random.nextLong(180_000);
        payNotSent = upTo(random, 0.05);
        requestLost = upTo(random, 0.25);
        answerLost = upTo(random, 0.25);
        reverseRefused = upTo(random, 0.3);
        callTimeoutMillis = 500 + random.nextLong(5_000);
        callLatencyMaxMillis = 1 + random.nextLong(Math.min(400, callTimeoutMillis / 2));
        notify = random.nextDouble();
        duplicateNotification = upTo(random, 0.5);
        staleNotification = upTo(random, 0.3);
        wrongAmountNotification = upTo(random, 0.1);
        notificationDelayMaxMillis = 1 + random.nextLong(300_000);
        storeFailsBefore = upTo(random, 0.05);
        storeFailsAfter = upTo(random, 0.05);
        storeLatencyMaxMillis = 1 + random.nextLong(50);
        storeStall = upTo(random, 0.01);
        crashes = random.nextInt(4);
        crashDowntimeMaxMillis = 100 + random.nextLong(30_000);
    }

    /** Half of the seeds leave a given fault out entirely; the others draw its rate. */
    private static double upTo(SplittableRandom random, double most) {
        return random.nextBoolean() ? 0 : random.nextDouble() * most;
    }

    boolean active() {
        return scheduler.nowMillis() < healAtMillis;
    }
}
