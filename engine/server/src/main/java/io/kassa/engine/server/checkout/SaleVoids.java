package io.kassa.engine.server.checkout;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/**
 * The port to the record of voided sales: which sales a terminal cancelled before they were
 * paid, when and why. The sale itself is fenced in the {@link SalesLedger} first, so a void
 * here always names a sale that can never commit.
 */
public interface SaleVoids {

    /** Records the void unless the sale was voided already; answers the first void. */
    Future<Voided> record(SaleKey key, String reason);

    /** When the sale was voided, or empty when it was not. */
    Future<Optional<Instant>> voidedAt(SaleKey key);

    /** @param replayed true when the sale had been voided before this call */
    record Voided(Instant voidedAt, boolean replayed) {
    }
}
