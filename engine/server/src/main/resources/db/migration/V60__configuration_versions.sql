-- The chain's configuration (rules, campaigns, coupon templates, exchange offers), one row per
-- version. Every node prices with the newest version it knows; the cluster announces a new
-- version, and this table is what a node reads when it starts or misses an announcement.
create table chain_rules_version (
    version    bigint      primary key check (version > 0),
    document   text        not null,
    stored_at  timestamptz not null,
    stored_by  text        not null,
    note       text
);
