-- Account recovery and self-registration (issue 17, item 4; docs/sign-in.md#recovery).

-- A user's e-mail address: optional, stored lower-case (compared case-insensitively, as people type
-- them), one account per address. email_verified: the owner proved they read mail sent to it (a
-- link from us came back); only a verified address gets password reset links.
alter table app_user
    add column email          text check (email = lower(email) and length(email) between 3 and 254),
    add column email_verified boolean not null default false;
create unique index app_user_email on app_user (email) where email is not null;

-- Single-use links sent by mail: password reset, registration and address verification. Only the
-- SHA-256 of the link's 256-bit token is stored (a dump yields no usable link); using a link is one
-- "delete ... returning" on its digest, so of any number of concurrent uses exactly one gets the row.
--   purpose  PASSWORD_RESET | REGISTRATION | EMAIL_CHANGE
--   email    the address the link was sent to (for REGISTRATION and EMAIL_CHANGE: the one it verifies)
create table account_link (
    token_digest bytea       primary key,
    purpose      text        not null check (purpose in ('PASSWORD_RESET', 'REGISTRATION', 'EMAIL_CHANGE')),
    user_id      uuid        not null references app_user (id) on delete cascade,
    email        text        not null,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null
);
create index account_link_user on account_link (user_id);
create index account_link_expiry on account_link (expires_at);

-- How many mails a key (the digest of an address, a user or a source address: never the value) was
-- sent in the current window, so the forms cannot be used to flood a mailbox. One upsert decides.
create table mail_budget (
    key_digest        bytea       primary key,
    sent              integer     not null,
    window_started_at timestamptz not null
);
create index mail_budget_window on mail_budget (window_started_at);
