package io.kassa.engine.server.checkout;

import io.kassa.engine.core.rules.ChainRules;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * The daily points duties, in the chain's time zone: expire lots that are due (ledger entries
 * and lots in one transaction, then the hot copy through the outbox), extend lots for members
 * in their birthday month, and record reminders for points expiring soon.
 */
public final class PointsExpiryJob {

    /** Lots expired per transaction. */
    public static final int BATCH_MAX = 1_000;

    /** Points expiring within this many days are reminded of. */
    public static final int REMIND_DAYS = 30;

    private final PointsExpiryStore store;
    private final OutboxRelay relay;
    private final Supplier<ChainRules> rules;
    private final Clock clock;

    public PointsExpiryJob(PointsExpiryStore store, OutboxRelay relay,
            Supplier<ChainRules> rules, Clock clock) {
        this.store = store;
        this.relay = relay;
        this.rules = rules;
        this.clock = clock;
    }

    /** The chain's date now: that of its first store's zone. */
    public LocalDate today() {
        ZoneId zone = rules.get().stores().isEmpty() ? ZoneOffset.UTC
                : rules.get().stores().get(0).zone();
        return LocalDate.ofInstant(clock.instant(), zone);
    }

    /** Runs every duty for {@code today}; completes with the lots expired. */
    public Future<Integer> runOnce(LocalDate today) {
        return expireAll(today, 0)
                .compose(expired -> store.extendBirthdays(today, today.getMonth(),
                                rules.get().expiry().birthdayExtensionMonths(), BATCH_MAX)
                        .compose(extended -> store.remindExpiring(today, REMIND_DAYS))
                        .compose(reminded -> relay.relayOnce(Duration.ZERO))
                        .map(relayed -> expired));
    }

    private Future<Integer> expireAll(LocalDate today, int soFar) {
        return store.expireDue(today, BATCH_MAX).compose(expired -> expired == BATCH_MAX
                ? expireAll(today, soFar + expired)
                : Future.succeededFuture(soFar + expired));
    }
}
