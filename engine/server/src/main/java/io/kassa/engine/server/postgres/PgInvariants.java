package io.kassa.engine.server.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The money invariants PostgreSQL can check on its own, each a query listing what breaks it.
 * A healthy ledger answers every query with no rows. Used by tests after every fault scenario
 * and by operators through {@code java -jar kassa-engine.jar check-invariants}.
 */
public final class PgInvariants {

    /** Rows shown per broken invariant; the count is always complete. */
    public static final int EXAMPLES_MAX = 5;

    /** Invariant name → a query whose rows are the violations, as (subject, detail). */
    static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put("every ledger transaction balances in each unit", """
                select transaction_id::text, unit || ' entries sum to ' || sum(amount)
                  from ledger_entry group by transaction_id, unit having sum(amount) <> 0""");
        QUERIES.put("points lots sum to the member's points account", """
                with ledger as (
                  select substring(account from '^member/(.*)/points$') as member_id,
                         -sum(amount) as points
                    from ledger_entry where account like 'member/%/points'
                   group by 1),
                lots as (
                  select member_id, sum(points_remaining) as points
                    from points_lot group by member_id)
                select coalesce(l.member_id, p.member_id),
                       'lots hold ' || coalesce(p.points, 0) || ', the ledger says '
                       || coalesce(l.points, 0)
                  from ledger l full outer join lots p using (member_id)
                 where coalesce(l.points, 0) <> coalesce(p.points, 0)""");
        QUERIES.put("stored value balances equal the member's stored-value account", """
                with ledger as (
                  select substring(account from '^member/(.*)/stored_value$') as member_id,
                         -sum(amount) as fen
                    from ledger_entry where account like 'member/%/stored_value'
                   group by 1)
                select coalesce(l.member_id, b.member_id),
                       'balance ' || coalesce(b.balance_fen, 0) || ' fen, the ledger says '
                       || coalesce(l.fen, 0)
                  from ledger l full outer join stored_value_balance b using (member_id)
                 where coalesce(l.fen, 0) <> coalesce(b.balance_fen, 0)""");
        QUERIES.put("no balance is negative", """
                select member_id, 'stored value ' || balance_fen from stored_value_balance
                 where balance_fen < 0
                union all
                select lot_id, 'lot of ' || member_id || ' holds ' || points_remaining
                  from points_lot where points_remaining < 0""");
        QUERIES.put("every redeemed coupon belongs to one committed sale", """
                select c.coupon_id, 'redeemed by order ' || c.redeemed_order_id || ' ('
                       || coalesce(o.status, 'missing') || ')'
                  from coupon c left join sales_order o on o.order_id = c.redeemed_order_id
                 where c.state = 'REDEEMED' and (o.order_id is null or o.status <> 'COMMITTED')""");
        QUERIES.put("every committed sale is paid exactly and booked once", """
                select o.order_id::text, 'tenders ' || coalesce(t.paid, 0) || ', payable '
                       || o.payable_fen || ', ledger transactions ' || coalesce(x.bookings, 0)
                  from sales_order o
                  left join (select order_id, sum(amount_fen) as paid from order_tender
                              group by order_id) t using (order_id)
                  left join (select order_id, count(*) as bookings from ledger_transaction
                              where kind = 'SALE' group by order_id) x using (order_id)
                 where o.status = 'COMMITTED'
                   and (coalesce(t.paid, 0) <> o.payable_fen or coalesce(x.bookings, 0) <> 1)""");
        QUERIES.put("no abandoned sale holds money", """
                select o.order_id::text, 'abandoned sale with tenders or ledger entries'
                  from sales_order o
                 where o.status = 'ABANDONED'
                   and (exists (select 1 from order_tender t where t.order_id = o.order_id)
                        or exists (select 1 from ledger_transaction x
                                    where x.order_id = o.order_id))""");
        QUERIES.put("every committed refund returns its lines' net and is booked once", """
                select r.refund_uuid::text, r.state || ': lines ' || coalesce(l.net, 0)
                       || ', tender shares ' || coalesce(t.shares, 0) || ', refunded '
                       || r.refunded_fen || ', ledger transactions ' || coalesce(x.bookings, 0)
                  from sale_refund r
                  left join (select refund_uuid, sum(net_fen) as net from sale_refund_line
                              group by refund_uuid) l using (refund_uuid)
                  left join (select refund_uuid, sum(share_fen) as shares
                               from sale_refund_tender group by refund_uuid) t
                       using (refund_uuid)
                  left join (select transaction_id as refund_uuid, count(*) as bookings
                               from ledger_transaction where kind = 'REFUND'
                              group by transaction_id) x using (refund_uuid)
                 where (r.state = 'COMMITTED' and (coalesce(l.net, 0) <> r.refunded_fen
                        or coalesce(t.shares, 0) <> r.refunded_fen
                        or coalesce(x.bookings, 0) <> 1))
                    or (r.state <> 'COMMITTED' and (l.net is not null
                        or t.shares is not null or x.bookings is not null))""");
        QUERIES.put("no tender gets back more than it paid", """
                select t.order_id::text || '/' || t.tender_number,
                       'refunded ' || sum(r.share_fen) || ' of ' || t.amount_fen
                  from order_tender t join sale_refund_tender r using (order_id, tender_number)
                 group by t.order_id, t.tender_number, t.amount_fen
                having sum(r.share_fen) > t.amount_fen""");
        // A red packet's shares are its whole amount, it counts the shares opened, and each
        // opened share is a coupon of the opener's, worth the share (ADR 0012).
        QUERIES.put("every red packet's shares make its amount and its openings its coupons", """
                select p.packet_id, 'shares sum to ' || coalesce(sum(s.amount_fen), 0)
                       || ' of ' || p.amount_fen || ' fen in ' || count(s.share_number)
                       || ' of ' || p.shares || ' shares; counts ' || p.opened
                       || ' openings, has ' || count(s.member_id)
                  from red_packet p left join red_packet_share s using (packet_id)
                 group by p.packet_id, p.amount_fen, p.shares, p.opened
                having coalesce(sum(s.amount_fen), 0) <> p.amount_fen
                    or count(s.share_number) <> p.shares or count(s.member_id) <> p.opened
                union all
                select s.packet_id || '/' || s.share_number,
                       'share of ' || s.amount_fen || ' fen opened by ' || s.member_id
                       || ' is coupon ' || s.coupon_id || coalesce(' of ' || c.member_id
                       || ' worth ' || c.amount_off_fen, ', which does not exist')
                  from red_packet_share s left join coupon c using (coupon_id)
                 where s.coupon_id is not null and (c.coupon_id is null
                    or c.member_id is distinct from s.member_id
                    or c.amount_off_fen is distinct from s.amount_fen)""");
    }

    /** One broken invariant: how often, and a few examples. */
    public record Violation(String invariant, long count, List<String> examples) {
        public Violation {
            examples = List.copyOf(examples);
        }
    }

    private final Pool pool;

    public PgInvariants(Pool pool) {
        this.pool = pool;
    }

    /** Runs every check; completes with the violated invariants only. */
    public Future<List<Violation>> check() {
        List<Future<Violation>> checks = new ArrayList<>();
        QUERIES.forEach((name, sql) -> checks.add(pool.query(sql).execute().map(rows -> {
            List<String> examples = new ArrayList<>();
            for (Row row : rows) {
                if (examples.size() < EXAMPLES_MAX) {
                    examples.add(row.getString(0) + ": " + row.getString(1));
                }
            }
            return new Violation(name, rows.rowCount(), examples);
        })));
        return Future.all(checks).map(all -> {
            List<Violation> violated = new ArrayList<>();
            for (Future<Violation> check : checks) {
                if (check.result().count() > 0) {
                    violated.add(check.result());
                }
            }
            return violated;
        });
    }

    /** The names of every invariant checked, in order. */
    public static List<String> names() {
        return List.copyOf(QUERIES.keySet());
    }
}
