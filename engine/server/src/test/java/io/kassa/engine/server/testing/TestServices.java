package io.kassa.engine.server.testing;

import io.kassa.engine.server.postgres.EmbeddedPostgresServer;
import io.kassa.engine.server.redis.EmbeddedRedisServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The real PostgreSQL and Redis the tests talk to: the machine's own on their standard loopback
 * ports when they answer (PostgreSQL database {@code test}, trust auth), otherwise embedded ones
 * started once per test JVM. Each test class works in a schema of its own, so classes never see
 * each other's rows and a run leaves nothing behind.
 */
public final class TestServices {

    private static final String LOCAL_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test";
    /**
     * The machine's Redis, in a logical database chosen per test JVM (1..15): two test runs
     * on one machine must not share the hot copy's global keys (its generation, the hold
     * index), or each would see the other's as a lost Redis.
     */
    private static final String LOCAL_REDIS_URL = "redis://127.0.0.1:6379/"
            + (1 + ProcessHandle.current().pid() % 15);

    private static String postgresUrl;
    private static String redisUrl;

    private TestServices() {
    }

    public static synchronized String postgresUrl() {
        if (postgresUrl == null) {
            if (answers(5432)) {
                postgresUrl = LOCAL_POSTGRES_URL;
            } else {
                EmbeddedPostgresServer embedded = EmbeddedPostgresServer.start();
                Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
                postgresUrl = embedded.url();
            }
        }
        return postgresUrl;
    }

    public static synchronized String redisUrl() {
        if (redisUrl == null) {
            if (answers(6379)) {
                redisUrl = LOCAL_REDIS_URL;
            } else {
                EmbeddedRedisServer embedded = EmbeddedRedisServer.start();
                Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
                redisUrl = embedded.url();
            }
        }
        return redisUrl;
    }

    /** A schema name no other test class uses. */
    public static String freshSchema(String purpose) {
        return ("t_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /** A JDBC connection to the test database with {@code schema} first on the search path. */
    public static Connection jdbc(String schema) throws SQLException {
        var location = io.kassa.engine.server.postgres.PostgresLocation.parse(
                postgresUrl(), schema);
        Connection connection = DriverManager.getConnection(
                location.jdbcUrl(), location.user(), location.password());
        try (Statement statement = connection.createStatement()) {
            statement.execute("set search_path to " + schema);
        }
        return connection;
    }

    public static void dropSchema(String schema) {
        try (Connection connection = jdbc("public");
                Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + schema + " cascade");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test schema " + schema, e);
        }
    }

    /** One number from a query, for asserting on what was written. */
    public static long count(String schema, String sql) {
        try (Connection connection = jdbc(schema);
                Statement statement = connection.createStatement();
                var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
