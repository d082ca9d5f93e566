-- Ostiary schema, part 14 (issue 15, capabilities 4 and 8).
--
-- Per client opt-ins:
--   require_pushed_authorization_requests: the authorization endpoint accepts this client's requests
--     only by reference to a pushed request (RFC 9126 §5; server-wide it stays false in discovery);
--   require_signed_request_object: its authorization requests must come as a signed request object
--     (RFC 9101 §10.5);
--   fapi2: the FAPI 2.0 Security Profile (PAR, PKCE S256, private_key_jwt, DPoP, codes of 60 s at most),
--     checked when the client is saved and at request time.
alter table client
    add column require_pushed_authorization_requests boolean not null default false,
    add column require_signed_request_object boolean not null default false,
    add column fapi2 boolean not null default false;
