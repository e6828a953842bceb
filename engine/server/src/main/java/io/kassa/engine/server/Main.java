package io.kassa.engine.server;

import io.kassa.engine.server.config.EngineConfig;
import io.kassa.engine.server.terminal.TerminalPolicy;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * Starts one engine node configured from the environment (see {@link EngineConfig}); with no
 * configuration at all it starts embedded PostgreSQL and Redis. Ctrl-C (SIGINT) or SIGTERM
 * drains in-flight requests and stops everything.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0) {
            if (args[0].equals(InvariantCheckCommand.COMMAND)) {
                System.exit(InvariantCheckCommand.run(System.getenv(), System.out, System.err));
                return;
            }
            if (args[0].equals(ReconcilePaymentsCommand.COMMAND)) {
                System.exit(ReconcilePaymentsCommand.run(args, System.getenv(),
                        Clock.systemUTC(), System.out, System.err));
                return;
            }
            System.exit(args[0].equals(ProvisionTerminal.COMMAND)
                    ? ProvisionTerminal.run(args, System.getenv(), System.out, System.err)
                    : usage());
            return;
        }
        EngineConfig config;
        TerminalPolicy terminalPolicy;
        KassaEngine engine;
        try {
            config = EngineConfig.fromEnvironment(System.getenv());
            terminalPolicy = TerminalPolicy.fromEnvironment(System.getenv());
            engine = KassaEngine.start(config, terminalPolicy, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            System.err.println("kassa: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            // A dependency that does not answer (Redis restarting, PostgreSQL down): the
            // process exits for its supervisor to start it again, rather than linger unready.
            System.err.println("kassa: could not start: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("kassa: stopping (draining in-flight requests)...");
            engine.close();
            System.out.println("kassa: stopped");
            stopped.countDown();
        }, "kassa-shutdown"));
        System.out.println("kassa: node '" + engine.config().nodeId()
                + "' ready; terminals connect to port " + engine.terminalPort()
                + "; PostgreSQL " + redactPassword(engine.config().postgresUrl().orElseThrow())
                + " schema '" + engine.config().postgresSchema() + "'; Redis "
                + engine.config().redisUrl().orElseThrow());
        seedDemoMembers(engine);
        reportSalesPeriodically(engine);
        stopped.await();
    }

    /**
     * With KASSA_DEMO_MEMBERS set on the embedded demo database, creates that many demo members
     * (member-0001 ...) with stored value, points and coupons; refused against a real database.
     */
    private static void seedDemoMembers(KassaEngine engine) {
        String members = System.getenv("KASSA_DEMO_MEMBERS");
        if (members == null || members.isBlank()) {
            return;
        }
        if (System.getenv("KASSA_PG_URL") != null && !System.getenv("KASSA_PG_URL").isBlank()
                && !KassaEngine.scratchDatabaseAcknowledged(System.getenv())) {
            System.err.println("kassa: KASSA_DEMO_MEMBERS ignored: demo members are only created"
                    + " in the embedded demo database");
            return;
        }
        int count = Integer.parseInt(members.trim());
        String couponsPerMember = System.getenv("KASSA_DEMO_MEMBER_COUPONS");
        int coupons = couponsPerMember == null || couponsPerMember.isBlank()
                ? io.kassa.engine.server.postgres.PgDemoMembers.COUPONS
                : Integer.parseInt(couponsPerMember.trim());
        io.kassa.engine.server.postgres.PgDemoMembers.seed(engine.pool(), count,
                        java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")), coupons)
                .onSuccess(entries -> System.out.println("kassa: " + entries / 4
                        + " demo members created (member-0001 ... with 500.00 yuan stored value,"
                        + " 3000 points and " + coupons + " coupons each)"))
                .onFailure(error -> System.err.println("kassa: demo members not created: "
                        + error.getMessage()));
    }

    /**
     * With KASSA_DEMO_REPORT_SECONDS set, logs what PostgreSQL holds at that interval, so a
     * demo shows sales landing in the source of truth rather than in a counter.
     */
    private static void reportSalesPeriodically(KassaEngine engine) {
        String seconds = System.getenv("KASSA_DEMO_REPORT_SECONDS");
        if (seconds == null || seconds.isBlank()) {
            return;
        }
        long intervalMillis = Math.max(1, Long.parseLong(seconds.trim())) * 1000;
        long[] previous = {0};
        engine.vertx().setPeriodic(intervalMillis, id -> engine.ledger().totals()
                .onSuccess(totals -> {
                    System.out.printf("kassa: PostgreSQL holds %d sales, %d.%02d yuan"
                            + " (+%d in the last %s s)%n", totals.sales(),
                            totals.payableFen() / 100, totals.payableFen() % 100,
                            totals.sales() - previous[0], seconds.trim());
                    previous[0] = totals.sales();
                }));
    }

    private static int usage() {
        System.err.print("usage: java -jar kassa-engine.jar  (runs a node, configured by"
                + " KASSA_* environment variables)" + System.lineSeparator()
                + "       java -jar kassa-engine.jar check-invariants  (exit 1 when money"
                + " invariants are broken)" + System.lineSeparator()
                + "       java -jar kassa-engine.jar reconcile-payments --statement FILE"
                + " [--day YYYY-MM-DD] [--zone ZONE]  (exit 1 on mismatches)"
                + System.lineSeparator()
                + ProvisionTerminal.USAGE);
        return ProvisionTerminal.EXIT_USAGE;
    }

    private static String redactPassword(String url) {
        return url.replaceAll("://([^:@/]+):[^@/]*@", "://$1:***@");
    }
}
