-- Lockout decided before the password is checked (issue 13, H2): every password check first takes
-- one of the key's attempts with a conditional upsert, so a burst of concurrent guesses cannot all
-- pass a lock check that comes before any of their failures is counted. A check may start only
-- while failures + in_flight < threshold.
--   in_flight       checks started and not yet finished
--   last_attempt_at when the last one started: checks unfinished long after that (a crash, the
--                   database lost mid-check) no longer hold their place
alter table failure_counter
    add column in_flight integer not null default 0,
    add column last_attempt_at timestamptz;
