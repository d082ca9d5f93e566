-- Ostiary schema, part 13 (issue 15, capability 7): OpenID Connect Back-Channel Logout 1.0.
--
-- Where a client wants to hear that a user signed out (§2.2 of the spec: backchannel_logout_uri,
-- backchannel_logout_session_required). Checked on save like redirect URIs: https (http only to a
-- loopback host in development), no fragment; delivered only through the safe fetcher.
alter table client
    add column backchannel_logout_uri text check (length(backchannel_logout_uri) <= 2000),
    add column backchannel_logout_session_required boolean not null default false;

-- The outbox of logout tokens still to deliver (§2.7: the OP retries). A row is the fact that a
-- client must be told, not the token: each attempt signs a fresh, short-lived logout token with the
-- same jti, so a retry an hour later is not an expired token. An instance claims due rows with
-- "for update skip locked" and a lease (claimed_until), so several instances never post one twice at
-- once, and a crash mid-delivery leaves the row to be claimed again when the lease ends.
create table backchannel_logout (
    id                   bigserial   primary key,
    registered_client_id uuid        not null references client (id) on delete cascade,
    -- the ID token's iss and sub, which the client knows the user by
    issuer               text        not null,
    subject              text        not null,
    -- the session id the client knows (the ID token's sid), if any
    sid                  text,
    jti                  text        not null unique,
    attempts             integer     not null default 0,
    next_attempt_at      timestamptz not null,
    claimed_until        timestamptz,
    last_error           text,
    created_at           timestamptz not null default now()
);
create index backchannel_logout_due on backchannel_logout (next_attempt_at);
