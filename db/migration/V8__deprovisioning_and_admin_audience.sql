-- Ostiary schema, part 8: deprovisioning takes effect at once, and the admin API has its own audience.

-- Changing, locking or deleting a user revokes every authorization of theirs in one statement
-- (PostgresAuthorizationService.removeByPrincipal): without this index that is a scan of the whole
-- table while the admin waits. Costs one more index entry per stored authorization.
create index oauth2_authorization_principal on oauth2_authorization (principal_name);

-- The admin API is a resource of its own (RFC 8707 / RFC 9068 §4: a resource server accepts only
-- tokens whose aud names it). Its scope is not shared with any other API: tokens carrying it are
-- audience-restricted to ostiary-admin, and the admin API refuses any token meant for another API.
insert into scope (name, description, required_role, audience, mandatory)
values ('ostiary:admin', 'Administer this Ostiary server (clients, users, scopes, keys)', 'ADMIN',
        'ostiary-admin', false)
on conflict (name) do nothing;

-- RFC 7592 registration access tokens die with their client, however it is deleted (admin API,
-- self-service, owner deleted, DCR): a client created later under the same client_id must not be
-- manageable with the old client's token.
create function delete_client_registration_tokens() returns trigger
    language plpgsql as $$
begin
    delete from registration_token where kind = 'registration' and client_id = old.client_id;
    return old;
end $$;

create trigger client_deleted_registration_tokens after delete on client
    for each row execute function delete_client_registration_tokens();
