-- Kassa schema, version 4: what identifies a tender outside Kassa (a bank card's approval
-- code from the PIN pad; later a channel's transaction id), for reconciliation.
alter table order_tender add column reference text not null default ''
    check (length(reference) <= 64);
