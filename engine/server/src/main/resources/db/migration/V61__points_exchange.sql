-- Kassa schema, version 61: points exchanged for coupons, and the chain-wide quota of a limited
-- offer (docs/adr/0011-chain-wide-quotas.md).
--
--   * One row per limited offer counts the exchanges it gave. Its check is the arbiter of the
--     quota: whatever Redis believes (it may have been wiped, or be behind), an exchange that
--     would take the count past the stock fails at this row and its whole transaction rolls
--     back. The row is written last in an exchange's transaction, so its lock is held only
--     for the commit.
--   * One row per exchange, keyed by the caller's exchange id: a retry finds it and answers
--     the first result; a concurrent duplicate waits on the member's lock, then finds it.

create table points_exchange_quota (
    offer_id   text        primary key check (offer_id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
    stock      bigint      not null check (stock > 0),
    taken      bigint      not null default 0 check (taken >= 0),
    updated_at timestamptz not null,
    constraint points_exchange_quota_not_oversold check (taken <= stock)
);

create table points_exchange (
    exchange_id    text        primary key check (exchange_id ~ '^[A-Za-z0-9_.:-]{8,64}$'),
    member_id      text        not null references member (member_id),
    offer_id       text        not null check (offer_id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
    coupon_id      text        not null unique references coupon (coupon_id),
    points_spent   bigint      not null check (points_spent > 0),
    points_after   bigint      not null check (points_after >= 0),
    transaction_id uuid        not null unique references ledger_transaction (transaction_id),
    actor          text        not null,
    created_at     timestamptz not null
);

create index points_exchange_offer on points_exchange (offer_id);
create index points_exchange_member on points_exchange (member_id, created_at);
