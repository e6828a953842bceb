package io.kassa.engine.server.postgres;

import io.kassa.engine.server.checkout.Outbox;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Outbox} on PostgreSQL. Marks are collected on one context and written with one
 * UPDATE per {@link #MARK_INTERVAL_MILLIS}: marking costs no round trip per sale, and a mark
 * lost in a crash only means the relay re-applies an idempotent commit.
 */
public final class PgOutbox implements Outbox {

    private static final Logger log = LoggerFactory.getLogger(PgOutbox.class);

    /** How often collected marks are written. */
    public static final long MARK_INTERVAL_MILLIS = 100;

    private static final String PENDING = """
            select outbox_id, kind, member_id, hold_id, payload from outbox
             where applied_at is null
               and created_at < now() - ($1::int8 * interval '1 millisecond')
             order by outbox_id limit $2""";

    private static final String MARK = """
            update outbox set applied_at = now()
             where outbox_id = any($1::int8[]) and applied_at is null""";

    private final Pool pool;
    private final Context context;
    private final List<Long> toMark = new ArrayList<>();
    private final long timer;

    public PgOutbox(Vertx vertx, Pool pool) {
        this.pool = pool;
        this.context = vertx.getOrCreateContext();
        this.timer = vertx.setPeriodic(MARK_INTERVAL_MILLIS, id -> context.runOnContext(
                ignored -> flushMarks()));
    }

    @Override
    public void markApplied(long outboxId) {
        context.runOnContext(ignored -> toMark.add(outboxId));
    }

    private void flushMarks() {
        if (toMark.isEmpty()) {
            return;
        }
        List<Long> batch = new ArrayList<>(toMark);
        toMark.clear();
        markAppliedNow(batch).onFailure(error -> log.warn(
                "could not mark {} outbox rows applied; the relay will re-apply them",
                batch.size(), error));
    }

    @Override
    public Future<List<Pending>> pending(Duration olderThan, int limit) {
        return pool.preparedQuery(PENDING)
                .execute(Tuple.of(olderThan.toMillis(), limit)).map(rows -> {
                    List<Pending> list = new ArrayList<>();
                    for (Row row : rows) {
                        list.add(new Pending(row.getLong("outbox_id"), row.getString("kind"),
                                row.getString("member_id"), row.getString("hold_id"),
                                row.getJsonObject("payload")));
                    }
                    return list;
                });
    }

    @Override
    public Future<Void> markAppliedNow(List<Long> outboxIds) {
        if (outboxIds.isEmpty()) {
            return Future.succeededFuture();
        }
        return pool.preparedQuery(MARK)
                .execute(Tuple.of(outboxIds.toArray(Long[]::new))).mapEmpty();
    }

    /** Stops the periodic marking (the engine is closing). */
    public void close(Vertx vertx) {
        vertx.cancelTimer(timer);
    }
}
