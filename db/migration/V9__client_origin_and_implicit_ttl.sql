-- Ostiary schema, part 9 (issue 13, review M6 and I2).
--
-- Who registered a client: an administrator (first party), a signed-in user on the self-service page,
-- or a dynamic registration (RFC 7591). Consent and login pages mark the last two as not verified,
-- and they always ask for consent, even for openid alone.
alter table client
    add column registered_by text not null default 'admin'
        check (registered_by in ('admin', 'user', 'registration'));
update client set registered_by = 'user' where owner_username is not null;
update client set registered_by = 'registration'
    where owner_username is null and client_id in (select client_id from registration_token where client_id is not null);

-- docs/security.md: implicit tokens live 5 minutes at most (was up to an hour).
update client set implicit_token_ttl_seconds = 300 where implicit_token_ttl_seconds > 300;
alter table client drop constraint client_implicit_token_ttl_seconds_check;
alter table client add constraint client_implicit_token_ttl_seconds_check
    check (implicit_token_ttl_seconds between 1 and 300);

-- The client name as compared for duplicates: NFKC, lower case, no white space. Computed by
-- PostgreSQL, so rows inserted by any means have it and the comparison has one definition.
alter table client add column name_key text generated always as
    (lower(regexp_replace(normalize(client_name, NFKC), '[[:space:]]+', '', 'g'))) stored;
create index client_name_key on client (name_key);
