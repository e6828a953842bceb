-- Kassa schema, version 65: what terminals record beyond sales (protocol/SPEC.md 6.18-6.20).
--
--   * Voids: a sale a terminal cancelled before it was paid. The sale itself is fenced in
--     sales_order (status ABANDONED) so that it can never commit; this row says that the
--     terminal asked for it, when and why, for the sale's status and the shift's totals.
--   * Top-ups of stored value at a terminal, idempotent on the terminal's top-up id. The money
--     moves in the ledger (kind STORED_VALUE_TOP_UP) in the same transaction; the row names
--     its ledger transaction.
--   * Shift closes: the window a terminal closed, so that the next shift starts where it ended
--     and a repeated close answers the same window.

create table sale_void (
    store_id    text        not null check (length(store_id) between 1 and 64),
    terminal_id text        not null check (length(terminal_id) between 1 and 64),
    sale_id     text        not null check (length(sale_id) between 1 and 64),
    reason      text        not null default '' check (length(reason) <= 128),
    voided_at   timestamptz not null,
    primary key (store_id, terminal_id, sale_id)
);

create index sale_void_terminal_at on sale_void (store_id, terminal_id, voided_at);

create table terminal_top_up (
    store_id               text        not null check (length(store_id) between 1 and 64),
    terminal_id            text        not null check (length(terminal_id) between 1 and 64),
    top_up_id              text        not null check (length(top_up_id) between 1 and 64),
    member_id              text        not null references member (member_id),
    tender_kind            text        not null check (tender_kind in ('CASH', 'BANK_CARD')),
    amount_fen             bigint      not null check (amount_fen > 0),
    received_fen           bigint      not null check (received_fen >= amount_fen),
    reference              text        not null default '' check (length(reference) <= 64),
    bonus_fen              bigint      not null check (bonus_fen >= 0),
    stored_value_after_fen bigint      not null check (stored_value_after_fen >= 0),
    transaction_id         uuid        not null unique
        references ledger_transaction (transaction_id),
    topped_up_at           timestamptz not null,
    primary key (store_id, terminal_id, top_up_id)
);

create index terminal_top_up_terminal_at on terminal_top_up (store_id, terminal_id, topped_up_at);

create table terminal_shift (
    store_id    text        not null check (length(store_id) between 1 and 64),
    terminal_id text        not null check (length(terminal_id) between 1 and 64),
    shift_id    text        not null check (length(shift_id) between 1 and 64),
    from_at     timestamptz not null,
    until_at    timestamptz not null,
    closed_at   timestamptz not null,
    primary key (store_id, terminal_id, shift_id),
    check (from_at < until_at)
);

create index terminal_shift_terminal_until on terminal_shift (store_id, terminal_id, until_at);
