-- Device authorization grant (RFC 8628). The device code and the user code of an authorization are
-- stored like every other token value: SHA-256 digests only, each looked up through a unique index.
-- The token endpoint's polling rule (RFC 8628 §3.5, slow_down) is decided on the row in one update:
--   device_polled_at              when the client last polled with the device code
--   device_poll_interval_seconds  the interval it must keep (null: the configured one); slow_down adds 5
--   device_polled_too_fast        whether that last poll came before the interval was over
alter table oauth2_authorization
    add column device_code_hash             bytea,
    add column device_code_issued_at        timestamptz,
    add column device_code_expires_at       timestamptz,
    add column device_code_metadata         jsonb,
    add column user_code_hash               bytea,
    add column user_code_issued_at          timestamptz,
    add column user_code_expires_at         timestamptz,
    add column user_code_metadata           jsonb,
    add column device_polled_at             timestamptz,
    add column device_poll_interval_seconds integer check (device_poll_interval_seconds between 1 and 3600),
    add column device_polled_too_fast       boolean not null default false;
create unique index oauth2_authorization_device_code on oauth2_authorization (device_code_hash)
    where device_code_hash is not null;
create unique index oauth2_authorization_user_code on oauth2_authorization (user_code_hash)
    where user_code_hash is not null;
