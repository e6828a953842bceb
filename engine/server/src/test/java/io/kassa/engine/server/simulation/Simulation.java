package io.kassa.engine.server.simulation;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.core.channel.ChannelTimings;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.checkout.CheckoutCommand;
import io.kassa.engine.server.checkout.CheckoutOutcome;
import io.kassa.engine.server.checkout.PaymentIntent;
import io.kassa.engine.server.checkout.PaymentOrchestrator;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.checkout.SalesLedger.RecordedTender;
import io.kassa.engine.server.rules.ChainRulesSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One run of the deterministic simulation of channel payments (in the style of TigerBeetle's
 * VOPR): a seed chooses the sales, the faults of the channels, the network and the database,
 * and when the engine crashes; the real checkout, orchestration, notification and janitor
 * code runs on simulated time; at the end the money is checked against the channels' truth.
 *
 * <p>Properties checked after each run:
 * <ul>
 *   <li>charged ⇔ committed: for every sale, the money the channels hold (taken minus given
 *       back) is exactly the committed sale's channel tenders, or 0 when it did not commit;
 *   <li>never paid twice under one tender: at most one pay call per sale tender ever reaches a
 *       channel, and a tender never holds more than its amount (checked as it happens);
 *   <li>no intent is left open (created, sent, unknown, querying, reversing) or captured
 *       without a sale once the faults have stopped and the janitor has had its time;
 *   <li>nothing lost: a terminal told "committed" has its sale in the ledger; one told
 *       "payment failed" does not; and every terminal gets a final answer in the end.
 * </ul>
 */
final class Simulation {

    /** Sales start within this window. */
    static final long SALES_WINDOW_MILLIS = 60_000;
    /** Faults (and crashes) stop here. */
    static final long HEAL_AT_MILLIS = 240_000;
    /** Simulated time ends here: the janitor's deadlines and the channels' resends are past. */
    static final long END_MILLIS = HEAL_AT_MILLIS + 20 * 60_000;
    /** A run taking more events than this is a livelock. */
    static final long EVENTS_MAX = 2_000_000;

    private static final ChainRules RULES = ChainRulesSource.fromEnvironment(Map.of());
    private static final Map<ChannelId, ChannelTimings> TIMINGS = Map.of(
            ChannelId.WECHAT_PAY, ChannelTimings.wechatPayDefaults(),
            ChannelId.ALIPAY, ChannelTimings.alipayDefaults(),
            ChannelId.UNIONPAY, ChannelTimings.unionPayDefaults());
    private static final TenderKind[] CHANNEL_KINDS =
            {TenderKind.WECHAT_PAY, TenderKind.ALIPAY, TenderKind.UNIONPAY_QR};

    /** A deliberate defect, to show that the properties catch one. */
    enum Mutation {
        NONE,
        /** The janitor finds nothing to do: intents left by crashes stay open. */
        JANITOR_BLIND,
        /** The channel answers a reverse "done" without doing it: the money stays taken. */
        REVERSE_SWALLOWED,
    }

    /** What one run did and found. */
    record Result(long seed, List<String> violations, int sales, int committed,
            int failedCleanly, int crashes, int payCalls, long events, long traceHash,
            List<String> trace) {

        boolean passed() {
            return violations.isEmpty();
        }
    }

    /** The run's history: always hashed (to show a replay is exact), kept when asked. */
    static final class Trace {
        private final SimScheduler scheduler;
        private final boolean keep;
        private final List<String> lines = new ArrayList<>();
        private final Map<String, String> ids = new LinkedHashMap<>();
        private long hash = 17;

        Trace(SimScheduler scheduler, boolean keep) {
            this.scheduler = scheduler;
            this.keep = keep;
        }

        /** A merchant order number as the run's own short name (the real ones are random). */
        String id(String outTradeNo) {
            return ids.computeIfAbsent(outTradeNo, key -> "i" + (ids.size() + 1));
        }

        void add(String line) {
            hash = hash * 31 + scheduler.nowMillis();
            hash = hash * 31 + line.hashCode();
            if (keep) {
                lines.add(String.format("%9d ms  %s", scheduler.nowMillis(), line));
            }
        }
    }

    private final long seed;
    private final Mutation mutation;
    private final SimScheduler scheduler = new SimScheduler();
    private final SplittableRandom random;
    private final SimFaults faults;
    private final Trace trace;
    private final IntentTable table = new IntentTable();
    private final SimGateway gateway;
    private final List<String> violations = new ArrayList<>();
    private final Map<SaleKey, Terminal> terminals = new LinkedHashMap<>();
    private SimNode node;
    private int incarnations;
    private int crashes;

    private Simulation(long seed, boolean keepTrace, Mutation mutation) {
        this.seed = seed;
        this.mutation = mutation;
        this.random = new SplittableRandom(seed);
        this.faults = new SimFaults(random, scheduler, HEAL_AT_MILLIS);
        this.trace = new Trace(scheduler, keepTrace);
        this.gateway = new SimGateway(scheduler, random, faults, trace, violations,
                () -> node != null && node.alive() ? Optional.of(node) : Optional.empty(),
                mutation == Mutation.REVERSE_SWALLOWED);
    }

    static Result run(long seed, boolean keepTrace) {
        return run(seed, keepTrace, Mutation.NONE);
    }

    static Result run(long seed, boolean keepTrace, Mutation mutation) {
        return new Simulation(seed, keepTrace, mutation).run();
    }

    private Result run() {
        start();
        int sales = 1 + random.nextInt(12);
        for (int index = 1; index <= sales; index++) {
            Terminal terminal = sale(index);
            terminals.put(terminal.key, terminal);
            scheduler.at(random.nextLong(SALES_WINDOW_MILLIS), terminal::send);
        }
        for (int crash = 0; crash < faults.crashes; crash++) {
            scheduler.at(random.nextLong(HEAL_AT_MILLIS), this::crashAndRestart);
        }
        try {
            scheduler.runUntil(END_MILLIS, EVENTS_MAX);
            check();
        } catch (RuntimeException | AssertionError escaped) {
            violations.add("the run broke: " + escaped);
        }
        int committed = 0;
        int failed = 0;
        for (Terminal terminal : terminals.values()) {
            committed += terminal.told.filter("committed"::equals).isPresent() ? 1 : 0;
            failed += terminal.told.filter("failed"::equals).isPresent() ? 1 : 0;
        }
        return new Result(seed, List.copyOf(violations), sales, committed, failed, crashes,
                gateway.payCalls(), scheduler.executed(), trace.hash, trace.lines);
    }

    private void start() {
        int incarnation = ++incarnations;
        trace.add("engine starts (incarnation " + incarnation + ")");
        node = new SimNode(incarnation, scheduler, random, faults, table, gateway, TIMINGS,
                RULES, PaymentOrchestrator.Options.defaults(SimNode.NODE_ID),
                (key, outcome) -> terminals.get(key).answered(outcome, "push"), trace,
                mutation == Mutation.JANITOR_BLIND);
    }

    /** kill -9: what the node held in memory is gone; terminals see their connection drop. */
    private void crashAndRestart() {
        if (node == null || !node.alive()) {
            return;
        }
        crashes++;
        trace.add("engine crashes (incarnation " + node.incarnation() + ")");
        node.crash();
        int dead = node.incarnation();
        for (Terminal terminal : terminals.values()) {
            terminal.disconnected(dead);
        }
        scheduler.at(1 + random.nextLong(faults.crashDowntimeMaxMillis), this::start);
    }

    private Terminal sale(int index) {
        SaleKey key = new SaleKey("S001", "T" + (1 + index % 4), "sale-" + index);
        int channelTenders = random.nextDouble() < 0.3 ? 2 : 1;
        boolean cash = random.nextDouble() < 0.3;
        List<Tender> tenders = new ArrayList<>();
        List<String> references = new ArrayList<>();
        int cashAt = cash ? random.nextInt(channelTenders + 1) : -1;
        long total = 0;
        for (int position = 0; position < channelTenders + (cash ? 1 : 0); position++) {
            if (position == cashAt) {
                long fen = 1 + random.nextLong(5_000);
                tenders.add(new Tender(TenderKind.CASH, Money.fen(fen), Money.fen(fen)));
                references.add("");
                total += fen;
                continue;
            }
            TenderKind kind = CHANNEL_KINDS[random.nextInt(CHANNEL_KINDS.length)];
            long fen = 1 + random.nextLong(20_000);
            String code = code(kind, index * 10 + position);
            gateway.issueCode(code, new SimGateway.TenderRef(key, position + 1, fen));
            tenders.add(new Tender(kind, Money.fen(fen), Money.fen(fen)));
            references.add(code);
            total += fen;
        }
        CheckoutCommand command = new CheckoutCommand(key, CurrencyCode.CNY,
                List.of(new BasketLine("sku-" + index, "grocery", Money.fen(total), 1)),
                List.of("item " + index), tenders, Optional.empty(), references);
        return new Terminal(key, command);
    }

    private String code(TenderKind kind, long number) {
        switch (kind) {
            case WECHAT_PAY:
                return String.format("13%016d", seed % 1_000_000 * 10_000 + number);
            case ALIPAY:
                return String.format("28%016d", seed % 1_000_000 * 10_000 + number);
            default:
                return String.format("62%017d", seed % 1_000_000 * 10_000 + number);
        }
    }

    /** A till with one sale: sends it, resends it while unanswered or pending, as a till does. */
    private final class Terminal {
        final SaleKey key;
        final CheckoutCommand command;
        Optional<String> told = Optional.empty();
        int waitingOn = -1;
        int sends;

        Terminal(SaleKey key, CheckoutCommand command) {
            this.key = key;
            this.command = command;
        }

        void send() {
            if (told.isPresent() || waitingOn > 0 || sends >= 400) {
                return;
            }
            SimNode current = node;
            if (current == null || !current.alive()) {
                scheduler.at(1_000, this::send);
                return;
            }
            sends++;
            waitingOn = current.incarnation();
            trace.add(key.saleId() + " checkout sent #" + sends);
            current.checkout().checkout(command).onComplete(done -> {
                if (!current.alive() || waitingOn != current.incarnation()) {
                    return;
                }
                waitingOn = -1;
                if (done.failed()) {
                    trace.add(key.saleId() + " answered error: " + done.cause().getMessage());
                    scheduler.at(3_000, this::send);
                } else {
                    answered(done.result(), "answer");
                }
            });
        }

        void answered(CheckoutOutcome outcome, String how) {
            trace.add(key.saleId() + " " + how + ": " + outcome.getClass().getSimpleName());
            if (outcome instanceof CheckoutOutcome.Committed) {
                tell("committed");
            } else if (outcome instanceof CheckoutOutcome.PaymentFailed
                    || outcome instanceof CheckoutOutcome.Abandoned) {
                tell("failed");
            } else if (outcome instanceof CheckoutOutcome.PaymentPending) {
                scheduler.at(10_000, this::send);
            } else {
                violations.add(key.saleId() + " was answered " + outcome);
            }
        }

        private void tell(String verdict) {
            if (told.isPresent() && !told.get().equals(verdict)) {
                violations.add(key.saleId() + " was told " + told.get() + ", then " + verdict);
            }
            told = Optional.of(verdict);
        }

        void disconnected(int incarnation) {
            if (waitingOn == incarnation) {
                waitingOn = -1;
                scheduler.at(1_000 + random.nextLong(4_000), this::send);
            }
        }
    }

    private void check() {
        Map<SaleKey, Long> heldBySale = new LinkedHashMap<>();
        Map<SimGateway.TenderRef, Long> heldByTender = new LinkedHashMap<>();
        for (SimGateway.Trade trade : gateway.trades()) {
            if (trade.amountFen == 0) {
                continue;
            }
            heldBySale.merge(trade.tender.sale(), trade.netFen(), Long::sum);
            heldByTender.merge(trade.tender, trade.netFen(), Long::sum);
            if (table.find(trade.outTradeNo).isEmpty()) {
                violations.add("a trade without a payment intent: " + trade.outTradeNo);
            }
        }
        for (Terminal terminal : terminals.values()) {
            SaleKey key = terminal.key;
            Optional<IntentTable.Sale> sale = table.sale(key);
            boolean committed = sale.isPresent() && sale.get().committed();
            long owed = 0;
            if (committed) {
                for (RecordedTender tender : sale.get().tenders()) {
                    if (PaymentOrchestrator.channelOf(TenderKind.valueOf(tender.kind()))
                            .isPresent()) {
                        owed += tender.amountFen();
                        long held = heldByTender.getOrDefault(new SimGateway.TenderRef(key,
                                tender.tenderNumber(), tender.amountFen()), 0L);
                        if (held != tender.amountFen()) {
                            violations.add(key.saleId() + " tender " + tender.tenderNumber()
                                    + ": committed for " + tender.amountFen()
                                    + " fen, the channel holds " + held);
                        }
                    }
                }
            }
            long held = heldBySale.getOrDefault(key, 0L);
            if (held != owed) {
                violations.add(key.saleId() + ": the channels hold " + held + " fen, the "
                        + (committed ? "committed sale's channel tenders are " + owed
                                : "sale is not committed (0 owed)"));
            }
            if (terminal.told.isEmpty()) {
                violations.add(key.saleId() + " never got a final answer");
            } else if (terminal.told.get().equals("committed") && !committed) {
                violations.add(key.saleId() + " LOST: the terminal was told committed");
            } else if (terminal.told.get().equals("failed") && committed) {
                violations.add(key.saleId() + " was told failed but committed");
            }
        }
        for (PaymentIntent intent : table.all()) {
            if (intent.state().isOpen() || intent.capturedWithoutSale()) {
                violations.add("intent " + trace.id(intent.outTradeNo()) + " of "
                        + intent.sale().saleId() + " left " + intent.state()
                        + (intent.capturedWithoutSale() ? " without a sale" : "")
                        + " at the end");
            }
        }
    }
}
