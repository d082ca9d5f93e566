-- Issue 16: state shared by every node of a cluster.
--
-- The per-client request rate as one token bucket per client for the whole cluster. A node takes a
-- batch of tokens with one upsert and serves requests from it locally (abuse/SharedRateBuckets):
--   tokens      what was left in the bucket at refilled_at (it refills at the configured rate up to
--               the burst)
--   refilled_at when the bucket was last brought up to date: the database's clock, so nodes with
--               skewed clocks still share one bucket
--   granted     the tokens the latest statement handed out (0: exhausted), read back by RETURNING
-- A missing row is a full bucket, so rows idle for longer than a full refill are purged.
create table client_rate_bucket (
    client_id   text             primary key,
    tokens      double precision not null,
    refilled_at timestamptz      not null,
    granted     integer          not null
);
create index client_rate_bucket_refilled on client_rate_bucket (refilled_at);

-- Source and client locks are checked from each node's memory (abuse/SourceGuard); a lock set by
-- any node reaches every other one at once by notification, instead of at its next periodic
-- refresh. Payload: kind, lock end in epoch milliseconds, key (keys are at most 200 characters).
create function notify_failure_counter_locked() returns trigger
    language plpgsql as
$$
begin
    perform pg_notify('ostiary_failure_lock', NEW.kind || ' '
        || floor(extract(epoch from NEW.locked_until) * 1000)::bigint || ' ' || NEW.key);
    return null;
end;
$$;

create trigger failure_counter_locked_insert after insert on failure_counter
    for each row when (NEW.locked_until is not null and NEW.kind in ('SOURCE_IP', 'CLIENT'))
    execute function notify_failure_counter_locked();
create trigger failure_counter_locked_update after update on failure_counter
    for each row when (NEW.locked_until is not null and NEW.kind in ('SOURCE_IP', 'CLIENT')
        and NEW.locked_until is distinct from OLD.locked_until)
    execute function notify_failure_counter_locked();
