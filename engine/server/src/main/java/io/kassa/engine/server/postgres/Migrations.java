package io.kassa.engine.server.postgres;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the schema to the version this build expects, with Flyway, from the SQL files under
 * {@code db/migration}. Runs once at start-up, over JDBC, before any terminal is served; it
 * blocks, so it is called off the event loop.
 */
public final class Migrations {

    private Migrations() {
    }

    /** @return the number of migrations applied by this call */
    public static int migrate(PostgresLocation location) {
        MigrateResult result = Flyway.configure()
                .dataSource(location.jdbcUrl(), location.user(), location.password())
                .schemas(location.schema())
                .createSchemas(true)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .load()
                .migrate();
        return result.migrationsExecuted;
    }
}
