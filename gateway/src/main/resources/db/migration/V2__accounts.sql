-- Staff accounts, owned by the issuer. A new account has no password until its invitation is used.
create table account (
    id            uuid primary key,
    email         text        not null unique,   -- lower-case, trimmed: the sign-in name
    name          text        not null,
    roles         text[]      not null,
    password_hash text,                          -- DelegatingPasswordEncoder format ({bcrypt}…)
    disabled_at   timestamptz,
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);

-- Invitation and reset links. Only a SHA-256 of the token is kept: a copy of this table opens nothing.
create table account_link (
    token_hash  text primary key,
    account_id  uuid        not null references account (id),
    purpose     text        not null check (purpose in ('INVITE', 'RESET')),
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index account_link_account on account_link (account_id);
