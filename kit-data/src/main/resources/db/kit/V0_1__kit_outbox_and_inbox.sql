-- Owned by platform-kit; every service lists classpath:db/kit among its Flyway locations.
-- Versions below 1 so a service's own migrations (V1 and up) always come after.

-- Events waiting to leave the service. Written in the same transaction as the state change.
create table outbox_event (
    id            bigserial primary key,
    event_id      uuid        not null unique,
    topic         text        not null,
    event_key     text        not null,
    event_type    text        not null,
    source        text        not null,
    occurred_at   timestamptz not null,
    payload       text        not null,
    traceparent   text,
    request_id    text,
    created_at    timestamptz not null default now(),
    published_at  timestamptz,
    attempts      int         not null default 0,
    last_error    text
);
-- The relay only ever looks at unsent rows: keep that lookup small however large the table grows.
create index outbox_event_unsent on outbox_event (id) where published_at is null;
create index outbox_event_published on outbox_event (published_at) where published_at is not null;

-- Events this service has already applied, per consumer. Inserted in the handler's transaction.
create table processed_event (
    consumer      text        not null,
    event_id      text        not null,
    event_type    text        not null,
    processed_at  timestamptz not null default now(),
    primary key (consumer, event_id)
);
