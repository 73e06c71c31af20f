-- Limits shared by every gateway instance (docs/adr/0009). Each decision is one statement on one row;
-- rows are only worth keeping while a client or username is actually being limited, and a periodic
-- delete (clinic.gateway.ratelimit.LimitRetention) removes the rest. Keys are SHA-256 hex of the client
-- address or username: the tables say who is being limited to nobody who reads them.
--
-- UNLOGGED: no WAL, so a decision's commit does not wait for a disk flush while it holds the row's
-- lock (every public write from one address goes through one row). The price is that a crash or a
-- fail-over starts every limit afresh, which costs a flood a few seconds' head start and nothing else.

-- A token bucket per (limit, client): the tokens left after the last decision, and when.
create unlogged table rate_bucket (
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
create unlogged table login_attempt (
    username    text          primary key,
    attempts    timestamptz[] not null,
    granted     boolean       not null,
    expires_at  timestamptz   not null
);
create index login_attempt_expires_at on login_attempt (expires_at);
