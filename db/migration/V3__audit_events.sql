-- Ostiary schema, part 3: the audit trail.
-- A fixed vocabulary of event types; never secrets or token values in details.
-- client_credentials token issuance is recorded as one row per client per minute (details.count),
-- not one row per token: the token endpoint writes nothing per request.

create table audit_event (
    id          bigserial   primary key,
    occurred_at timestamptz not null,
    type        text        not null check (type ~ '^[a-z_]+\.[a-z_]+$'),
    client_id   text,
    username    text,
    source_ip   text,
    details     jsonb       not null default '{}'
);
create index audit_event_occurred_at on audit_event (occurred_at desc);
create index audit_event_type_time on audit_event (type, occurred_at desc);
create index audit_event_client_time on audit_event (client_id, occurred_at desc) where client_id is not null;
create index audit_event_user_time on audit_event (username, occurred_at desc) where username is not null;
