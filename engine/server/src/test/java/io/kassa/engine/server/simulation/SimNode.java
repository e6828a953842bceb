package io.kassa.engine.server.simulation;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.core.channel.ChannelTimings;
import io.kassa.engine.core.channel.PaymentCodeRouter;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.server.PaymentAssembly;
import io.kassa.engine.server.checkout.CheckoutService;
import io.kassa.engine.server.checkout.GenerationFence;
import io.kassa.engine.server.checkout.HotCopy;
import io.kassa.engine.server.checkout.IntentState;
import io.kassa.engine.server.checkout.MemberBalances;
import io.kassa.engine.server.checkout.MemberDirectory;
import io.kassa.engine.server.checkout.Outbox;
import io.kassa.engine.server.checkout.PaymentIntent;
import io.kassa.engine.server.checkout.PaymentIntents;
import io.kassa.engine.server.checkout.PaymentJanitor;
import io.kassa.engine.server.checkout.PaymentNotifications;
import io.kassa.engine.server.checkout.PaymentOrchestrator;
import io.kassa.engine.server.checkout.PaymentTimers;
import io.kassa.engine.server.checkout.PaymentUpdates;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.checkout.SalesLedger;
import io.kassa.engine.server.gateways.NotificationVerdict;
import io.kassa.engine.server.gateways.PaymentChannel;
import io.kassa.engine.server.gateways.PaymentNotificationSink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One incarnation of an engine node: the real {@link CheckoutService}, {@link
 * PaymentOrchestrator}, {@link PaymentNotifications} and {@link PaymentJanitor}, wired as
 * {@link PaymentAssembly} wires them, on simulated timers, a simulated database and simulated
 * channels. A crash kills the incarnation: its timers never fire and no answer reaches it
 * again (a statement already on its way to the database still runs, as it would), and all it
 * held in memory is gone. A restart is a new incarnation on the same database.
 */
final class SimNode {

    /** The engine's node name: the same after a restart, as a configured one is. */
    static final String NODE_ID = "node-a";

    private final int incarnation;
    private final SimScheduler scheduler;
    private final SplittableRandom random;
    private final SimFaults faults;
    private final IntentTable table;
    private final Simulation.Trace trace;
    private final CheckoutService checkout;
    private final PaymentNotifications notifications;
    private final PaymentJanitor janitor;
    private final Set<Long> cancelled = new HashSet<>();
    private long timers;
    private final boolean janitorBlind;
    private boolean alive = true;

    SimNode(int incarnation, SimScheduler scheduler, SplittableRandom random, SimFaults faults,
            IntentTable table, SimGateway gateway, Map<ChannelId, ChannelTimings> timings,
            ChainRules rules, PaymentOrchestrator.Options options, PaymentUpdates updates,
            Simulation.Trace trace, boolean janitorBlind) {
        this.janitorBlind = janitorBlind;
        this.incarnation = incarnation;
        this.scheduler = scheduler;
        this.random = random;
        this.faults = faults;
        this.table = table;
        this.trace = trace;
        Clock clock = scheduler.clock();
        PaymentIntents intents = new Intents();
        Map<ChannelId, PaymentChannel> channels = new LinkedHashMap<>();
        for (ChannelId id : timings.keySet()) {
            channels.put(id, gateway.channel(this, id));
        }
        PaymentOrchestrator orchestrator = new PaymentOrchestrator(new Timers(), intents,
                id -> Optional.ofNullable(channels.get(id)), timings,
                PaymentCodeRouter.defaults(), clock, options);
        SalesLedger ledger = new Ledger();
        checkout = new CheckoutService(rules, ledger,
                new HotCopy(unused(MemberBalances.class), unused(MemberDirectory.class),
                        unused(GenerationFence.class)),
                unused(MemberDirectory.class), unused(MemberBalances.class),
                unused(Outbox.class), clock);
        checkout.enablePayments(orchestrator, updates, PaymentAssembly.ANSWER_WITHIN);
        notifications = new PaymentNotifications(intents, orchestrator, new Recorder());
        janitor = new PaymentJanitor(intents, orchestrator, ledger, updates, clock, NODE_ID);
        scheduleJanitor();
    }

    int incarnation() {
        return incarnation;
    }

    boolean alive() {
        return alive;
    }

    void crash() {
        alive = false;
    }

    CheckoutService checkout() {
        return checkout;
    }

    PaymentNotifications notifications() {
        return notifications;
    }

    /** {@code PaymentAssembly}'s periodic sweep: every 5 s, whether the last one ended or not. */
    private void scheduleJanitor() {
        new Timers().setTimer(PaymentAssembly.PAYMENT_JANITOR_MILLIS, () -> {
            janitor.sweepOnce().onSuccess(taken -> {
                if (taken > 0) {
                    trace.add("janitor resolved " + taken);
                }
            });
            scheduleJanitor();
        });
    }

    /** Timers that die with the incarnation. */
    private final class Timers implements PaymentTimers {
        @Override
        public long nanoTime() {
            return scheduler.nowMillis() * 1_000_000L;
        }

        @Override
        public long setTimer(long delayMillis, Runnable action) {
            long id = ++timers;
            scheduler.at(Math.max(1, delayMillis), () -> {
                if (alive && !cancelled.remove(id)) {
                    action.run();
                }
            });
            return id;
        }

        @Override
        public boolean cancelTimer(long id) {
            return cancelled.add(id);
        }
    }

    /**
     * One statement or transaction: it reaches the database after a while (or the connection
     * fails first), runs atomically, and its answer comes back (or the connection fails after
     * it ran). A transaction commits only if its node is alive when it runs.
     */
    private <T> Future<T> statement(String what, boolean transaction, Supplier<T> run) {
        Promise<T> promise = Promise.promise();
        boolean active = faults.active();
        boolean failsBefore = active && random.nextDouble() < faults.storeFailsBefore;
        boolean failsAfter = active && random.nextDouble() < faults.storeFailsAfter;
        // Now and then a statement waits behind a lock or a checkpoint for minutes: long
        // enough for a lease to run out while its owner is still alive.
        long stall = active && random.nextDouble() < faults.storeStall
                ? random.nextLong(180_000) : 0;
        scheduler.at(1 + stall + random.nextLong(faults.storeLatencyMaxMillis), () -> {
            if (failsBefore || (transaction && !alive)) {
                answer(promise, null, new IllegalStateException("connection reset: " + what));
                return;
            }
            T result;
            try {
                result = run.get();
            } catch (IntentTable.Refused refused) {
                trace.add(what + " refused: " + refused.getMessage());
                answer(promise, null, refused);
                return;
            }
            answer(promise, result, failsAfter
                    ? new IllegalStateException("connection reset after " + what) : null);
        });
        return promise.future();
    }

    private <T> void answer(Promise<T> promise, T result, Throwable error) {
        scheduler.at(1 + random.nextLong(faults.storeLatencyMaxMillis), () -> {
            if (!alive) {
                return;
            }
            if (error != null) {
                promise.fail(error);
            } else {
                promise.complete(result);
            }
        });
    }

    private Instant now() {
        return scheduler.instant();
    }

    private final class Intents implements PaymentIntents {
        @Override
        public Future<PaymentIntent> create(NewIntent intent) {
            Instant at = now();
            return statement("create " + trace.id(intent.outTradeNo()), false,
                    () -> table.create(intent, at));
        }

        @Override
        public Future<Optional<PaymentIntent>> transition(String outTradeNo,
                Set<IntentState> from, Transition transition) {
            String what = trace.id(outTradeNo) + " -> " + transition.to();
            Instant at = now();
            return statement(what, false, () -> {
                Optional<PaymentIntent> done =
                        table.transition(outTradeNo, from, transition, at);
                trace.add(what + (done.isPresent() ? "" : " (not from " + from + ")"));
                return done;
            });
        }

        @Override
        public Future<Optional<PaymentIntent>> find(String outTradeNo) {
            return statement("find", false, () -> table.find(outTradeNo));
        }

        @Override
        public Future<List<PaymentIntent>> ofSale(SaleKey sale) {
            return statement("ofSale", false, () -> table.ofSale(sale));
        }

        @Override
        public Future<Optional<PaymentIntent>> claimOverdue(String owner, Instant now,
                Duration lease) {
            return statement("claim", false, () -> {
                Optional<PaymentIntent> claimed = janitorBlind ? Optional.empty()
                        : table.claimOverdue(owner, now, lease);
                claimed.ifPresent(intent -> trace.add("janitor claims "
                        + trace.id(intent.outTradeNo()) + " " + intent.state()));
                return claimed;
            });
        }

        @Override
        public Future<List<PaymentIntent>> createdBetween(Instant from, Instant until) {
            throw new UnsupportedOperationException("reconciliation is not simulated");
        }
    }

    private final class Ledger implements SalesLedger {
        @Override
        public Future<RecordResult> record(SaleRecord sale) {
            return statement("record " + sale.sale().key().saleId(), true, () -> {
                RecordResult result = table.record(sale);
                trace.add("record " + sale.sale().key().saleId() + " -> "
                        + result.getClass().getSimpleName());
                return result;
            });
        }

        @Override
        public Future<java.util.Optional<RecordResult>> find(SaleKey key) {
            return statement("find " + key.saleId(), false, () -> table.find(key));
        }

        @Override
        public Future<Boolean> fence(SaleKey key) {
            return statement("fence " + key.saleId(), false, () -> {
                boolean fenced = table.fence(key);
                trace.add("fence " + key.saleId() + " -> " + fenced);
                return fenced;
            });
        }
    }

    private final class Recorder implements PaymentNotificationSink {
        @Override
        public Future<NotificationVerdict> onNotification(
                io.kassa.engine.server.gateways.ChannelNotification notification) {
            return statement("record notification", false,
                    () -> table.recordNotification(notification.channel(),
                            notification.notificationId())
                            ? new NotificationVerdict.Accepted()
                            : new NotificationVerdict.Duplicate());
        }
    }

    /** A port a sale without a member never uses: any call is a finding. */
    private static <T> T unused(Class<T> port) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port},
                (proxy, method, arguments) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "unused " + port
                                : method.getName().equals("hashCode") ? 0 : proxy == arguments[0];
                    }
                    throw new AssertionError(port.getSimpleName() + "." + method.getName()
                            + " called by a sale without a member");
                }));
    }
}
