-- Limits shared by every gateway instance (docs/adr/0009). Each decision is one statement on one row;
-- rows are only worth keeping while a client or username is actually being limited, and a periodic
-- delete (clinic.gateway.ratelimit.LimitRetention) removes the rest. Keys are SHA-256 hex of the client
-- address or username: the tables say who is being limited to nobody who reads them.

-- A token bucket per (limit, client): the tokens left after the last decision, and when.
create table rate_bucket (
    bucket      text             primary key,
    tokens      double precision not null,
    updated_at  timestamptz      not null,
    -- Whether the last decision took a token: RETURNING cannot show the row as it was before.
    granted     boolean          not null,
    -- When the bucket is full again (at the rate that last touched it): from then on the row says nothing.
    full_at     timestamptz      not null
);
create index rate_bucket_full_at on rate_bucket (full_at);

-- Sign-in attempts per username within the lockout window. Each attempt is counted when it begins
-- (as a failure until it succeeds, when the row goes), so parallel guesses cannot slip past the limit.
create table login_attempt (
    username    text          primary key,
    attempts    timestamptz[] not null,
    granted     boolean       not null,
    expires_at  timestamptz   not null
);
create index login_attempt_expires_at on login_attempt (expires_at);
