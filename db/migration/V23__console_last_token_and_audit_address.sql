-- Ostiary schema, part 23: what the operator console's lists read (docs/console.md).

-- When each client last had a token issued: the newest token.issued event per client, kept by the audit
-- trail as it writes events (audit/AuditTrail). The console lists it and filters clients without a
-- token in N days. Read from audit_event, that was one probe per client into a million events
-- (280 ms a page for 10,000 clients, docs/performance.md#operator-console); here it is one row per
-- client. It also outlives the audit retention, so "last used" reaches back further than the trail.
create table client_last_token (
    client_id      text        primary key references client (client_id) on delete cascade,
    last_issued_at timestamptz not null
);
insert into client_last_token (client_id, last_issued_at)
select a.client_id, max(a.occurred_at) from audit_event a
where a.type = 'token.issued' and exists (select 1 from client c where c.client_id = a.client_id)
group by a.client_id;

-- The console's audit log filters by address (who else did that address try?): without an index a
-- rare address walked the whole trail newest first.
create index audit_event_source_ip_time on audit_event (source_ip, occurred_at desc) where source_ip is not null;
