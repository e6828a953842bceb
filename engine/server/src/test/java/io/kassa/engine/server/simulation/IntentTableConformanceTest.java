package io.kassa.engine.server.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.checkout.IntentState;
import io.kassa.engine.server.checkout.PaymentIntent;
import io.kassa.engine.server.checkout.PaymentIntents.NewIntent;
import io.kassa.engine.server.checkout.PaymentIntents.Transition;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.postgres.Migrations;
import io.kassa.engine.server.postgres.PgPaymentIntents;
import io.kassa.engine.server.postgres.PostgresLocation;
import io.kassa.engine.server.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulation's {@link IntentTable} is a model of {@code payment_intent} in PostgreSQL: the
 * same random operations (creations, duplicate attempts, conditional transitions to any state
 * from any set of states, with every field, claims of overdue intents) go to both, and every
 * answer must agree — applied or not, refused by the trigger or a constraint, and the row
 * read back. If the schema's rules change, this test says the simulation no longer models them.
 */
class IntentTableConformanceTest {

    private static final String SCHEMA = TestServices.freshSchema("simconf");
    private static final Vertx VERTX = Vertx.vertx();
    private static Pool pool;
    private static Instant now = Instant.parse("2026-11-21T02:00:00Z");

    private static final Clock CLOCK = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @BeforeAll
    static void start() throws Exception {
        PostgresLocation location = PostgresLocation.parse(TestServices.postgresUrl(), SCHEMA);
        Migrations.migrate(location);
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
                .connectingTo(location.connectOptions()).using(VERTX).build();
    }

    @AfterAll
    static void stop() throws Exception {
        await(pool.close());
        await(VERTX.close());
        TestServices.dropSchema(SCHEMA);
    }

    @Test
    void theModelAnswersAsPostgresDoes() throws Exception {
        PgPaymentIntents postgres = new PgPaymentIntents(pool, CLOCK);
        IntentTable model = new IntentTable();
        SplittableRandom random = new SplittableRandom(20261121);
        List<String> numbers = new ArrayList<>();
        IntentState[] states = IntentState.values();
        int refusals = 0;
        int applied = 0;
        for (int step = 0; step < 3_000; step++) {
            now = now.plusMillis(1 + random.nextInt(5_000));
            int operation = random.nextInt(10);
            if (operation == 0 || numbers.isEmpty()) {
                String number = String.format("SIM%029d", step);
                // Two sales of two tenders: attempts collide now and then.
                NewIntent intent = new NewIntent(random.nextInt(8) == 0 && !numbers.isEmpty()
                        ? numbers.get(0) : number,
                        new SaleKey("S001", "T1", "sale-" + random.nextInt(2)),
                        1 + random.nextInt(2), 1, ChannelId.WECHAT_PAY, TenderKind.WECHAT_PAY,
                        100, "node-a", now.plusMillis(random.nextInt(600_000)));
                Outcome<PaymentIntent> byPostgres = attempt(() -> postgres.create(intent));
                Outcome<PaymentIntent> byModel = attempt(() -> Future.succeededFuture(
                        model.create(intent, now)));
                assertThat(byModel.refused()).as("create refused, step " + step)
                        .isEqualTo(byPostgres.refused());
                if (!byPostgres.refused()) {
                    numbers.add(intent.outTradeNo());
                    same(byModel.value(), byPostgres.value(), step);
                } else {
                    refusals++;
                }
            } else if (operation == 9) {
                Duration lease = Duration.ofMillis(1 + random.nextInt(120_000));
                Outcome<Optional<PaymentIntent>> byPostgres =
                        attempt(() -> postgres.claimOverdue("node-b", now, lease));
                Optional<PaymentIntent> byModel = model.claimOverdue("node-b", now, lease);
                assertThat(byModel.isPresent()).as("claimed, step " + step)
                        .isEqualTo(byPostgres.value().isPresent());
                if (byModel.isPresent()) {
                    same(byModel.get(), byPostgres.value().get(), step);
                }
            } else {
                String number = numbers.get(random.nextInt(numbers.size()));
                Set<IntentState> from = EnumSet.noneOf(IntentState.class);
                for (IntentState state : states) {
                    if (random.nextInt(3) == 0) {
                        from.add(state);
                    }
                }
                Transition transition = Transition.to(states[random.nextInt(states.length)]);
                if (random.nextBoolean()) {
                    transition = transition.channelState("S" + random.nextInt(9));
                }
                if (random.nextBoolean()) {
                    transition = transition.transactionId("T" + random.nextInt(9));
                }
                if (random.nextBoolean()) {
                    transition = transition.detail("D" + random.nextInt(9));
                }
                if (random.nextBoolean()) {
                    transition = transition.moneyReturned(random.nextBoolean());
                }
                if (random.nextBoolean()) {
                    transition = transition.queried();
                }
                if (random.nextBoolean()) {
                    transition = transition.reverseTried();
                }
                if (random.nextBoolean()) {
                    transition = transition.leaseUntil(now.plusMillis(random.nextInt(600_000)));
                }
                Transition chosen = transition;
                Outcome<Optional<PaymentIntent>> byPostgres =
                        attempt(() -> postgres.transition(number, from, chosen));
                Outcome<Optional<PaymentIntent>> byModel = attempt(() ->
                        Future.succeededFuture(model.transition(number, from, chosen, now)));
                assertThat(byModel.refused()).as("transition refused, step " + step + ": "
                        + from + " -> " + chosen.to() + " " + byPostgres)
                        .isEqualTo(byPostgres.refused());
                if (byPostgres.refused()) {
                    refusals++;
                } else {
                    assertThat(byModel.value().isPresent()).as("applied, step " + step)
                            .isEqualTo(byPostgres.value().isPresent());
                    if (byPostgres.value().isPresent()) {
                        applied++;
                        same(byModel.value().get(), byPostgres.value().get(), step);
                    }
                }
            }
            if (step % 50 == 0) {
                for (String number : numbers) {
                    same(model.find(number).orElseThrow(),
                            await(postgres.find(number)).orElseThrow(), step);
                }
            }
        }
        assertThat(refusals).as("refusals exercised").isGreaterThan(20);
        assertThat(applied).as("transitions applied").isGreaterThan(100);
    }

    private static void same(PaymentIntent model, PaymentIntent postgres, int step) {
        assertThat(model).as("step " + step).usingRecursiveComparison()
                .ignoringFields("createdAt", "leaseUntil", "sentAt")
                .isEqualTo(postgres);
        assertThat(model.leaseUntil().toEpochMilli())
                .isEqualTo(postgres.leaseUntil().toEpochMilli());
        assertThat(model.sentAt().map(Instant::toEpochMilli))
                .isEqualTo(postgres.sentAt().map(Instant::toEpochMilli));
    }

    private record Outcome<T>(T value, boolean refused) {
    }

    private static <T> Outcome<T> attempt(java.util.function.Supplier<Future<T>> call)
            throws Exception {
        try {
            return new Outcome<>(await(call.get()), false);
        } catch (ExecutionException | IntentTable.Refused refused) {
            return new Outcome<>(null, true);
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
