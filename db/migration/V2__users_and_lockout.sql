-- Ostiary schema, part 2: resource owners and the counters behind lockout.

create table app_user (
    id            uuid        primary key,
    -- stored lower-case: user names are case-insensitive
    username      text        not null unique check (username = lower(username) and length(username) between 1 and 100),
    -- Argon2id hash ({argon2}…)
    password_hash text        not null,
    enabled       boolean     not null default true,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);

create table user_role (
    user_id uuid not null references app_user (id) on delete cascade,
    role    text not null check (role ~ '^[A-Z][A-Z0-9_]*$'),
    primary key (user_id, role)
);

-- Failed attempts per key (a user name, whether it exists or not; later also a source address or
-- a client), counted in a window. Rows exist only while something is failing: success deletes.
create table failure_counter (
    kind              text        not null,
    key               text        not null,
    failures          integer     not null,
    window_started_at timestamptz not null,
    locked_until      timestamptz,
    primary key (kind, key)
);
create index failure_counter_window on failure_counter (window_started_at);
