package io.kassa.engine.server;

import io.kassa.engine.server.config.EngineConfig;
import io.kassa.engine.server.postgres.Migrations;
import io.kassa.engine.server.postgres.PostgresLocation;
import io.kassa.engine.server.terminal.PgTerminalRegistry;
import io.kassa.engine.server.terminal.SecretSealer;
import io.kassa.engine.server.terminal.TerminalCredential;
import io.kassa.engine.server.terminal.TerminalPolicy;
import io.kassa.engine.server.terminal.TerminalRegistry;
import io.kassa.protocol.TerminalAuthentication;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The provisioning command line, against the PostgreSQL of KASSA_PG_URL:
 *
 * <pre>
 * java -jar kassa-engine.jar provision-terminal --store S-042 --terminal T-0001
 * java -jar kassa-engine.jar provision-terminal --terminal T-0001 --rotate
 * java -jar kassa-engine.jar provision-terminal --terminal T-0001 --disable
 * </pre>
 *
 * <p>Provisioning and rotation print the new secret, 64 hex digits, alone on standard output
 * (so that a script can capture it) and say on standard error that it is shown once. Exit codes:
 * 0 done, 1 refused or failed (e.g. the terminal exists), 2 bad arguments or configuration.
 */
final class ProvisionTerminal {

    static final String COMMAND = "provision-terminal";
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    private static final long STEP_TIMEOUT_SECONDS = 30;

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar kassa-engine.jar provision-terminal --store S --terminal T",
            "       java -jar kassa-engine.jar provision-terminal --terminal T --rotate",
            "       java -jar kassa-engine.jar provision-terminal --terminal T --disable|--enable",
            "Needs KASSA_PG_URL (and KASSA_PG_SCHEMA, KASSA_TERMINAL_SECRET_KEY as the engine).",
            "");

    private ProvisionTerminal() {
    }

    static int run(String[] args, Map<String, String> environment, PrintStream out,
            PrintStream err) {
        String store = null;
        String terminal = null;
        String action = "provision";
        for (int index = 1; index < args.length; index++) {
            switch (args[index]) {
                case "--store" -> store = index + 1 < args.length ? args[++index] : null;
                case "--terminal" -> terminal = index + 1 < args.length ? args[++index] : null;
                case "--rotate" -> action = "rotate";
                case "--disable" -> action = "disable";
                case "--enable" -> action = "enable";
                default -> {
                    err.print(USAGE);
                    return EXIT_USAGE;
                }
            }
        }
        if (terminal == null || (action.equals("provision") && store == null)) {
            err.print(USAGE);
            return EXIT_USAGE;
        }
        EngineConfig config;
        TerminalPolicy policy;
        try {
            config = EngineConfig.fromEnvironment(environment);
            policy = TerminalPolicy.fromEnvironment(environment);
        } catch (IllegalArgumentException bad) {
            err.println("kassa: " + bad.getMessage());
            return EXIT_USAGE;
        }
        if (config.postgresUrl().isEmpty()) {
            err.println("kassa: provision-terminal needs KASSA_PG_URL (an embedded PostgreSQL"
                    + " lives only as long as its engine; the demo uses"
                    + " KASSA_DEMO_TERMINAL_SECRET_SEED instead)");
            return EXIT_USAGE;
        }
        PostgresLocation location =
                PostgresLocation.parse(config.postgresUrl().orElseThrow(), config.postgresSchema());
        Migrations.migrate(location);
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
                .connectingTo(location.connectOptions()).using(vertx).build();
        try {
            SecureRandom random = new SecureRandom();
            TerminalRegistry registry = new PgTerminalRegistry(pool,
                    new SecretSealer(policy.secretSealingKey(), random), random,
                    Clock.systemUTC());
            return act(registry, action, store, terminal, out, err);
        } finally {
            await(pool.close());
            await(vertx.close());
        }
    }

    private static int act(TerminalRegistry registry, String action, String store,
            String terminal, PrintStream out, PrintStream err) {
        try {
            switch (action) {
                case "provision", "rotate" -> {
                    TerminalCredential credential = await(action.equals("provision")
                            ? registry.provision(store, terminal) : registry.rotate(terminal));
                    err.println("kassa: terminal " + credential.terminalId() + " of store "
                            + credential.storeId() + (action.equals("provision")
                                    ? " provisioned" : " has a new secret")
                            + "; the secret below is shown once, store it in the terminal:");
                    out.println(TerminalAuthentication.formatSecret(credential.secret()));
                    return EXIT_OK;
                }
                default -> {
                    boolean found = await(registry.setDisabled(terminal,
                            action.equals("disable")));
                    err.println("kassa: terminal " + terminal + (found ? " " + action + "d"
                            : " is not provisioned"));
                    return found ? EXIT_OK : EXIT_FAILED;
                }
            }
        } catch (IllegalStateException refused) {
            err.println("kassa: " + refused.getMessage());
            return EXIT_FAILED;
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture()
                    .get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(failed.getCause());
        } catch (TimeoutException slow) {
            throw new IllegalStateException("no answer from PostgreSQL within "
                    + STEP_TIMEOUT_SECONDS + " s", slow);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", interrupted);
        }
    }
}
