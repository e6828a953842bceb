-- Payment notifications received from the channels, after verification.
--
-- One row per (channel, notification id): a channel resends the same notification for about
-- a day, and the unique key makes the database the arbiter of duplicates, also when resends
-- land on different nodes. The verified content (WeChat Pay's decrypted resource, Alipay's
-- form, UnionPay's JSON) and the raw body are kept as the audit of what the channel said.

create table payment_notification (
    channel          text        not null check (length(channel) between 1 and 32),
    notification_id  text        not null check (length(notification_id) between 1 and 128),
    event_type       text        not null check (length(event_type) <= 64),
    out_trade_no     text        not null check (length(out_trade_no) <= 64),
    transaction_id   text        not null check (length(transaction_id) <= 64),
    channel_state    text        not null check (length(channel_state) <= 32),
    amount_fen       bigint      check (amount_fen >= 0),
    sent_at          timestamptz not null,
    received_at      timestamptz not null,
    verified_content text        not null,
    raw_body         text        not null check (octet_length(raw_body) <= 1048576),
    constraint payment_notification_unique primary key (channel, notification_id)
);

create index payment_notification_trade on payment_notification (channel, out_trade_no);
