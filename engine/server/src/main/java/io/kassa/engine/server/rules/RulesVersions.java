package io.kassa.engine.server.rules;

import io.kassa.engine.server.admin.AdminStore;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/** Where the versions of the chain's configuration are kept: PostgreSQL, the truth. */
public interface RulesVersions {

    /** A stored version: its number, its JSON document, when and by whom it was stored. */
    record Stored(long number, String document, Instant storedAt, String storedBy) {
    }

    /** The newest stored version, if any was ever stored. */
    Future<Optional<Stored>> latest();

    /**
     * Stores {@code document} as version 1 unless a version exists; answers the newest
     * version either way. How an empty store gets the rules of KASSA_RULES_FILE (or the demo
     * chain) at the first start.
     */
    Future<Stored> seed(String document, String origin);

    /**
     * Stores {@code document} as version {@code number}, with the audit entry of the change
     * in the same transaction. Fails with {@link VersionTaken} when that number exists: the
     * caller edited an outdated version.
     */
    Future<Stored> store(long number, String document, Optional<String> note,
            AdminStore.Audit audit, long previousNumber);

    /** Another change was stored first under the number this one wanted. */
    final class VersionTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public VersionTaken(long number) {
            super("configuration version " + number + " was stored meanwhile");
        }
    }
}
