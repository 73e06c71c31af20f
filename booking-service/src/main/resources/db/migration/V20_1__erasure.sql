-- Erasure on request (contract 1.1 "Privacy"; docs/privacy.md). booking-service owns the request.
-- The address is kept only while the request is open (the services fetch it once over
-- GET /internal/privacy/erasures/{id}) and cleared when every service has reported. The reason is
-- not stored (it may itself describe the person): only its length, as the audit entry says.
create table erasure_request (
    id             uuid        primary key,
    email          text,
    requested_by   text        not null,
    requested_at   timestamptz not null,
    reason_length  integer     not null,
    status         text        not null default 'PENDING' check (status in ('PENDING', 'DONE')),
    completed_at   timestamptz,
    check ((status = 'PENDING') = (email is not null))
);

-- One row per service that must report (privacy.erasure_completed.v1): DONE once done_at is set.
create table erasure_service (
    erasure_id  uuid        not null references erasure_request (id),
    service     text        not null,
    done_at     timestamptz,
    primary key (erasure_id, service)
);
