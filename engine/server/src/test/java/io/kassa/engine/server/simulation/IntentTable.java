package io.kassa.engine.server.simulation;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.checkout.CommittedSale;
import io.kassa.engine.server.checkout.IntentState;
import io.kassa.engine.server.checkout.PaymentIntent;
import io.kassa.engine.server.checkout.PaymentIntents.NewIntent;
import io.kassa.engine.server.checkout.PaymentIntents.Transition;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.checkout.SalesLedger.RecordResult;
import io.kassa.engine.server.checkout.SalesLedger.RecordedTender;
import io.kassa.engine.server.checkout.SalesLedger.SaleRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The simulation's database: {@code payment_intent}, {@code sales_order} (committed and
 * abandoned sales) and {@code payment_notification}, with the semantics PostgreSQL gives them
 * (migration V10, {@code PgPaymentIntents}, {@code PgSalesLedger}): conditional transitions,
 * the transition trigger, the unique attempt, the tender that claims its intent, the fence.
 * Each method is one atomic statement or transaction; {@code IntentTableConformanceTest}
 * checks the intents' part against PostgreSQL itself.
 */
final class IntentTable {

    /** A statement PostgreSQL would refuse (constraint, trigger): the caller's future fails. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private static final Set<IntentState> CLAIMABLE = EnumSet.of(IntentState.CREATED,
            IntentState.SENT, IntentState.UNKNOWN, IntentState.QUERYING, IntentState.REVERSING);

    private static final Set<String> CHANNEL_KINDS = Set.of("WECHAT_PAY", "ALIPAY",
            "UNIONPAY_QR");

    private static final class Row {
        final long rowNumber;
        final NewIntent created;
        final Instant createdAt;
        IntentState state = IntentState.CREATED;
        String channelState = "";
        String transactionId = "";
        String detail = "";
        boolean moneyReturned;
        int queryCount;
        int reverseCount;
        String owner;
        Instant leaseUntil;
        Instant sentAt;
        UUID orderId;

        Row(long rowNumber, NewIntent created, Instant createdAt) {
            this.rowNumber = rowNumber;
            this.created = created;
            this.createdAt = createdAt;
            this.owner = created.owner();
            this.leaseUntil = created.leaseUntil();
        }

        PaymentIntent view() {
            return new PaymentIntent(created.outTradeNo(), created.sale(),
                    created.tenderNumber(), created.attempt(), created.channel(),
                    created.tenderKind(), created.amountFen(), state, channelState,
                    transactionId, detail, moneyReturned, queryCount, reverseCount, owner,
                    leaseUntil, createdAt, Optional.ofNullable(sentAt),
                    Optional.ofNullable(orderId));
        }
    }

    /** A row of {@code sales_order}: committed with its tenders, or abandoned (fenced). */
    record Sale(boolean committed, Optional<CommittedSale> sale, List<RecordedTender> tenders) {
    }

    private final Map<String, Row> intents = new LinkedHashMap<>();
    private final Map<String, Row> byAttempt = new LinkedHashMap<>();
    private final Map<SaleKey, Sale> sales = new LinkedHashMap<>();
    private final Set<String> notifications = new HashSet<>();

    PaymentIntent create(NewIntent intent, Instant now) {
        check(intent.channel() != null && intent.amountFen() > 0
                && intent.amountFen() <= 100_000_000L, "payment_intent checks");
        String attempt = intent.sale() + "#" + intent.tenderNumber() + "#" + intent.attempt();
        check(!intents.containsKey(intent.outTradeNo()), "payment_intent_pkey");
        check(!byAttempt.containsKey(attempt), "payment_intent_attempt_unique");
        Row row = new Row(intents.size(), intent, now);
        intents.put(intent.outTradeNo(), row);
        byAttempt.put(attempt, row);
        return row.view();
    }

    Optional<PaymentIntent> transition(String outTradeNo, Set<IntentState> from,
            Transition transition, Instant now) {
        Row row = intents.get(outTradeNo);
        IntentState to = transition.to();
        if (row == null || !from.contains(row.state)
                || (row.orderId != null && row.state != to)
                || (row.state == IntentState.REVERSED && row.moneyReturned
                        && to != IntentState.REVERSED)) {
            return Optional.empty();
        }
        if (row.state != to && !allowed(row.state, to, row.orderId != null,
                row.moneyReturned)) {
            throw new Refused("payment intent " + outTradeNo + " may not go from "
                    + row.state.sql() + " to " + to.sql());
        }
        Instant sentAt = to == IntentState.SENT ? now : row.sentAt;
        check(to == IntentState.CREATED || sentAt != null || to == IntentState.FAILED,
                "payment_intent_sent_time");
        row.state = to;
        transition.channelState().ifPresent(value -> row.channelState = value);
        transition.transactionId().ifPresent(value -> row.transactionId = value);
        transition.detail().ifPresent(value -> row.detail = value);
        transition.moneyReturned().ifPresent(value -> row.moneyReturned = value);
        row.queryCount += transition.countQuery() ? 1 : 0;
        row.reverseCount += transition.countReverse() ? 1 : 0;
        transition.leaseUntil().ifPresent(value -> row.leaseUntil = value);
        row.sentAt = sentAt;
        return Optional.of(row.view());
    }

    /** The trigger {@code payment_intent_transition}, for a change of state. */
    static boolean allowed(IntentState from, IntentState to, boolean claimed,
            boolean moneyReturned) {
        switch (from) {
            case CREATED:
                return to == IntentState.SENT || to == IntentState.FAILED;
            case SENT:
                return EnumSet.of(IntentState.SUCCEEDED, IntentState.FAILED, IntentState.UNKNOWN,
                        IntentState.QUERYING, IntentState.REVERSING).contains(to);
            case UNKNOWN:
                return EnumSet.of(IntentState.QUERYING, IntentState.SUCCEEDED,
                        IntentState.FAILED, IntentState.REVERSING).contains(to);
            case QUERYING:
                return EnumSet.of(IntentState.SUCCEEDED, IntentState.FAILED,
                        IntentState.REVERSING, IntentState.REFUNDED).contains(to);
            case SUCCEEDED:
                return to == IntentState.REVERSING && !claimed;
            case REVERSING:
                return EnumSet.of(IntentState.REVERSED, IntentState.REFUNDED,
                        IntentState.FAILED).contains(to);
            case REVERSED:
                return to == IntentState.REVERSING && !moneyReturned;
            case FAILED:
                return to == IntentState.REVERSING;
            default:
                return false;
        }
    }

    Optional<PaymentIntent> find(String outTradeNo) {
        return Optional.ofNullable(intents.get(outTradeNo)).map(Row::view);
    }

    List<PaymentIntent> ofSale(SaleKey sale) {
        List<PaymentIntent> found = new ArrayList<>();
        intents.values().stream().filter(row -> row.created.sale().equals(sale))
                .sorted(Comparator.comparingInt((Row row) -> row.created.tenderNumber())
                        .thenComparingInt(row -> row.created.attempt()))
                .forEach(row -> found.add(row.view()));
        return found;
    }

    /** Earliest lease first; among equal leases, the older row (PostgreSQL leaves it open). */
    Optional<PaymentIntent> claimOverdue(String owner, Instant now, Duration lease) {
        Row due = null;
        for (Row row : intents.values()) {
            boolean open = CLAIMABLE.contains(row.state)
                    || (row.state == IntentState.SUCCEEDED && row.orderId == null);
            if (open && row.leaseUntil.isBefore(now)
                    && (due == null || row.leaseUntil.isBefore(due.leaseUntil))) {
                due = row;
            }
        }
        if (due == null) {
            return Optional.empty();
        }
        due.owner = owner;
        due.leaseUntil = now.plus(lease);
        return Optional.of(due.view());
    }

    List<PaymentIntent> all() {
        List<PaymentIntent> all = new ArrayList<>(intents.size());
        intents.values().forEach(row -> all.add(row.view()));
        return all;
    }

    /**
     * {@code PgSalesLedger.record}: nothing if the key is taken (the sale recorded earlier, or
     * fenced); else the order and its tenders in one transaction, each channel tender claiming
     * its succeeded intent of the same sale and amount ({@code order_tender_claims_intent}).
     */
    /** What a sale's key holds: committed, fenced, or nothing yet. */
    java.util.Optional<RecordResult> find(SaleKey key) {
        Sale existing = sales.get(key);
        if (existing == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(existing.committed()
                ? new RecordResult.AlreadyRecorded(existing.sale().get())
                : new RecordResult.Fenced(key));
    }

    RecordResult record(SaleRecord record) {
        SaleKey key = record.sale().key();
        Sale existing = sales.get(key);
        if (existing != null) {
            return existing.committed() ? new RecordResult.AlreadyRecorded(existing.sale().get())
                    : new RecordResult.Fenced(key);
        }
        List<Row> claims = new ArrayList<>();
        for (RecordedTender tender : record.tenders()) {
            if (!CHANNEL_KINDS.contains(tender.kind())) {
                continue;
            }
            Row row = intents.get(tender.reference());
            if (row == null || !row.created.sale().equals(key)
                    || row.state != IntentState.SUCCEEDED
                    || row.created.amountFen() != tender.amountFen() || row.orderId != null
                    || claims.contains(row)) {
                throw new Refused("tender " + tender.tenderNumber() + " of order "
                        + record.sale().orderId() + " names no succeeded, unclaimed intent "
                        + tender.reference() + " of its sale and amount");
            }
            claims.add(row);
        }
        for (Row row : claims) {
            row.orderId = record.sale().orderId();
        }
        sales.put(key, new Sale(true, Optional.of(record.sale()), record.tenders()));
        return new RecordResult.Recorded(record.sale());
    }

    /** {@code PgSalesLedger.fence}: true when the sale is (now) abandoned. */
    boolean fence(SaleKey key) {
        Sale existing = sales.putIfAbsent(key, new Sale(false, Optional.empty(), List.of()));
        return existing == null || !existing.committed();
    }

    Optional<Sale> sale(SaleKey key) {
        return Optional.ofNullable(sales.get(key));
    }

    /** {@code payment_notification}'s unique key: true when recorded now, false for a resend. */
    boolean recordNotification(ChannelId channel, String notificationId) {
        return notifications.add(channel.name() + "/" + notificationId);
    }

    private static void check(boolean holds, String constraint) {
        if (!holds) {
            throw new Refused("violates " + constraint);
        }
    }

    static TenderKind kindOf(ChannelId channel) {
        return channel.equals(ChannelId.WECHAT_PAY) ? TenderKind.WECHAT_PAY
                : channel.equals(ChannelId.ALIPAY) ? TenderKind.ALIPAY : TenderKind.UNIONPAY_QR;
    }
}
