-- Kassa schema, version 2: members and their balances, coupons, sales that move them, the
-- outbox that carries committed effects to Redis, and the fence that retires a lost Redis.
--
-- PostgreSQL is the source of truth. Redis holds a hot, atomic copy of each member's points
-- lots, stored value and coupon states, rebuilt from these tables whenever it is lost.

create table member (
    member_id              text        primary key check (length(member_id) between 1 and 64),
    member_code            text        not null unique,
    phone                  text        unique,
    tier                   text        not null default 'NORMAL',
    tier_rank              smallint    not null default 0 check (tier_rank >= 0),
    lifetime_earned_points bigint      not null default 0 check (lifetime_earned_points >= 0),
    birth_month            smallint    check (birth_month between 1 and 12),
    completed_orders       integer     not null default 0 check (completed_orders >= 0),
    last_order_on          date,
    registered_at          timestamptz not null default now()
);

-- One row per points lot: what is left of it and when it expires. Spending decrements,
-- earning inserts, expiry zeroes; the ledger records every movement as well.
create table points_lot (
    lot_id                 text    primary key,
    member_id              text    not null references member (member_id),
    points_remaining       bigint  not null check (points_remaining >= 0),
    earned_on              date    not null,
    expires_on             date    not null,
    birthday_extended_year integer not null default 0,
    order_id               uuid
);

create index points_lot_member on points_lot (member_id) where points_remaining > 0;
create index points_lot_expiring on points_lot (expires_on) where points_remaining > 0;

-- Stored value is a ledger account (member/<id>/stored_value); this row is its running
-- balance, updated in the same transaction as the entries and checked never to go negative.
create table stored_value_balance (
    member_id   text   primary key references member (member_id),
    balance_fen bigint not null check (balance_fen >= 0)
);

-- A coupon's id is the code a customer presents (bearer) or the engine applies (member-bound).
create table coupon (
    coupon_id         text        primary key check (length(coupon_id) between 1 and 64),
    template_id       text        not null,
    member_id         text        references member (member_id),
    state             text        not null check (state in ('AVAILABLE', 'REDEEMED', 'VOID')),
    valid_from        timestamptz not null,
    valid_until       timestamptz not null,
    redeemed_order_id uuid        unique,
    issued_at         timestamptz not null default now(),
    check (valid_from < valid_until),
    check ((state = 'REDEEMED') = (redeemed_order_id is not null))
);

create index coupon_member on coupon (member_id) where state = 'AVAILABLE';

alter table sales_order
    add column member_id     text references member (member_id),
    add column status        text not null default 'COMMITTED'
        check (status in ('COMMITTED', 'ABANDONED')),
    add column points_earned bigint not null default 0 check (points_earned >= 0),
    add column points_spent  bigint not null default 0 check (points_spent >= 0);

-- An abandoned sale is a fence: a row that holds the sale key so that a late commit of the
-- same sale can no longer insert; its amounts are zero.
alter table sales_order drop constraint sales_order_totals;
alter table sales_order add constraint sales_order_totals
    check (status = 'ABANDONED' or subtotal_fen - discount_fen = payable_fen);

-- Points drawn by a sale from each lot, so that a refund restores them to their lots.
create table order_points_draw (
    order_id   uuid   not null references sales_order (order_id),
    lot_id     text   not null references points_lot (lot_id),
    points     bigint not null check (points > 0),
    primary key (order_id, lot_id)
);

-- Effects committed in PostgreSQL that Redis must apply. Applied by the engine right after
-- the commit; anything not marked applied is re-applied (idempotently) by the outbox relay.
create table outbox (
    outbox_id   bigserial   primary key,
    kind        text        not null,
    member_id   text        not null,
    hold_id     text        not null,
    payload     jsonb       not null,
    created_at  timestamptz not null default now(),
    applied_at  timestamptz
);

create index outbox_pending on outbox (outbox_id) where applied_at is null;

-- The generation of the Redis copy that holds may be made in. Rebuilding Redis after a loss
-- starts a new generation here first; a commit whose holds belong to an older generation
-- finds it changed (it reads this row FOR SHARE) and aborts, so nothing reserved in a lost
-- Redis can commit after the rebuild has read the truth.
create table redis_generation (
    singleton  boolean     primary key default true check (singleton),
    generation text        not null,
    started_at timestamptz not null default now()
);

insert into redis_generation (generation) values ('initial');
