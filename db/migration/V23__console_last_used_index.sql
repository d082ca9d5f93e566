-- Ostiary schema, part 23: when each client last had a token issued, read by index alone.
-- The operator console lists clients with their last token.issued event and filters those without one
-- in N days (docs/console.md): one probe per client. audit_event_client_time serves the probe but keeps
-- no type, so every probe also read the event's heap page to check it; with 10,000 clients and a million
-- events that alone was 280 ms per page (docs/performance.md#operator-console). This index holds only
-- token.issued events, and the probe is an index-only scan once autovacuum has marked the pages visible.
create index audit_event_token_issued_client on audit_event (client_id, occurred_at desc)
    where type = 'token.issued' and client_id is not null;
