package io.kassa.engine.server.checkout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The day's payment intents against a channel's statement: every difference listed, none
 * resolved here (a person, or the janitor for open intents, acts on the report). Pure.
 *
 * <p>The statement is the simulator's (and the channels' daily bill's) CSV:
 * {@code channel,out_trade_no,transaction_id,amount_fen,status,time} with a header line, one
 * line per trade; status one of USER_PAYING, SUCCESS, FAILED, CLOSED, REVERSED, REFUNDED.
 */
public final class PaymentReconciliation {

    /** Most statement lines read: a day of one busy chain is far below this. */
    public static final int STATEMENT_LINES_MAX = 5_000_000;

    private PaymentReconciliation() {
    }

    /** A statement line. */
    public record StatementLine(String channel, String outTradeNo, String transactionId,
            long amountFen, String status) {
    }

    public enum MismatchKind {
        /** The channel has a trade Kassa has no intent for. */
        MISSING_IN_KASSA,
        /** Kassa has an intent that reached the channel, the statement has no trade for it. */
        MISSING_AT_CHANNEL,
        AMOUNT_DIFFERS,
        /** Money taken at one side and not at the other (paid vs reversed, failed, ...). */
        STATUS_DIFFERS,
    }

    public record Mismatch(MismatchKind kind, String channel, String outTradeNo,
            String explanation) {
    }

    /** @throws IllegalArgumentException on a malformed line (with its number) */
    public static List<StatementLine> parse(String csv) {
        List<StatementLine> lines = new ArrayList<>();
        String[] rows = csv.split("\n", -1);
        for (int index = 1; index < rows.length; index++) {
            String row = rows[index].strip();
            if (row.isEmpty()) {
                continue;
            }
            if (lines.size() >= STATEMENT_LINES_MAX) {
                throw new IllegalArgumentException("statement longer than "
                        + STATEMENT_LINES_MAX + " lines");
            }
            String[] fields = row.split(",", -1);
            if (fields.length < 5) {
                throw new IllegalArgumentException("statement line " + (index + 1)
                        + " has " + fields.length + " fields, 6 expected");
            }
            try {
                lines.add(new StatementLine(fields[0], fields[1], fields[2],
                        Long.parseLong(fields[3]), fields[4]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("statement line " + (index + 1)
                        + ": amount is not a whole number of fen", e);
            }
        }
        return lines;
    }

    /** Every mismatch between the intents (none refunded) and the statement lines. */
    public static List<Mismatch> reconcile(List<PaymentIntent> intents,
            List<StatementLine> statement) {
        return reconcile(intents, Map.of(), statement);
    }

    /**
     * Every mismatch between the intents and the statement lines, where {@code refundedFen}
     * says how much of each trade (by out_trade_no) Kassa refunded after its sale: a trade
     * Kassa refunded in part or whole is REFUNDED on the channel's statement, one it kept the
     * money of is SUCCESS, and one without money anything else.
     */
    public static List<Mismatch> reconcile(List<PaymentIntent> intents,
            Map<String, Long> refundedFen, List<StatementLine> statement) {
        Map<String, StatementLine> byTrade = new HashMap<>();
        for (StatementLine line : statement) {
            byTrade.put(line.channel() + "/" + line.outTradeNo(), line);
        }
        List<Mismatch> mismatches = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (PaymentIntent intent : intents) {
            String key = intent.channel().name() + "/" + intent.outTradeNo();
            seen.add(key);
            StatementLine line = byTrade.get(key);
            boolean kassaHasMoney = intent.state() == IntentState.SUCCEEDED;
            boolean kassaRefunded = intent.state() == IntentState.REFUNDED
                    || kassaHasMoney && refundedFen.getOrDefault(intent.outTradeNo(), 0L) > 0;
            if (line == null) {
                if (kassaHasMoney) {
                    mismatches.add(new Mismatch(MismatchKind.MISSING_AT_CHANNEL,
                            intent.channel().name(), intent.outTradeNo(),
                            "Kassa counts " + intent.amountFen() + " fen paid; the statement"
                                    + " has no such trade"));
                }
                continue;
            }
            if (line.amountFen() != intent.amountFen()) {
                mismatches.add(new Mismatch(MismatchKind.AMOUNT_DIFFERS, line.channel(),
                        line.outTradeNo(), "Kassa " + intent.amountFen() + " fen, statement "
                                + line.amountFen() + " fen"));
            }
            String kassaStatus = kassaRefunded ? "REFUNDED" : kassaHasMoney ? "SUCCESS" : "";
            String channelStatus = line.status().equals("SUCCESS")
                    || line.status().equals("REFUNDED") ? line.status() : "";
            if (!kassaStatus.equals(channelStatus) || intent.state().isOpen()) {
                mismatches.add(new Mismatch(MismatchKind.STATUS_DIFFERS, line.channel(),
                        line.outTradeNo(), "Kassa " + intent.state().sql()
                                + (kassaRefunded && kassaHasMoney ? " (refunded "
                                        + refundedFen.get(intent.outTradeNo()) + " fen)" : "")
                                + ", statement " + line.status()));
            }
        }
        for (StatementLine line : statement) {
            if (!seen.contains(line.channel() + "/" + line.outTradeNo())) {
                mismatches.add(new Mismatch(MismatchKind.MISSING_IN_KASSA, line.channel(),
                        line.outTradeNo(), "statement " + line.status() + " "
                                + line.amountFen() + " fen; Kassa has no intent"));
            }
        }
        return mismatches;
    }
}
