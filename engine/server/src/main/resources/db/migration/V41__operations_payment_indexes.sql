-- Kassa schema, version 41: the metrics sampler reads payment intents resolved since its last
-- look (payments by channel and outcome) through this index instead of scanning the table.

create index payment_intent_resolved on payment_intent (resolved_at)
    where resolved_at is not null;
