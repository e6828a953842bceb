package io.kassa.engine.server.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A PostgreSQL server started in-process from the binaries on the classpath, for the demo and
 * for machines without a PostgreSQL of their own. Its data lives in a temporary directory and
 * is gone when it stops, and the binaries' wrapper runs it without fsync: it is a demo and
 * test convenience, never a place for real sales. Commits still wait for the WAL write
 * ({@code synchronous_commit=on}, which the wrapper would otherwise turn off), so the engine
 * does the same work per commit as against a real server.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedPostgresServer start() {
        try {
            return new EmbeddedPostgresServer(EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("synchronous_commit", "on")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL failed to start", e);
        }
    }

    /** URL of its {@code postgres} database as superuser {@code postgres}. */
    public String url() {
        return "postgresql://postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL failed to stop", e);
        }
    }
}
