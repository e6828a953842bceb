package io.kassa.engine.server;

import io.kassa.engine.server.checkout.PaymentIntent;
import io.kassa.engine.server.checkout.PaymentReconciliation;
import io.kassa.engine.server.config.EngineConfig;
import io.kassa.engine.server.postgres.PgPaymentIntents;
import io.kassa.engine.server.postgres.PostgresLocation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar kassa-engine.jar reconcile-payments --statement FILE [--day YYYY-MM-DD]
 * [--zone Asia/Shanghai]}: the day's payment intents of the channels in a gateway's daily
 * statement (the CSV the channels and the gateway simulator write), with what Kassa refunded
 * of each trade, against that statement. Prints every mismatch — missing at the channel,
 * missing in Kassa, amount differs, status differs — and changes nothing. Exit status 0 when
 * they agree, 1 when any mismatch is found, 2 on bad usage or an unreadable statement.
 */
public final class ReconcilePaymentsCommand {

    public static final String COMMAND = "reconcile-payments";
    static final int EXIT_AGREE = 0;
    static final int EXIT_MISMATCHES = 1;
    static final int EXIT_USAGE = 2;
    /** The channels' statements are written in China Standard Time. */
    static final ZoneId CHANNEL_ZONE = ZoneId.of("Asia/Shanghai");

    private ReconcilePaymentsCommand() {
    }

    public static int run(String[] args, Map<String, String> environment, Clock clock,
            PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        for (int index = 1; index < args.length; index++) {
            String name = args[index];
            if (!Set.of("--statement", "--day", "--zone").contains(name)
                    || index + 1 >= args.length) {
                err.println("kassa: usage: " + COMMAND
                        + " --statement FILE [--day YYYY-MM-DD] [--zone ZONE]");
                return EXIT_USAGE;
            }
            options.put(name, args[++index]);
        }
        if (!options.containsKey("--statement")) {
            err.println("kassa: " + COMMAND + " needs --statement FILE");
            return EXIT_USAGE;
        }
        ZoneId zone;
        LocalDate day;
        List<PaymentReconciliation.StatementLine> statement;
        try {
            zone = ZoneId.of(options.getOrDefault("--zone", CHANNEL_ZONE.getId()));
            day = options.containsKey("--day") ? LocalDate.parse(options.get("--day"))
                    : LocalDate.now(clock.withZone(zone));
            statement = PaymentReconciliation.parse(Files.readString(
                    Path.of(options.get("--statement")), StandardCharsets.UTF_8));
        } catch (java.time.DateTimeException e) {
            err.println("kassa: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException | IllegalArgumentException e) {
            err.println("kassa: the statement cannot be read: " + e.getMessage());
            return EXIT_USAGE;
        }
        EngineConfig config;
        try {
            config = EngineConfig.fromEnvironment(environment);
        } catch (IllegalArgumentException e) {
            err.println("kassa: " + e.getMessage());
            return EXIT_USAGE;
        }
        if (config.postgresUrl().isEmpty()) {
            err.println("kassa: " + COMMAND + " needs KASSA_PG_URL (and KASSA_PG_SCHEMA)");
            return EXIT_USAGE;
        }
        Set<String> channels = new HashSet<>();
        statement.forEach(line -> channels.add(line.channel()));
        Instant from = day.atStartOfDay(zone).toInstant();
        Instant until = day.plusDays(1).atStartOfDay(zone).toInstant();
        Vertx vertx = Vertx.vertx();
        try {
            Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
                    .connectingTo(PostgresLocation.parse(config.postgresUrl().get(),
                            config.postgresSchema()).connectOptions())
                    .using(vertx).build();
            List<PaymentIntent> intents = await(new PgPaymentIntents(pool, clock)
                    .createdBetween(from, until)).stream()
                    .filter(intent -> channels.contains(intent.channel().name())).toList();
            Map<String, Long> refunded = await(refundedBetween(pool, from, until));
            await(pool.close());
            List<PaymentReconciliation.Mismatch> mismatches =
                    PaymentReconciliation.reconcile(intents, refunded, statement);
            out.println(day + " (" + zone + "), channels " + new java.util.TreeSet<>(channels)
                    + ": " + intents.size() + " intents, " + statement.size()
                    + " statement lines, " + mismatches.size() + " mismatches");
            for (PaymentReconciliation.Mismatch mismatch : mismatches) {
                out.println(mismatch.kind() + " " + mismatch.channel() + " "
                        + mismatch.outTradeNo() + ": " + mismatch.explanation());
            }
            return mismatches.isEmpty() ? EXIT_AGREE : EXIT_MISMATCHES;
        } catch (Exception e) {
            err.println("kassa: " + COMMAND + " failed: " + e.getMessage());
            return EXIT_USAGE;
        } finally {
            vertx.close();
        }
    }

    /** What Kassa refunded through the channels, per trade, of the intents of the window. */
    static Future<Map<String, Long>> refundedBetween(Pool pool, Instant from, Instant until) {
        return pool.preparedQuery("""
                        select r.out_trade_no, sum(r.amount_fen) as refunded
                          from payment_refund r
                          join payment_intent i on i.out_trade_no = r.out_trade_no
                         where r.state = 'refunded'
                           and i.created_at >= $1 and i.created_at < $2
                         group by r.out_trade_no""")
                .execute(Tuple.of(OffsetDateTime.ofInstant(from, ZoneOffset.UTC),
                        OffsetDateTime.ofInstant(until, ZoneOffset.UTC)))
                .map(rows -> {
                    Map<String, Long> refunded = new HashMap<>();
                    for (Row row : rows) {
                        refunded.put(row.getString("out_trade_no"), row.getLong("refunded"));
                    }
                    return refunded;
                });
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
