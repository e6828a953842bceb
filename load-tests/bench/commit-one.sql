-- pgbench: the engine's commit transaction for ONE member checkout, statement by statement
-- (as PgSalesLedger + PgMemberEffects write it): 3 lines, 3 tenders (points, stored value,
-- cash), 8 ledger entries, one lot drawn, one lot earned, stored value, member, outbox.
-- Sent as the engine sends a batch: BEGIN, then every statement pipelined, then COMMIT (the
-- ids are made here, as the engine makes them, so no statement waits for another's answer).
-- Run against the schema the ledger benchmark seeded (bench_ledger). Variable: members.
\set m random(0, :members - 1)
\set r random(1, 9000000000000000)
\startpipeline
BEGIN;
SELECT generation FROM bench_ledger.redis_generation FOR SHARE;
INSERT INTO bench_ledger.sales_order (order_id, store_id, terminal_id, sale_id,
    request_fingerprint, currency, subtotal_fen, discount_fen, payable_fen, change_fen,
    committed_at, member_id, points_earned, points_spent)
  VALUES (md5('o' || :r)::uuid, 'store-001', 'T-pgbench-' || :client_id, :r::text, 'f', 'CNY',
          10160, 0, 10160, 0, now(), 'bench-' || :m, 90, 100);
INSERT INTO bench_ledger.order_line (order_id, line_number, sku, category, name,
    unit_price_fen, quantity, gross_fen, discount_fen, net_fen)
  VALUES (md5('o' || :r)::uuid, 1, 'milk', 'dairy', '', 1250, 2, 2500, 0, 2500),
         (md5('o' || :r)::uuid, 2, 'rice', 'grocery', '', 4990, 1, 4990, 0, 4990),
         (md5('o' || :r)::uuid, 3, 'soap', 'household', '', 890, 3, 2670, 0, 2670);
INSERT INTO bench_ledger.order_tender (order_id, tender_number, kind, amount_fen, received_fen)
  VALUES (md5('o' || :r)::uuid, 1, 'POINTS', 100, 100),
         (md5('o' || :r)::uuid, 2, 'STORED_VALUE', 1000, 1000),
         (md5('o' || :r)::uuid, 3, 'CASH', 9060, 9060);
INSERT INTO bench_ledger.ledger_transaction (transaction_id, kind, order_id, created_at)
  VALUES (md5('t' || :r)::uuid, 'SALE', md5('o' || :r)::uuid, now());
INSERT INTO bench_ledger.ledger_entry (transaction_id, entry_number, account, amount, unit)
  VALUES (md5('t' || :r)::uuid, 1, 'store/store-001/tender/POINTS', 100, 'CNY'),
         (md5('t' || :r)::uuid, 2, 'member/bench-' || :m || '/stored_value', 1000, 'CNY'),
         (md5('t' || :r)::uuid, 3, 'store/store-001/tender/CASH', 9060, 'CNY'),
         (md5('t' || :r)::uuid, 4, 'store/store-001/sales', -10160, 'CNY'),
         (md5('t' || :r)::uuid, 5, 'store/store-001/points_issued', 90, 'POINTS'),
         (md5('t' || :r)::uuid, 6, 'member/bench-' || :m || '/points', -90, 'POINTS'),
         (md5('t' || :r)::uuid, 7, 'member/bench-' || :m || '/points', 100, 'POINTS'),
         (md5('t' || :r)::uuid, 8, 'store/store-001/points_redeemed', -100, 'POINTS');
UPDATE bench_ledger.points_lot SET points_remaining = points_remaining - 100
  WHERE lot_id = 'seed-' || :m;
INSERT INTO bench_ledger.order_points_draw (order_id, lot_id, points)
  VALUES (md5('o' || :r)::uuid, 'seed-' || :m, 100);
INSERT INTO bench_ledger.points_lot (lot_id, member_id, points_remaining, earned_on,
    expires_on, birthday_extended_year, order_id)
  VALUES (md5('o' || :r)::text, 'bench-' || :m, 90, current_date, current_date + 365, 0,
          md5('o' || :r)::uuid);
UPDATE bench_ledger.stored_value_balance SET balance_fen = balance_fen - 1000
  WHERE member_id = 'bench-' || :m;
UPDATE bench_ledger.member SET lifetime_earned_points = lifetime_earned_points + 90,
    completed_orders = completed_orders + 1, last_order_on = current_date
  WHERE member_id = 'bench-' || :m
  RETURNING member_id, profile_version, tier, tier_rank, lifetime_earned_points,
            completed_orders, last_order_on;
INSERT INTO bench_ledger.outbox (kind, member_id, hold_id, payload)
  VALUES ('COMMIT_HOLD', 'bench-' || :m, :r::text, '{"today":"2026-11-22"}')
  RETURNING outbox_id, hold_id;
COMMIT;
\endpipeline
