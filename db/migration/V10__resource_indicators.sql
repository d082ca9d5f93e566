-- Ostiary schema, part 10: resource indicators (RFC 8707). A resource is a protected API that a
-- client may ask a token for with the `resource` parameter; the token's aud is then that resource.

-- The resource catalog: the identifier is an absolute URI without a fragment (RFC 8707 §2); the
-- scopes are those a token meant for this resource may carry.
create table resource (
    uri        text        primary key check (length(uri) between 1 and 500 and position('#' in uri) = 0),
    name       text        not null check (length(name) between 1 and 200),
    scopes     text[]      not null default '{}',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create trigger resource_changed after insert or update or delete on resource
    for each row execute function notify_change('ostiary_resource', 'uri');

-- The resources each client may ask tokens for (managed like its scopes).
alter table client add column resources text[] not null default '{}';

-- The admin API is one resource of the catalog. Its identifier had to become an absolute URI (it was
-- ostiary-admin, V8): a token asked for without `resource` still gets its aud from the scope's
-- audience, so the scope names the same identifier, and both ways lead to the same token.
insert into resource (uri, name, scopes)
values ('urn:ostiary:admin-api', 'Ostiary admin API', '{ostiary:admin}')
on conflict (uri) do nothing;

update scope set audience = 'urn:ostiary:admin-api' where name = 'ostiary:admin' and audience = 'ostiary-admin';

-- Clients that may already get admin API tokens (they hold its scope) may name it as a resource.
update client set resources = array(select distinct r from unnest(resources || '{urn:ostiary:admin-api}'::text[]) r order by r)
where 'ostiary:admin' = any(scopes);
