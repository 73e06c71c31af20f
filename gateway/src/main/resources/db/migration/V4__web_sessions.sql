-- The web front's sessions (HttpOnly cookie). Only a SHA-256 of the cookie value is kept, so a copy
-- of this table signs nobody in. Every gateway instance reads and writes the same rows (the HPA
-- keeps two), which is why they live here and not in an instance's memory.
-- (V4, not V3: the shared rate limits take V3 on another branch.)
create table web_session (
    id_hash       text primary key,
    account_email text        not null,
    -- Not a credential on its own: the page learns it from GET /api/auth/session and echoes it as
    -- X-CSRF-Token on writes, which a cross-site page cannot do.
    csrf_token    text        not null,
    created_at    timestamptz not null,
    -- Sliding idle expiry; written at most every touch-every (not on every request).
    last_seen_at  timestamptz not null,
    -- Absolute end, whatever the use.
    expires_at    timestamptz not null
);
create index web_session_account on web_session (account_email);
create index web_session_expires on web_session (expires_at);
