-- A customer's request to be called back, and the staff task it becomes.
-- Personal data (name, phone, email, message) is nullable: the retention job erases it from
-- completed requests and leaves the anonymous facts (ids, times, outcome, location) for analytics.
create table callback_request (
    id               uuid        primary key,
    name             text,
    phone            text,
    email            text,
    location_id      text,
    preferred_time   text,
    message          text,
    marketing_opt_in boolean     not null default false,
    status           text        not null default 'OPEN'
                     check (status in ('OPEN', 'CLAIMED', 'COMPLETED')),
    requested_at     timestamptz not null,
    due_at           timestamptz not null,
    claimed_by       text,
    claimed_at       timestamptz,
    completed_by     text,
    completed_at     timestamptz,
    outcome          text        check (outcome in ('BOOKED', 'INFO_GIVEN', 'NOT_INTERESTED', 'UNREACHABLE')),
    completion_note  text,
    sla_breached_at  timestamptz,
    erased_at        timestamptz,
    -- A claimed or completed task always says who holds it; an open one never does.
    constraint claim_matches_status check ((status = 'OPEN') = (claimed_by is null)),
    constraint completion_matches_status check ((status = 'COMPLETED') = (completed_at is not null and outcome is not null))
);
create index callback_request_status_due on callback_request (status, due_at);
create index callback_request_open_phone on callback_request (phone, requested_at) where status = 'OPEN';
create index callback_request_sla_pending on callback_request (due_at)
    where status <> 'COMPLETED' and sla_breached_at is null;
create index callback_request_erasable on callback_request (completed_at)
    where status = 'COMPLETED' and erased_at is null;

-- Consent per purpose: what was agreed to (or declined), under which policy version, when.
create table consent (
    id             bigserial   primary key,
    callback_id    uuid        not null references callback_request (id),
    purpose        text        not null check (purpose in ('TERMS_AND_PRIVACY', 'MARKETING')),
    granted        boolean     not null,
    policy_version text        not null,
    recorded_at    timestamptz not null,
    unique (callback_id, purpose)
);

create table callback_attempt (
    callback_id    uuid        not null references callback_request (id),
    attempt_number int         not null check (attempt_number > 0),
    outcome        text        not null check (outcome in ('NO_ANSWER', 'VOICEMAIL', 'WRONG_NUMBER', 'REACHED')),
    note           text,
    attempted_by   text        not null,
    attempted_at   timestamptz not null,
    primary key (callback_id, attempt_number)
);

-- The staff stream's log: one row per change, written in the change's transaction. Its seq is
-- the SSE event id; writers take one advisory lock before inserting so rows commit in seq order
-- and "everything after Last-Event-ID" never skips a late commit.
create table task_change (
    seq         bigserial   primary key,
    callback_id uuid        not null references callback_request (id),
    event       text        not null,
    changed_at  timestamptz not null default now()
);

-- Idempotency-Key of POST /api/callbacks: the body's fingerprint and the answer given.
create table idempotency_key (
    key         text        primary key,
    body_sha256 text        not null,
    callback_id uuid,
    created_at  timestamptz not null
);
