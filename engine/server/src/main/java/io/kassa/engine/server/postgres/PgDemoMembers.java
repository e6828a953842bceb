package io.kassa.engine.server.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;

/**
 * Demo members for the demo chain: member-0001 .. member-NNNN, each with 500.00 yuan of stored
 * value, 3,000 points expiring in six months, and coupons taking turns between the two
 * templates (spend 100 get 20 off; 5 off): two by default, more for a benchmark whose members
 * shop several times.
 * Their opening balances are booked as balanced ledger transactions against the chain's
 * opening accounts, so the ledger explains every balance. Idempotent: members already there
 * are left alone. Only ever run against the embedded demo database.
 */
public final class PgDemoMembers {

    public static final long STORED_VALUE_FEN = 50_000;
    public static final long POINTS = 3_000;
    public static final int COUPONS = 2;
    /** Coupons per demo member at most. */
    public static final int COUPONS_MAX = 50;

    private static final String SEED = """
            with new_members as (
              insert into member (member_id, member_code, phone, completed_orders)
              select 'demo-' || lpad(g::text, 4, '0'), 'member-' || lpad(g::text, 4, '0'),
                     '1380000' || lpad(g::text, 4, '0'), 1
                from generate_series(1, $1) g
              on conflict do nothing
              returning member_id
            ), balances as (
              insert into stored_value_balance (member_id, balance_fen)
              select member_id, $2 from new_members returning member_id
            ), lots as (
              insert into points_lot (lot_id, member_id, points_remaining, earned_on, expires_on)
              select 'opening-' || member_id, member_id, $3, $4::date, $5::date from new_members
              returning member_id
            ), coupons as (
              insert into coupon (coupon_id, template_id, member_id, state, valid_from,
                  valid_until)
              select c.template || '-' || m.member_id || case when n > 2 then '-' || n else '' end,
                     c.template, m.member_id, 'AVAILABLE',
                     now() - interval '1 day', now() + interval '30 days'
                from new_members m, generate_series(1, $6) n,
                     lateral (select case when n % 2 = 1 then 'cut-100-20' else 'cash-5' end)
                     as c(template)
              returning member_id
            ), transactions as (
              insert into ledger_transaction (transaction_id, kind, created_at)
              select gen_random_uuid(), 'DEMO_OPENING_BALANCE', now() from new_members
              returning transaction_id
            ), numbered as (
              select t.transaction_id, m.member_id
                from (select transaction_id, row_number() over () as n from transactions) t
                join (select member_id, row_number() over () as n from new_members) m using (n)
            )
            insert into ledger_entry (transaction_id, entry_number, account, amount, unit)
            select transaction_id, e.n, replace(e.account, '@', member_id), e.amount, e.unit
              from numbered, (values
                (1, 'chain/opening_balances', $2::int8, 'CNY'),
                (2, 'member/@/stored_value', -$2::int8, 'CNY'),
                (3, 'chain/opening_points', $3::int8, 'POINTS'),
                (4, 'member/@/points', -$3::int8, 'POINTS')) as e(n, account, amount, unit)""";

    private PgDemoMembers() {
    }

    /** @return the number of ledger entries written (4 per new member) */
    public static Future<Integer> seed(Pool pool, int members, LocalDate today) {
        return seed(pool, members, today, COUPONS);
    }

    /** As {@link #seed(Pool, int, LocalDate)}, with {@code coupons} coupons per member. */
    public static Future<Integer> seed(Pool pool, int members, LocalDate today, int coupons) {
        if (coupons < 0 || coupons > COUPONS_MAX) {
            throw new IllegalArgumentException("coupons per demo member are 0.." + COUPONS_MAX
                    + ": " + coupons);
        }
        return pool.preparedQuery(SEED).execute(Tuple.of(members, STORED_VALUE_FEN, POINTS,
                today.minusDays(30), today.plusMonths(6), coupons))
                .map(rows -> rows.rowCount());
    }
}
