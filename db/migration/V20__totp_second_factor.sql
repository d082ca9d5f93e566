-- Second factor (issue 17): an authenticator app (TOTP, RFC 6238) and single-use recovery codes.

-- One authenticator app per user. The secret is sealed with the master key (AES-256-GCM, the user's
-- id as associated data, so a row copied onto another user does not decrypt); a dump yields nothing
-- usable. confirmed_at is null while the enrolment waits for its first code.
create table totp_credential (
    user_id       uuid        primary key references app_user (id) on delete cascade,
    secret_sealed bytea       not null,
    master_key_id text        not null,
    confirmed_at  timestamptz,
    -- the last time step (unix time / 30 s) a code was accepted for: a code works once, and no code
    -- of an earlier step works after it (RFC 6238 §5.2). Moved only by a conditional update.
    last_step     bigint,
    created_at    timestamptz not null default now()
);

-- Recovery codes: HMAC-SHA-256 under a key derived from the server pepper, of the user's id and the
-- normalized code (60 random bits each). A row is deleted when its code is used (DELETE … RETURNING:
-- exactly one request wins).
create table recovery_code (
    user_id     uuid        not null references app_user (id) on delete cascade,
    code_digest bytea       not null,
    created_at  timestamptz not null default now(),
    primary key (user_id, code_digest)
);
