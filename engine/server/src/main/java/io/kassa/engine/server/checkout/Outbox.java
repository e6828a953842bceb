package io.kassa.engine.server.checkout;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * The port to the outbox: effects committed in PostgreSQL that the hot copy must apply. The
 * engine applies them right after each commit and marks them; the relay re-applies whatever
 * stayed unmarked (the engine crashed in between, Redis was down), idempotently.
 */
public interface Outbox {

    /** Marks rows applied; cheap to call per sale (implementations batch). */
    void markApplied(long outboxId);

    /** Rows older than {@code olderThan} not yet marked applied, oldest first. */
    Future<List<Pending>> pending(Duration olderThan, int limit);

    /** Marks these rows applied now. */
    Future<Void> markAppliedNow(List<Long> outboxIds);

    record Pending(long outboxId, String kind, String memberId, String holdId,
            JsonObject payload) {
    }
}
