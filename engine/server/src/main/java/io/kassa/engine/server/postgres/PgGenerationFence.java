package io.kassa.engine.server.postgres;

import io.kassa.engine.server.checkout.GenerationFence;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * {@link GenerationFence} on the single row of {@code redis_generation}. The advance is a
 * compare-and-set UPDATE: it takes the row lock, so it waits for every sale transaction that
 * read the old generation FOR SHARE, and every later one sees the new generation.
 */
public final class PgGenerationFence implements GenerationFence {

    private static final String CURRENT = "select generation from redis_generation";

    private static final String ADVANCE = """
            update redis_generation set generation = $2, started_at = now()
             where generation = $1""";

    private final Pool pool;

    public PgGenerationFence(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<String> current() {
        return pool.query(CURRENT).execute()
                .map(rows -> rows.iterator().next().getString("generation"));
    }

    @Override
    public Future<String> advance(String from) {
        String next = UUID.randomUUID().toString();
        return pool.preparedQuery(ADVANCE).execute(Tuple.of(from, next))
                .compose(updated -> updated.rowCount() == 1 ? Future.succeededFuture(next)
                        : current());
    }
}
