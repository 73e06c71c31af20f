-- Bookings. The exclusion constraint is the no-double-booking guarantee: two CONFIRMED bookings
-- of one therapist can never hold overlapping [starts_at, blocked_until) ranges, whatever the
-- application does concurrently. blocked_until = ends_at + the buffer in force when booked.
create extension if not exists btree_gist;

create table booking (
    id                 uuid primary key,
    reference          text not null unique,
    status             text not null check (status in ('CONFIRMED', 'CANCELLED')),
    location_id        text not null references location (id),
    treatment_id       text not null references treatment (id),
    therapist_id       text not null references therapist (id),
    starts_at          timestamptz not null,
    ends_at            timestamptz not null,
    blocked_until      timestamptz not null,
    customer_name      text not null,
    customer_email     text not null,
    customer_phone     text not null,
    notes              text,
    price_pence        bigint not null check (price_pence >= 0),
    discount_pence     bigint not null default 0 check (discount_pence >= 0 and discount_pence <= price_pence),
    total_pence        bigint not null check (total_pence >= 0),
    currency           text not null,
    promo_code         text,
    offer_id           text,
    manage_token_hash  bytea not null,
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    cancelled_at       timestamptz,
    cancelled_by       text,
    check (starts_at < ends_at and ends_at <= blocked_until),
    constraint booking_no_overlap exclude using gist (
        therapist_id with =,
        tstzrange(starts_at, blocked_until) with &&
    ) where (status = 'CONFIRMED')
);
-- Staff day list and availability by location and time.
create index booking_by_location_start on booking (location_id, starts_at);

-- Idempotency-Key replays of POST /api/bookings. Keyed by a hash of the client's key; the stored
-- response is encrypted with a key derived from the client's key (it holds the manage token, which
-- must not sit in the database readable).
create table idempotency_key (
    key_hash        text primary key,
    request_hash    text not null,
    response_status int  not null,
    location        text,
    response_body   bytea not null,
    -- Deferred: the key row is written first in the booking's transaction, so a concurrent request
    -- with the same key waits on it and then replays instead of racing for the slot.
    booking_id      uuid not null references booking (id) deferrable initially deferred,
    created_at      timestamptz not null
);
