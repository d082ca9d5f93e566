-- Ostiary schema, part 19: passkeys (WebAuthn Level 3 credentials), stored the way Spring Security's
-- JdbcUserCredentialRepository reads and writes them (its user-credentials-schema-postgres.sql), tied
-- to our users.
--
-- Spring's user entity (the WebAuthn user handle, §5.4.3) is not a table of its own here: the handle
-- IS the user's app_user.id, its 16 bytes (PasskeyUserEntities). A UUID says nothing about the person
-- (the spec asks that the handle contain no personal data), never changes when the user name does,
-- and two first registrations at once cannot create two handles for one user.

-- The user handle as Spring stores it (base64url of the 16 bytes, no padding) back to the UUID.
-- Immutable, so that it can compute the generated column the foreign key hangs on.
create function passkey_user_id(user_handle text) returns uuid
    language sql immutable strict parallel safe as $$
    select encode(decode(translate(user_handle, '-_', '+/')
                         || repeat('=', (4 - length(user_handle) % 4) % 4), 'base64'), 'hex')::uuid
$$;

create table user_credentials (
    credential_id                varchar(1000) not null primary key,
    user_entity_user_id          varchar(1000) not null,
    -- the owner: a deleted user's passkeys go with them (deprovisioning, the admin API)
    user_id                      uuid          not null generated always as (passkey_user_id(user_entity_user_id)) stored
                                               references app_user (id) on delete cascade,
    -- COSE_Key: a public key only. A dump of this table signs nothing in.
    public_key                   bytea         not null,
    signature_count              bigint,
    uv_initialized               boolean,
    backup_eligible              boolean       not null,
    authenticator_transports     varchar(1000),
    public_key_credential_type   varchar(100),
    backup_state                 boolean       not null,
    attestation_object           bytea,
    attestation_client_data_json bytea,
    created                      timestamptz,
    last_used                    timestamptz,
    -- the name the user gave it; shown on /account/passkeys
    label                        varchar(1000) not null check (length(btrim(label)) between 1 and 64)
);
create index user_credentials_user on user_credentials (user_id);

-- Users asked to register a passkey at their next password sign-in (the demo's carol). The row goes
-- when they register one (PasskeyCredentials.save): one DELETE, nothing to read first.
create table passkey_enrolment_required (
    user_id    uuid        primary key references app_user (id) on delete cascade,
    created_at timestamptz not null default now()
);

-- WebAuthn challenges already answered (§13.4.3: a challenge is used once). Spring keeps the
-- challenge in the session and removes it after the first use, but two requests of one session that
-- read the session at the same moment would both find it; the digest's first insert decides.
create table passkey_challenge_used (
    challenge_digest bytea       primary key,
    expires_at       timestamptz not null
);
create index passkey_challenge_used_expiry on passkey_challenge_used (expires_at);
