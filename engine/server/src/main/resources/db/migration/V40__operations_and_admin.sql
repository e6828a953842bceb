-- Kassa schema, version 40: what operations and the admin API need (docs/adr/0007).
--
--   * API keys with roles; only a SHA-256 of each key's secret is stored, so a dump of this
--     table opens nothing. A bootstrap HQ key comes from the environment and is never stored.
--   * The audit log: every change made through the admin API, who made it, and the object
--     before and after. Append-only, like the ledger.
--   * A member's home store, for the object-level checks of store managers.
--   * Idempotency of admin writes that move money or points (a retried request answers the
--     first result and writes nothing twice).
--   * Indexes for the reports and the metrics sampler's incremental reads.

create table admin_api_key (
    key_id      text        primary key check (key_id ~ '^[a-z0-9]{8,32}$'),
    secret_hash bytea       not null check (length(secret_hash) = 32),
    name        text        not null check (length(name) between 1 and 100),
    role        text        not null check (role in ('HQ_ADMIN', 'STORE_MANAGER', 'OPS_READ')),
    store_ids   text[]      not null default '{}',
    disabled    boolean     not null default false,
    created_at  timestamptz not null,
    created_by  text        not null,
    -- A store manager manages at least one store; the other roles are not scoped to stores.
    check ((role = 'STORE_MANAGER') = (cardinality(store_ids) > 0))
);

create table admin_audit (
    audit_id    bigserial   primary key,
    at          timestamptz not null,
    actor       text        not null,
    role        text        not null,
    action      text        not null,
    object_type text        not null,
    object_id   text        not null,
    before      jsonb,
    after       jsonb,
    request_id  text
);

create index admin_audit_object on admin_audit (object_type, object_id);
create index admin_audit_at on admin_audit (at);

create function admin_audit_is_append_only() returns trigger
language plpgsql set search_path from current as $$
begin
    raise exception 'the audit log is append-only: % refused', tg_op
        using errcode = 'insufficient_privilege';
end;
$$;

create trigger admin_audit_append_only before update or delete on admin_audit
    for each row execute function admin_audit_is_append_only();

-- One row per idempotent admin write: the same (kind, request id) answers the stored result.
create table admin_operation (
    kind       text        not null,
    request_id text        not null check (length(request_id) between 1 and 64),
    actor      text        not null,
    result     jsonb       not null,
    created_at timestamptz not null,
    primary key (kind, request_id)
);

-- Why an administrative ledger transaction was made (an adjustment's reason, a top-up's store):
-- shown in a member's points history. The ledger itself stays as V1 made it.
create table admin_ledger_note (
    transaction_id uuid primary key references ledger_transaction (transaction_id),
    note           text not null check (length(note) <= 500)
);

-- Stored-value top-up bonuses: topping up at least threshold_fen earns bonus_fen on top (the
-- highest threshold reached applies). Seeded with the demo chain's "top up 100, get 20".
create table stored_value_bonus_rule (
    threshold_fen bigint primary key check (threshold_fen > 0),
    bonus_fen     bigint not null check (bonus_fen >= 0 and bonus_fen <= threshold_fen)
);

insert into stored_value_bonus_rule values (10000, 2000), (50000, 12000);

alter table member add column home_store_id text check (length(home_store_id) between 1 and 64);
create index member_home_store on member (home_store_id);

create index sales_order_committed on sales_order (committed_at);
create index sales_order_member on sales_order (member_id, committed_at);
create index ledger_transaction_kind_created on ledger_transaction (kind, created_at);
create index coupon_template on coupon (template_id);
