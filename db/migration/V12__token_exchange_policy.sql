-- Ostiary schema, part 12 (issue 15, token exchange, RFC 8693).
--
-- A client may exchange tokens only if its grant_types list urn:ietf:params:oauth:grant-type:token-exchange,
-- and then only within this policy (ClientRules checks it on save, grant/tokenexchange at each request):
-- the clients whose access tokens it may present as subject_token (the client each was issued to), the
-- audiences it may ask for, and whether it may impersonate (no actor_token) or only delegate.
alter table client
    add column token_exchange_subject_clients text[] not null default '{}',
    add column token_exchange_audiences text[] not null default '{}',
    add column token_exchange_impersonation boolean not null default false;
