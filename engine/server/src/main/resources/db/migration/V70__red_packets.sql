-- Kassa schema, version 70: split red packets (拼手气红包).
--
--   * A packet: one sharer's amount cut into a number of shares when it is created (the split
--     is the core's RedPacketSplit, from the seed stored here, so it can be recomputed and
--     checked; the seed is never shown, since it tells the shares not yet opened). Created
--     once per request id. Friends open it until its deadline. Its store is the sharer's home
--     store (none for a member without one): whose managers see the packet.
--   * One row per share, in the order shares are handed out. Opening a share fills its row
--     with the opener, the coupon issued for its amount and the time. The packet's row lock is
--     the arbiter between openers on any node: an opening locks the packet, finds the member's
--     share or takes the next free one, and counts it on the packet, whose check refuses an
--     opening past the last share. unique (packet, member) refuses a second share to a member.
--   * A coupon may carry its own amount off (a share's), which replaces the amount of its
--     template (the chain's SPLIT_RED_PACKET template gives scope, exclusions and validity).

alter table coupon
    add column amount_off_fen bigint check (amount_off_fen > 0);

create table red_packet (
    packet_id         text        primary key check (packet_id ~ '^RP[0-9A-F]{16}$'),
    request_id        text        not null unique check (request_id ~ '^[A-Za-z0-9_.:-]{8,64}$'),
    template_id       text        not null check (length(template_id) between 1 and 64),
    sharer_member_id  text        not null references member (member_id),
    store_id          text        check (length(store_id) between 1 and 64),
    amount_fen        bigint      not null check (amount_fen between 1 and 20000),
    shares            int         not null check (shares between 1 and 100),
    minimum_share_fen bigint      not null check (minimum_share_fen >= 1),
    seed              bigint      not null,
    opened            int         not null default 0,
    open_until        timestamptz not null,
    actor             text        not null,
    created_at        timestamptz not null,
    check (created_at < open_until),
    check (minimum_share_fen * shares <= amount_fen),
    constraint red_packet_not_overopened check (opened between 0 and shares)
);

create index red_packet_sharer on red_packet (sharer_member_id, created_at);

create table red_packet_share (
    packet_id    text        not null references red_packet (packet_id),
    share_number int         not null check (share_number >= 1),
    amount_fen   bigint      not null check (amount_fen > 0),
    member_id    text        references member (member_id),
    coupon_id    text        unique references coupon (coupon_id),
    opened_at    timestamptz,
    primary key (packet_id, share_number),
    constraint red_packet_share_once_per_member unique (packet_id, member_id),
    check ((member_id is null) = (coupon_id is null)),
    check ((member_id is null) = (opened_at is null))
);

create index red_packet_share_member on red_packet_share (member_id)
    where member_id is not null;
