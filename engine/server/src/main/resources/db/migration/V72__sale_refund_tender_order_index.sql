-- What a sale's tenders got back is read by order: the refund path's REFUNDED_TENDERS, the
-- deferred trigger sale_refund_tender_within_paid on every row it inserts, and the foreign key
-- to order_tender. Without an index each of them scanned every refund tender ever written
-- (39 rows per sale after 50,000 sales in the benchmark, growing with the table).
create index sale_refund_tender_order on sale_refund_tender (order_id, tender_number);
