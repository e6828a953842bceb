-- Kassa schema, version 1: completed sales and the double-entry ledger.
--
-- Invariants live in constraints, not in the application alone:
--   * a sale id is unique per store and terminal (the idempotency arbiter);
--   * every amount has its sign checked, and line and order arithmetic is checked per row;
--   * the entries of every ledger transaction sum to zero in each unit (fen of CNY, loyalty
--     points), checked at commit by a deferred constraint trigger, so no code path can write
--     an unbalanced transaction.

create table sales_order (
    order_id            uuid        primary key,
    store_id            text        not null check (length(store_id) between 1 and 64),
    terminal_id         text        not null check (length(terminal_id) between 1 and 64),
    sale_id             text        not null check (length(sale_id) between 1 and 64),
    request_fingerprint text        not null,
    currency            char(3)     not null,
    subtotal_fen        bigint      not null check (subtotal_fen >= 0),
    discount_fen        bigint      not null check (discount_fen >= 0),
    payable_fen         bigint      not null check (payable_fen >= 0),
    change_fen          bigint      not null check (change_fen >= 0),
    committed_at        timestamptz not null,
    constraint sales_order_sale_unique unique (store_id, terminal_id, sale_id),
    constraint sales_order_totals check (subtotal_fen - discount_fen = payable_fen)
);

create index sales_order_store_committed on sales_order (store_id, committed_at);

create table order_line (
    order_id       uuid    not null references sales_order (order_id),
    line_number    integer not null check (line_number >= 1),
    sku            text    not null,
    category       text    not null,
    name           text    not null default '',
    unit_price_fen bigint  not null check (unit_price_fen >= 0),
    quantity       integer not null check (quantity >= 1),
    gross_fen      bigint  not null check (gross_fen >= 0),
    discount_fen   bigint  not null check (discount_fen >= 0),
    net_fen        bigint  not null check (net_fen >= 0),
    primary key (order_id, line_number),
    constraint order_line_gross check (gross_fen = unit_price_fen * quantity),
    constraint order_line_net check (gross_fen - discount_fen = net_fen)
);

create table order_tender (
    order_id      uuid    not null references sales_order (order_id),
    tender_number integer not null check (tender_number >= 1),
    kind          text    not null,
    amount_fen    bigint  not null check (amount_fen > 0),
    received_fen  bigint  not null check (received_fen >= amount_fen),
    primary key (order_id, tender_number)
);

create table ledger_transaction (
    transaction_id uuid        primary key,
    kind           text        not null,
    order_id       uuid        references sales_order (order_id),
    created_at     timestamptz not null
);

create index ledger_transaction_order on ledger_transaction (order_id);

create table ledger_entry (
    transaction_id uuid    not null references ledger_transaction (transaction_id),
    entry_number   integer not null check (entry_number >= 1),
    account        text    not null,
    amount         bigint  not null check (amount <> 0),
    unit           text    not null check (unit in ('CNY', 'POINTS')),
    primary key (transaction_id, entry_number)
);

create index ledger_entry_account on ledger_entry (account);

-- Functions pin the search path they were created with, so a session with another search
-- path (a report, psql, pgbench) still checks the right tables.
create function ledger_transaction_must_balance() returns trigger
language plpgsql set search_path from current as $$
declare
    unbalanced bigint;
begin
    select sum(amount) into unbalanced
      from ledger_entry where transaction_id = new.transaction_id and unit = new.unit;
    if unbalanced <> 0 then
        raise exception 'ledger transaction % does not balance: its % entries sum to %',
            new.transaction_id, new.unit, unbalanced
            using errcode = 'check_violation';
    end if;
    return null;
end;
$$;

-- Deferred to commit, so a transaction's entries may be inserted one by one and are judged
-- together; checked once per inserted row, which at a handful of entries per sale is cheap.
create constraint trigger ledger_entry_balanced
    after insert or update on ledger_entry
    deferrable initially deferred
    for each row execute function ledger_transaction_must_balance();

-- The ledger is append-only: a correction is a new transaction, never an edit.
create function ledger_is_append_only() returns trigger
language plpgsql set search_path from current as $$
begin
    raise exception 'the ledger is append-only: % on % refused', tg_op, tg_table_name
        using errcode = 'insufficient_privilege';
end;
$$;

create trigger ledger_entry_append_only before update or delete on ledger_entry
    for each row execute function ledger_is_append_only();
create trigger ledger_transaction_append_only before update or delete on ledger_transaction
    for each row execute function ledger_is_append_only();
