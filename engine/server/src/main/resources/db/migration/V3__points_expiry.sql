-- Kassa schema, version 3: reminders of points about to expire.
--
-- The expiry job writes one row per member and expiry date when points will expire within the
-- reminder window; whatever sends messages to members reads and marks them.

create table points_expiry_reminder (
    member_id  text        not null references member (member_id),
    expires_on date        not null,
    points     bigint      not null check (points > 0),
    created_at timestamptz not null default now(),
    sent_at    timestamptz,
    primary key (member_id, expires_on)
);
