package io.kassa.engine.server.postgres;

import io.vertx.pgclient.PgConnectOptions;
import java.util.Map;

/**
 * Where Kassa's tables live: one PostgreSQL URL and schema, translated for the two clients that
 * use them — the reactive client serving checkouts and the JDBC connection Flyway migrates
 * with.
 */
public record PostgresLocation(PgConnectOptions connectOptions, String schema) {

    /** @param url postgresql://user[:password]@host[:port]/database */
    public static PostgresLocation parse(String url, String schema) {
        PgConnectOptions options;
        try {
            options = PgConnectOptions.fromUri(url);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("KASSA_PG_URL is not a PostgreSQL URL: " + url, e);
        }
        options.setProperties(Map.of("search_path", schema, "application_name", "kassa"));
        options.setCachePreparedStatements(true);
        options.setPipeliningLimit(256);
        return new PostgresLocation(options, schema);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + connectOptions.getHost() + ":" + connectOptions.getPort()
                + "/" + connectOptions.getDatabase();
    }

    public String user() {
        return connectOptions.getUser();
    }

    public String password() {
        return connectOptions.getPassword() == null ? "" : connectOptions.getPassword();
    }
}
