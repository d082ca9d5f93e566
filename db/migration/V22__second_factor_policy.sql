-- Step-up (issue 17, docs/sign-in.md "step-up"): where a second factor is required.
--   client.require_second_factor: every sign-in for this client needs acr urn:ostiary:loa:2 (two factors,
--     or a passkey alone); a weaker session is sent to /login/second-factor before a code is issued,
--     and the token endpoint refuses a weaker grant (the password grant without its totp).
--   scope.requires_second_factor: the same, for any request that asks for this scope. ostiary:admin
--     needs it whatever this column says, by the property ostiary.step-up.admin-requires-second-factor
--     (default true), which also makes the admin API refuse user tokens below loa:2: the rule for the
--     admin API cannot be switched off by a catalog edit.
alter table client
    add column require_second_factor boolean not null default false;

alter table scope
    add column requires_second_factor boolean not null default false;
