-- Refunds of committed sales, whole or per line (DOMAIN.md, ARCHITECTURE.md step 5).
--
-- 1. What a sale must keep so that a refund never recomputes it from rules that may have
--    changed since: each line's earned points (the order's floored points attributed by
--    largest remainder), the bonus points, the redemption rate, and each points draw's order
--    and dates (a refund puts points back into the lots they came from, last draw first).
--    Sales committed before this version read as earning nothing per line, which refunds
--    then claw back nothing for: the safe side for the member.
--
-- 2. The refunds themselves. A refund is recorded PENDING first (before the member's points
--    are taken out of the hot copy), then COMMITTED in one transaction with its lines,
--    tender shares, ledger transaction and member effects, or ABANDONED (its hold in the hot
--    copy is then released, and the refund id may be used again). What the database itself
--    guarantees:
--      * a refund id (per refunding store and terminal) names one live refund;
--      * one refund at a time per sale is being recorded (the sequence is unique per sale);
--      * a line of a sale is refunded at most once, ever (sale_refund_line's key);
--      * no tender gets back more than it paid (trigger sale_refund_tender_within_paid);
--      * a channel refund (payment_refund) is written before the channel is called, and is
--        idempotent at the channel on its out_refund_no.

alter table order_line add column earned_points bigint not null default 0
    check (earned_points >= 0);

alter table sales_order
    add column bonus_points    bigint not null default 0 check (bonus_points >= 0),
    add column points_per_yuan bigint not null default 100 check (points_per_yuan > 0);

alter table order_points_draw
    add column draw_number            integer not null default 0 check (draw_number >= 0),
    add column earned_on              date,
    add column expires_on             date,
    add column birthday_extended_year integer not null default 0;

create table sale_refund (
    refund_uuid         uuid        primary key,
    store_id            text        not null check (length(store_id) between 1 and 64),
    terminal_id         text        not null check (length(terminal_id) between 1 and 64),
    refund_id           text        not null check (length(refund_id) between 1 and 64),
    order_id            uuid        not null references sales_order (order_id),
    sequence            integer     not null check (sequence >= 1),
    request_fingerprint text        not null check (length(request_fingerprint) <= 1024),
    state               text        not null
        check (state in ('PENDING', 'COMMITTED', 'ABANDONED')),
    member_id           text        references member (member_id),
    hold_id             text        not null default '' check (length(hold_id) <= 64),
    refunded_fen        bigint      not null check (refunded_fen >= 0),
    points_restored     bigint      not null default 0 check (points_restored >= 0),
    points_clawed_back  bigint      not null default 0 check (points_clawed_back >= 0),
    shortfall_fen       bigint      not null default 0 check (shortfall_fen >= 0),
    full_refund         boolean     not null default false,
    answer              jsonb       not null,
    created_at          timestamptz not null,
    lease_until         timestamptz not null,
    committed_at        timestamptz
);

create unique index sale_refund_key on sale_refund (store_id, terminal_id, refund_id)
    where state <> 'ABANDONED';
create unique index sale_refund_sequence on sale_refund (order_id, sequence)
    where state <> 'ABANDONED';
create index sale_refund_order on sale_refund (order_id);
create index sale_refund_pending on sale_refund (lease_until) where state = 'PENDING';
create index sale_refund_hold_to_release on sale_refund (refund_uuid)
    where state = 'ABANDONED' and hold_id <> '';

create table sale_refund_line (
    order_id    uuid    not null,
    line_number integer not null,
    refund_uuid uuid    not null references sale_refund (refund_uuid),
    net_fen     bigint  not null check (net_fen >= 0),
    primary key (order_id, line_number),
    foreign key (order_id, line_number) references order_line (order_id, line_number)
);

create table sale_refund_tender (
    refund_uuid   uuid    not null references sale_refund (refund_uuid),
    order_id      uuid    not null,
    tender_number integer not null,
    kind          text    not null,
    share_fen     bigint  not null check (share_fen >= 0),
    amount_fen    bigint  not null check (amount_fen >= 0 and amount_fen <= share_fen),
    primary key (refund_uuid, tender_number),
    foreign key (order_id, tender_number) references order_tender (order_id, tender_number)
);

create function sale_refund_tender_within_paid() returns trigger
language plpgsql set search_path from current as $$
declare
    paid bigint;
    refunded bigint;
begin
    select amount_fen into paid from order_tender
     where order_id = new.order_id and tender_number = new.tender_number;
    select coalesce(sum(share_fen), 0) into refunded from sale_refund_tender
     where order_id = new.order_id and tender_number = new.tender_number;
    if refunded > paid then
        raise exception 'tender % of order % would get back % fen, it paid %',
            new.tender_number, new.order_id, refunded, paid using errcode = 'check_violation';
    end if;
    return null;
end;
$$;

create constraint trigger sale_refund_tender_within_paid
    after insert or update on sale_refund_tender
    deferrable initially deferred
    for each row execute function sale_refund_tender_within_paid();

-- The channel refunds of a committed refund, one per external tender with money to return.
-- 'requested' until the channel answers definitely; the refund janitor repeats the call with
-- the same out_refund_no once the lease has run out.
alter table payment_refund
    add column refund_uuid   uuid references sale_refund (refund_uuid),
    add column tender_number integer check (tender_number >= 1),
    add column attempts      integer not null default 0 check (attempts >= 0),
    add column lease_until   timestamptz;

create index payment_refund_open on payment_refund (lease_until) where state = 'requested';
create index payment_refund_of_refund on payment_refund (refund_uuid);
