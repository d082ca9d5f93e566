-- Ostiary schema, part 16 (issue 15, logout): one pending back-channel logout per client, user and
-- session. Sixteen concurrent sign-outs of one session queued sixteen rows, each delivered and
-- retried on its own (an account could multiply the POSTs to a client's logout URI). The outbox now
-- holds the fact "tell this client that this session ended" once; a second sign-out of the same
-- session while it is pending adds nothing (insert … on conflict do nothing).
delete from backchannel_logout a
 using backchannel_logout b
 where a.id > b.id
   and a.registered_client_id = b.registered_client_id
   and a.issuer = b.issuer and a.subject = b.subject
   and a.sid is not distinct from b.sid;
create unique index backchannel_logout_once
    on backchannel_logout (registered_client_id, issuer, subject, (coalesce(sid, '')));
