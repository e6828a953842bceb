package io.kassa.engine.server.postgres;

import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.checkout.SaleVoids;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** {@link SaleVoids} on PostgreSQL: one {@code sale_void} row per voided sale. */
public final class PgSaleVoids implements SaleVoids {

    private static final String INSERT = """
            insert into sale_void (store_id, terminal_id, sale_id, reason, voided_at)
            values ($1, $2, $3, $4, $5)
            on conflict (store_id, terminal_id, sale_id) do nothing
            returning voided_at""";

    private static final String SELECT = """
            select voided_at from sale_void
             where store_id = $1 and terminal_id = $2 and sale_id = $3""";

    private final Pool pool;
    private final Clock clock;

    public PgSaleVoids(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    @Override
    public Future<Voided> record(SaleKey key, String reason) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return pool.preparedQuery(INSERT).execute(Tuple.of(key.storeId(), key.terminalId(),
                        key.saleId(), reason, now))
                .compose(rows -> rows.rowCount() == 1
                        ? Future.succeededFuture(new Voided(
                                rows.iterator().next().getOffsetDateTime(0).toInstant(), false))
                        : voidedAt(key).map(first -> new Voided(first.orElseThrow(), true)));
    }

    @Override
    public Future<Optional<Instant>> voidedAt(SaleKey key) {
        return pool.preparedQuery(SELECT)
                .execute(Tuple.of(key.storeId(), key.terminalId(), key.saleId()))
                .map(rows -> rows.rowCount() == 0 ? Optional.<Instant>empty()
                        : Optional.of(rows.iterator().next().getOffsetDateTime(0).toInstant()));
    }
}
