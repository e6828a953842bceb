package io.kassa.engine.server.postgres;

import io.kassa.engine.server.admin.AdminStore;
import io.kassa.engine.server.rules.RulesVersions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** The configuration versions in {@code chain_rules_version}. */
public final class PgRulesVersions implements RulesVersions {

    private static final String UNIQUE_VIOLATION = "23505";

    private final Pool pool;
    private final Clock clock;

    public PgRulesVersions(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    @Override
    public Future<Optional<Stored>> latest() {
        return pool.query("""
                select version, document, stored_at, stored_by from chain_rules_version
                 order by version desc limit 1""").execute()
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(stored(rows.iterator().next())));
    }

    @Override
    public Future<Stored> seed(String document, String origin) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        return pool.preparedQuery("""
                        insert into chain_rules_version (version, document, stored_at, stored_by,
                                                         note)
                        select 1, $1, $2, 'start-up', $3
                         where not exists (select 1 from chain_rules_version)
                        on conflict (version) do nothing""")
                .execute(Tuple.of(document, now, "seeded from " + origin))
                .compose(done -> latest()).map(Optional::orElseThrow);
    }

    @Override
    public Future<Stored> store(long number, String document, Optional<String> note,
            AdminStore.Audit audit, long previousNumber) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        insert into chain_rules_version (version, document, stored_at, stored_by,
                                                         note)
                        values ($1, $2, $3, $4, $5)
                        returning version, document, stored_at, stored_by""")
                .execute(Tuple.of(number, document, now, audit.actor(), note.orElse(null)))
                .compose(rows -> connection.preparedQuery(PgAdminStore.INSERT_AUDIT)
                        .execute(Tuple.of(now, audit.actor(), audit.role().name(),
                                        audit.action(), "configuration", "rules",
                                        new JsonObject().put("version", previousNumber),
                                        new JsonObject().put("version", number)
                                                .put("note", note.orElse(null)))
                                .addString(audit.requestId()))
                        .map(stored(rows.iterator().next()))))
                .recover(error -> error instanceof PgException pg
                        && UNIQUE_VIOLATION.equals(pg.getSqlState())
                        ? Future.failedFuture(new VersionTaken(number))
                        : Future.failedFuture(error));
    }

    private static Stored stored(Row row) {
        return new Stored(row.getLong("version"), row.getString("document"),
                row.getOffsetDateTime("stored_at").toInstant(), row.getString("stored_by"));
    }
}
