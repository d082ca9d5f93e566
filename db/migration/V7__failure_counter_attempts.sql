-- Lockout decided before the password is checked (issue 13, H2): every password check first takes
-- one of the key's attempts with a conditional upsert, so a burst of concurrent guesses cannot all
-- pass a lock check that comes before any of their failures is counted.
--   attempts  checks started in the window (failed, in progress, or succeeded during a burst);
--             none is started at or above the threshold
--   in_flight checks started and not yet finished; a success forgets the failures only when it is
--             the only one (a success inside a burst must not reopen the slots the burst used)
alter table failure_counter
    add column attempts  integer not null default 0,
    add column in_flight integer not null default 0;
update failure_counter set attempts = failures;
