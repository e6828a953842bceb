package io.kassa.engine.server.terminal;

import io.kassa.protocol.TerminalAuthentication;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The terminal registry in PostgreSQL (table {@code terminal}, migration V30). It lives in the
 * terminal package rather than in {@code postgres/} because it serves the terminal endpoint
 * alone, and the architecture keeps {@code postgres/} free of terminal types.
 */
public final class PgTerminalRegistry implements TerminalRegistry {

    private static final String UNIQUE_VIOLATION = "23505";

    private final Pool pool;
    private final SecretSealer sealer;
    private final SecureRandom random;
    private final Clock clock;

    public PgTerminalRegistry(Pool pool, SecretSealer sealer, SecureRandom random, Clock clock) {
        this.pool = pool;
        this.sealer = sealer;
        this.random = random;
        this.clock = clock;
    }

    @Override
    public Future<Optional<TerminalCredential>> find(String terminalId) {
        return pool.preparedQuery("select terminal_id, store_id, secret, secret_sealing,"
                        + " disabled from terminal where terminal_id = $1")
                .execute(Tuple.of(terminalId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    byte[] secret = sealer.open(row.getString("terminal_id"),
                            row.getString("secret_sealing"),
                            row.getBuffer("secret").getBytes());
                    return Optional.of(new TerminalCredential(row.getString("terminal_id"),
                            row.getString("store_id"), secret, row.getBoolean("disabled")));
                });
    }

    @Override
    public Future<TerminalCredential> provision(String storeId, String terminalId) {
        byte[] secret = TerminalAuthentication.newSecret(random);
        return pool.preparedQuery("insert into terminal (terminal_id, store_id, secret,"
                        + " secret_sealing, disabled, created_at)"
                        + " values ($1, $2, $3, $4, false, $5)")
                .execute(Tuple.of(terminalId, storeId,
                        io.vertx.core.buffer.Buffer.buffer(sealer.seal(terminalId, secret)),
                        sealer.sealing(), now()))
                .recover(failure -> Future.failedFuture(
                        failure instanceof PgException pg
                                && UNIQUE_VIOLATION.equals(pg.getSqlState())
                                ? new IllegalStateException("terminal " + terminalId
                                        + " is already provisioned; rotate its secret instead")
                                : failure))
                .map(inserted -> new TerminalCredential(terminalId, storeId, secret, false));
    }

    @Override
    public Future<TerminalCredential> rotate(String terminalId) {
        byte[] secret = TerminalAuthentication.newSecret(random);
        return pool.preparedQuery("update terminal set secret = $2, secret_sealing = $3,"
                        + " rotated_at = $4 where terminal_id = $1 returning store_id, disabled")
                .execute(Tuple.of(terminalId,
                        io.vertx.core.buffer.Buffer.buffer(sealer.seal(terminalId, secret)),
                        sealer.sealing(), now()))
                .compose(rows -> rows.size() == 0
                        ? Future.failedFuture(new IllegalStateException(
                                "terminal " + terminalId + " is not provisioned"))
                        : Future.succeededFuture(new TerminalCredential(terminalId,
                                rows.iterator().next().getString("store_id"), secret,
                                rows.iterator().next().getBoolean("disabled"))));
    }

    @Override
    public Future<Boolean> setDisabled(String terminalId, boolean disabled) {
        return pool.preparedQuery("update terminal set disabled = $2 where terminal_id = $1")
                .execute(Tuple.of(terminalId, disabled))
                .map(rows -> rows.rowCount() == 1);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
