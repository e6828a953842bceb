-- pgbench: the engine's group-commit transaction for a BATCH of 16 member checkouts of the
-- same shape as commit-one.sql, written as the engine writes a batch: one multi-row statement
-- per table, pipelined (BEGIN, the statements, COMMIT sent without waiting). Each pgbench
-- "transaction" is 16 checkouts: multiply its TPS by 16.
\set m random(0, :members - 16)
\startpipeline
BEGIN;
SELECT generation FROM bench_ledger.redis_generation FOR SHARE;
WITH orders AS (
  INSERT INTO bench_ledger.sales_order (order_id, store_id, terminal_id, sale_id,
      request_fingerprint, currency, subtotal_fen, discount_fen, payable_fen, change_fen,
      committed_at, member_id, points_earned, points_spent)
    SELECT gen_random_uuid(), 'store-001', 'T-pgbench', gen_random_uuid()::text, 'f', 'CNY',
           10160, 0, 10160, 0, now(), 'bench-' || (:m + g), 90, 100
      FROM generate_series(0, 15) g
    ON CONFLICT (store_id, terminal_id, sale_id) DO NOTHING
    RETURNING order_id, member_id
), lines AS (
  INSERT INTO bench_ledger.order_line (order_id, line_number, sku, category, name,
      unit_price_fen, quantity, gross_fen, discount_fen, net_fen)
    SELECT order_id, l.n, l.sku, l.category, '', l.price, l.qty, l.price * l.qty, 0,
           l.price * l.qty
      FROM orders, (VALUES (1, 'milk', 'dairy', 1250, 2), (2, 'rice', 'grocery', 4990, 1),
                           (3, 'soap', 'household', 890, 3)) AS l(n, sku, category, price, qty)
), tenders AS (
  INSERT INTO bench_ledger.order_tender (order_id, tender_number, kind, amount_fen,
      received_fen)
    SELECT order_id, t.n, t.kind, t.fen, t.fen
      FROM orders, (VALUES (1, 'POINTS', 100), (2, 'STORED_VALUE', 1000), (3, 'CASH', 9060))
           AS t(n, kind, fen)
), transactions AS (
  INSERT INTO bench_ledger.ledger_transaction (transaction_id, kind, order_id, created_at)
    SELECT gen_random_uuid(), 'SALE', order_id, now() FROM orders
    RETURNING transaction_id, order_id
), entries AS (
  INSERT INTO bench_ledger.ledger_entry (transaction_id, entry_number, account, amount, unit)
    SELECT tr.transaction_id, e.n, replace(e.account, 'M', o.member_id), e.amount, e.unit
      FROM transactions tr JOIN orders o USING (order_id),
           (VALUES (1, 'store/store-001/tender/POINTS', 100, 'CNY'),
                   (2, 'member/M/stored_value', 1000, 'CNY'),
                   (3, 'store/store-001/tender/CASH', 9060, 'CNY'),
                   (4, 'store/store-001/sales', -10160, 'CNY'),
                   (5, 'store/store-001/points_issued', 90, 'POINTS'),
                   (6, 'member/M/points', -90, 'POINTS'),
                   (7, 'member/M/points', 100, 'POINTS'),
                   (8, 'store/store-001/points_redeemed', -100, 'POINTS'))
           AS e(n, account, amount, unit)
), draws AS (
  INSERT INTO bench_ledger.order_points_draw (order_id, lot_id, points)
    SELECT order_id, 'seed-' || substr(member_id, 7), 100 FROM orders
), earned AS (
  INSERT INTO bench_ledger.points_lot (lot_id, member_id, points_remaining, earned_on,
      expires_on, birthday_extended_year, order_id)
    SELECT order_id::text, member_id, 90, current_date, current_date + 365, 0, order_id
      FROM orders
)
INSERT INTO bench_ledger.outbox (kind, member_id, hold_id, payload)
  SELECT 'COMMIT_HOLD', member_id, gen_random_uuid()::text, '{"today":"2026-11-22"}'
    FROM orders;
UPDATE bench_ledger.points_lot SET points_remaining = points_remaining - 100
  WHERE lot_id IN (SELECT 'seed-' || (:m + g) FROM generate_series(0, 15) g);
UPDATE bench_ledger.stored_value_balance SET balance_fen = balance_fen - 1000
  WHERE member_id IN (SELECT 'bench-' || (:m + g) FROM generate_series(0, 15) g);
UPDATE bench_ledger.member SET lifetime_earned_points = lifetime_earned_points + 90,
    completed_orders = completed_orders + 1, last_order_on = current_date
  WHERE member_id IN (SELECT 'bench-' || (:m + g) FROM generate_series(0, 15) g);
COMMIT;
\endpipeline
