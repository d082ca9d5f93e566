-- Ostiary schema, part 1: scopes, registered clients, signing keys, authorizations.
-- Token values are never stored: only SHA-256 digests (bytea) of them, looked up by a unique index each.

create table scope (
    name          text        primary key check (name ~ '^[\x21\x23-\x5B\x5D-\x7E]+$'),
    description   text        not null,
    -- a user or service client must hold this role to be granted the scope
    required_role text,
    -- resource server identifier that tokens carrying this scope are audience-restricted to
    audience      text,
    -- shown ticked and fixed on the consent page (openid)
    mandatory     boolean     not null default false,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);

create table client (
    id                          uuid        primary key,
    client_id                   text        not null unique check (length(client_id) between 1 and 200),
    client_name                 text        not null,
    -- keyed hash of the secret ({hmac-sha256}…), null for public clients
    secret_hash                 text,
    secret_expires_at           timestamptz,
    auth_methods                text[]      not null,
    grant_types                 text[]      not null,
    redirect_uris               text[]      not null default '{}',
    post_logout_redirect_uris   text[]      not null default '{}',
    scopes                      text[]      not null default '{}',
    -- roles a client holds when it acts for itself (client_credentials)
    service_roles               text[]      not null default '{}',
    access_token_ttl_seconds    integer     not null default 300 check (access_token_ttl_seconds > 0),
    refresh_token_ttl_seconds   integer     not null default 86400 check (refresh_token_ttl_seconds > 0),
    auth_code_ttl_seconds       integer     not null default 60 check (auth_code_ttl_seconds between 1 and 300),
    implicit_token_ttl_seconds  integer     not null default 300 check (implicit_token_ttl_seconds between 1 and 3600),
    access_token_signing_alg    text        not null default 'RS256' check (access_token_signing_alg in ('RS256', 'ES256')),
    require_consent             boolean     not null default true,
    require_pkce                boolean     not null default true,
    introspection_allowed       boolean     not null default false,
    enabled                     boolean     not null default true,
    created_at                  timestamptz not null default now(),
    updated_at                  timestamptz not null default now()
);

create table signing_key (
    kid                     text        primary key,
    algorithm               text        not null check (algorithm in ('RS256', 'ES256')),
    state                   text        not null check (state in ('next', 'active', 'retired', 'revoked')),
    public_jwk              jsonb       not null,
    -- AES-256-GCM: 12-byte nonce || ciphertext+tag of the PKCS#8 private key
    private_key_ciphertext  bytea       not null,
    -- fingerprint of the master key that encrypted it (first bytes of SHA-256 of the key)
    master_key_id           text        not null,
    created_at              timestamptz not null default now(),
    activated_at            timestamptz,
    retired_at              timestamptz,
    -- a retired key stays published until every token it signed has expired
    publish_until           timestamptz,
    revoked_at              timestamptz
);
-- exactly one signing key per algorithm
create unique index signing_key_one_active_per_algorithm on signing_key (algorithm) where state = 'active';

-- One row per authorization that has state worth keeping (codes, refresh tokens, user access tokens).
-- client_credentials access tokens get no row: they are verified by signature and a revocation list.
create table oauth2_authorization (
    id                      text        primary key,
    registered_client_id    uuid        not null references client (id) on delete cascade,
    principal_name          text        not null,
    grant_type              text        not null,
    authorized_scopes       text[]      not null default '{}',
    -- Spring Authorization Server attributes (principal, authorization request), JSON
    attributes              jsonb,
    state_hash              bytea,
    code_hash               bytea,
    code_issued_at          timestamptz,
    code_expires_at         timestamptz,
    code_metadata           jsonb,
    access_token_hash       bytea,
    access_token_type       text,
    access_token_issued_at  timestamptz,
    access_token_expires_at timestamptz,
    access_token_scopes     text[],
    access_token_invalidated boolean    not null default false,
    refresh_token_hash      bytea,
    refresh_token_issued_at timestamptz,
    refresh_token_expires_at timestamptz,
    refresh_token_metadata  jsonb,
    id_token_hash           bytea,
    id_token_issued_at      timestamptz,
    id_token_expires_at     timestamptz,
    id_token_metadata       jsonb,
    -- the latest expiry of anything in the row; the purge job deletes rows past it
    expires_at              timestamptz not null,
    created_at              timestamptz not null default now()
);
create unique index oauth2_authorization_state on oauth2_authorization (state_hash) where state_hash is not null;
create unique index oauth2_authorization_code on oauth2_authorization (code_hash) where code_hash is not null;
create unique index oauth2_authorization_access_token on oauth2_authorization (access_token_hash) where access_token_hash is not null;
create unique index oauth2_authorization_refresh_token on oauth2_authorization (refresh_token_hash) where refresh_token_hash is not null;
create unique index oauth2_authorization_id_token on oauth2_authorization (id_token_hash) where id_token_hash is not null;
create index oauth2_authorization_client_principal on oauth2_authorization (registered_client_id, principal_name);
create index oauth2_authorization_expires_at on oauth2_authorization (expires_at);

-- Refresh tokens replaced by rotation. Presenting one again means the family leaked (RFC 9700 §4.14.2).
create table oauth2_rotated_refresh_token (
    token_hash       bytea       primary key,
    authorization_id text        not null references oauth2_authorization (id) on delete cascade,
    expires_at       timestamptz not null
);
create index oauth2_rotated_refresh_token_authorization on oauth2_rotated_refresh_token (authorization_id);

-- Revoked access tokens that have no authorization row, by jti, until they expire.
create table revoked_access_token (
    jti        text        primary key,
    client_id  text        not null,
    expires_at timestamptz not null,
    revoked_at timestamptz not null default now()
);
create index revoked_access_token_expires_at on revoked_access_token (expires_at);

create table oauth2_authorization_consent (
    registered_client_id uuid        not null references client (id) on delete cascade,
    principal_name       text        not null,
    authorities          text[]      not null,
    granted_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    primary key (registered_client_id, principal_name)
);
create index oauth2_authorization_consent_principal on oauth2_authorization_consent (principal_name);

-- Instances cache clients, scopes and keys in memory; a change anywhere tells them at once.
create function notify_change() returns trigger
    language plpgsql as
$$
begin
    perform pg_notify(TG_ARGV[0],
        (case when TG_OP = 'DELETE' then to_jsonb(OLD) else to_jsonb(NEW) end) ->> TG_ARGV[1]);
    return null;
end;
$$;

create trigger client_changed after insert or update or delete on client
    for each row execute function notify_change('ostiary_client', 'client_id');
create trigger scope_changed after insert or update or delete on scope
    for each row execute function notify_change('ostiary_scope', 'name');
create trigger signing_key_changed after insert or update or delete on signing_key
    for each row execute function notify_change('ostiary_signing_key', 'kid');
