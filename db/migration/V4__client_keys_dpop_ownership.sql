-- Ostiary schema, part 4: clients that authenticate with keys, DPoP, self-service ownership,
-- administrative locks, and replay protection for signed assertions and DPoP proofs.

alter table client
    -- private_key_jwt: the client's public keys, inline (a JWKS document) or by URL; never a private key
    add column jwks jsonb,
    add column jwks_uri text,
    -- tokens for this client must be DPoP-bound (RFC 9449 §5); public clients' refresh tokens always are
    add column require_dpop boolean not null default false,
    -- the user who registered it on the self-service page, if any
    add column owner_username text,
    add column description text,
    -- client_secret_jwt only: the server must know the secret to check an HMAC assertion, so for those
    -- clients it is also kept AES-GCM-encrypted under the master key (never in clear)
    add column secret_encrypted bytea;
create index client_owner on client (owner_username) where owner_username is not null;

alter table app_user
    -- an administrator's lock, until lifted (unlike lockout, which expires)
    add column locked boolean not null default false,
    -- whether the user may register clients with the legacy password and implicit grants
    add column legacy_grants_allowed boolean not null default false;

-- jti values already seen, until the assertion or proof they came in would have expired anyway.
create table seen_jti (
    kind       text        not null,
    jti_hash   bytea       not null,
    expires_at timestamptz not null,
    primary key (kind, jti_hash)
);
create index seen_jti_expires_at on seen_jti (expires_at);

-- RFC 7591 initial access tokens (hashed) and RFC 7592 registration access tokens (hashed, per client).
create table registration_token (
    token_hash  bytea       primary key,
    kind        text        not null check (kind in ('initial', 'registration')),
    client_id   text,
    created_by  text,
    expires_at  timestamptz,
    used_at     timestamptz,
    created_at  timestamptz not null default now()
);
create index registration_token_client on registration_token (client_id) where client_id is not null;

-- the DPoP key (RFC 7638 thumbprint) the current access token is bound to, so a refresh can check
-- its proof against it without the access token at hand
alter table oauth2_authorization add column access_token_jkt text;
