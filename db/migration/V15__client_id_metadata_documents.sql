-- Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): clients that are not
-- rows of "client". Their authorizations and consents are stored under an id derived from the URL;
-- this table says which URL an id stands for, so Spring can find the client by id after a restart.
create table client_metadata_document (
    id                uuid        primary key,
    client_id         text        not null unique,
    first_resolved_at timestamptz not null default now()
);

-- A consent of such a client has no "client" row to reference. The cascade the foreign key gave is
-- kept by a trigger (as V6 did for authorizations): deleting a client deletes its consents.
alter table oauth2_authorization_consent drop constraint oauth2_authorization_consent_registered_client_id_fkey;

create function delete_client_consents() returns trigger
    language plpgsql as $$
begin
    delete from oauth2_authorization_consent where registered_client_id = old.id;
    return old;
end $$;

create trigger client_deleted_consents after delete on client
    for each row execute function delete_client_consents();
