-- Kassa schema: provisioned terminals and the secrets they authenticate with
-- (protocol/SPEC.md section 7.2, docs/adr/0004-terminal-authentication.md).
--
-- The engine must compute HMAC-SHA256 with the secret itself, so the secret is stored as key
-- material, not as a one-way hash. It is sealed with AES-256-GCM under a key from the
-- environment (KASSA_TERMINAL_SECRET_KEY) when one is configured: a database dump or a replica
-- then holds no usable secret. secret_sealing says which form a row holds, so that sealing can
-- be switched on for a running chain and rows re-sealed by rotating their secrets.

create table terminal (
    terminal_id    text        primary key check (length(terminal_id) between 1 and 64),
    store_id       text        not null check (length(store_id) between 1 and 64),
    secret         bytea       not null,
    secret_sealing text        not null check (secret_sealing in ('plain', 'aes-256-gcm')),
    disabled       boolean     not null default false,
    created_at     timestamptz not null,
    rotated_at     timestamptz,
    -- A plain secret is exactly 32 bytes; a sealed one is a 12-byte IV, 32 bytes of cipher
    -- text and a 16-byte tag.
    constraint terminal_secret_length check (
        (secret_sealing = 'plain' and length(secret) = 32)
        or (secret_sealing = 'aes-256-gcm' and length(secret) = 60))
);

create index terminal_store on terminal (store_id);
