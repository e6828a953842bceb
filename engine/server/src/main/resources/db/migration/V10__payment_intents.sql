-- Payment intents: one row per attempt to take money through an external channel (WeChat
-- Pay, Alipay, UnionPay QR), written before the channel is called.
--
-- The state machine (docs/adr/0008-payment-orchestration.md):
--
--   created -> sent -> succeeded | failed | unknown
--   unknown -> querying -> succeeded | failed | reversing
--   succeeded (not part of a committed sale) -> reversing -> reversed | refunded
--   reversed | failed -> reversing   (a success reported after the reverse: refund it)
--
-- What the database itself guarantees, whatever the code does:
--   * out_trade_no is unique: a merchant order number is never reused for a second attempt;
--   * only the transitions above happen (trigger payment_intent_transition);
--   * a tender of a committed sale paid through a channel names a succeeded intent of the
--     same sale and amount, and an intent belongs to at most one committed sale (trigger
--     order_tender_claims_intent, unique order_id): no sale completes without its money;
--   * an intent that belongs to a committed sale is never reversed: the money of a completed
--     sale goes back only through a refund of the sale.

create table payment_intent (
    out_trade_no    text        primary key
        check (out_trade_no ~ '^[A-Za-z0-9_|*-]{6,32}$'),
    store_id        text        not null check (length(store_id) between 1 and 64),
    terminal_id     text        not null check (length(terminal_id) between 1 and 64),
    sale_id         text        not null check (length(sale_id) between 1 and 64),
    tender_number   integer     not null check (tender_number between 1 and 8),
    attempt         integer     not null check (attempt between 1 and 16),
    channel         text        not null check (length(channel) between 1 and 32),
    tender_kind     text        not null
        check (tender_kind in ('WECHAT_PAY', 'ALIPAY', 'UNIONPAY_QR')),
    amount_fen      bigint      not null check (amount_fen > 0 and amount_fen <= 100000000),
    state           text        not null
        check (state in ('created', 'sent', 'succeeded', 'failed', 'unknown', 'querying',
                         'reversing', 'reversed', 'refunded')),
    channel_state   text        not null default '' check (length(channel_state) <= 64),
    transaction_id  text        not null default '' check (length(transaction_id) <= 64),
    detail          text        not null default '' check (length(detail) <= 256),
    money_returned  boolean     not null default false,
    query_count     integer     not null default 0 check (query_count >= 0),
    reverse_count   integer     not null default 0 check (reverse_count >= 0),
    owner           text        not null default '' check (length(owner) <= 64),
    lease_until     timestamptz not null,
    created_at      timestamptz not null,
    sent_at         timestamptz,
    resolved_at     timestamptz,
    updated_at      timestamptz not null,
    order_id        uuid        references sales_order (order_id),
    constraint payment_intent_attempt_unique
        unique (store_id, terminal_id, sale_id, tender_number, attempt),
    constraint payment_intent_committed_is_succeeded
        check (order_id is null or state = 'succeeded'),
    constraint payment_intent_sent_time check (state = 'created' or sent_at is not null
        or state = 'failed')
);

-- What the janitor looks for: intents not final whose owner's lease has run out.
create index payment_intent_open on payment_intent (lease_until)
    where state in ('created', 'sent', 'unknown', 'querying', 'reversing')
       or (state = 'succeeded' and order_id is null);
create index payment_intent_sale on payment_intent (store_id, terminal_id, sale_id);
create index payment_intent_created on payment_intent (created_at);

create function payment_intent_transition() returns trigger
language plpgsql set search_path from current as $$
begin
    if old.order_id is not null and new.order_id is distinct from old.order_id then
        raise exception 'intent % belongs to order % for good', old.out_trade_no, old.order_id
            using errcode = 'check_violation';
    end if;
    if old.state = new.state then
        return new;
    end if;
    if not (
           (old.state = 'created'   and new.state in ('sent', 'failed'))
        or (old.state = 'sent'      and new.state in ('succeeded', 'failed', 'unknown',
                                                      'querying', 'reversing'))
        or (old.state = 'unknown'   and new.state in ('querying', 'succeeded', 'failed',
                                                      'reversing'))
        or (old.state = 'querying'  and new.state in ('succeeded', 'failed', 'reversing',
                                                      'refunded'))
        or (old.state = 'succeeded' and new.state in ('reversing') and old.order_id is null)
        or (old.state = 'reversing' and new.state in ('reversed', 'refunded', 'failed'))
        or (old.state = 'reversed'  and new.state in ('reversing') and not old.money_returned)
        or (old.state = 'failed'    and new.state in ('reversing'))
    ) then
        raise exception 'payment intent % may not go from % to %',
            old.out_trade_no, old.state, new.state using errcode = 'check_violation';
    end if;
    return new;
end;
$$;

create trigger payment_intent_transition before update on payment_intent
    for each row execute function payment_intent_transition();

-- A channel tender of a sale names its intent by out_trade_no (order_tender.reference). The
-- intent must have succeeded for this sale and amount and not belong to another sale; it is
-- claimed for this order in the same transaction.
create function order_tender_claims_intent() returns trigger
language plpgsql set search_path from current as $$
declare
    claimed integer;
begin
    if new.kind not in ('WECHAT_PAY', 'ALIPAY', 'UNIONPAY_QR') then
        return new;
    end if;
    update payment_intent i
       set order_id = new.order_id, updated_at = now()
      from sales_order o
     where i.out_trade_no = new.reference
       and o.order_id = new.order_id
       and i.store_id = o.store_id and i.terminal_id = o.terminal_id
       and i.sale_id = o.sale_id
       and i.state = 'succeeded'
       and i.amount_fen = new.amount_fen
       and i.order_id is null;
    get diagnostics claimed = row_count;
    if claimed <> 1 then
        raise exception 'tender % of order % names no succeeded, unclaimed intent % of its'
            ' sale and amount', new.tender_number, new.order_id, new.reference
            using errcode = 'check_violation';
    end if;
    return new;
end;
$$;

create trigger order_tender_claims_intent before insert on order_tender
    for each row execute function order_tender_claims_intent();

-- Refunds of committed sales through a channel's refund API, one row per tender refund,
-- idempotent on out_refund_no (also the channel's idempotency key).
create table payment_refund (
    out_refund_no   text        primary key
        check (out_refund_no ~ '^[A-Za-z0-9_|*-]{6,32}$'),
    refund_id       text        not null check (length(refund_id) between 1 and 64),
    out_trade_no    text        not null references payment_intent (out_trade_no),
    amount_fen      bigint      not null check (amount_fen > 0),
    state           text        not null check (state in ('requested', 'refunded', 'refused')),
    channel_refund_id text      not null default '',
    detail          text        not null default '' check (length(detail) <= 256),
    created_at      timestamptz not null,
    updated_at      timestamptz not null
);

create index payment_refund_trade on payment_refund (out_trade_no);
