-- Offers, the places taken under their caps, and the reservations that hold those places.
-- The invariants live here, not only in code: code format, one discount, one scope, a real
-- window, a cap that can never be overshot, and no two live offers sharing a code in time.
create extension if not exists btree_gist;

create table offer (
    id                           uuid        primary key,
    -- Stored upper-case: codes are case-insensitive for customers.
    code                         text        not null check (code ~ '^[A-Z0-9-]{3,32}$'),
    title                        text        not null,
    description                  text,
    percent_off                  int         check (percent_off between 1 and 100),
    amount_off_pence             bigint      check (amount_off_pence >= 1),
    treatment_category           text,
    treatment_ids                text[]      not null default '{}',
    -- Empty: every location.
    location_ids                 text[]      not null default '{}',
    -- [starts_at, ends_at): when the appointment takes place; the booking is made before ends_at.
    starts_at                    timestamptz not null,
    ends_at                      timestamptz not null,
    max_redemptions              int         check (max_redemptions >= 1),
    max_redemptions_per_customer int         not null default 1 check (max_redemptions_per_customer >= 1),
    minimum_price_pence          bigint      check (minimum_price_pence >= 0),
    announce                     boolean     not null default false,
    status                       text        not null check (status in ('SCHEDULED', 'LIVE', 'EXPIRED', 'ENDED')),
    -- Places under the cap held by reservations (unconfirmed or redeemed). Only ever changed by
    -- single conditional statements; the check below is the last line of defence.
    taken                        int         not null default 0 check (taken >= 0),
    created_at                   timestamptz not null,
    created_by                   text,
    launched_at                  timestamptz,
    expired_at                   timestamptz,
    ended_at                     timestamptz,
    ended_by                     text,
    constraint offer_one_discount check ((percent_off is null) <> (amount_off_pence is null)),
    constraint offer_one_scope check ((treatment_category is null) <> (cardinality(treatment_ids) = 0)),
    constraint offer_window check (ends_at > starts_at),
    constraint offer_cap check (max_redemptions is null or taken <= max_redemptions),
    -- A code names at most one offer at any moment. An offer marketing ended early no longer
    -- holds its code, so a corrected offer can reuse it. Violation: SQLSTATE 23P01.
    constraint offer_code_in_use exclude using gist (
        upper(code) with =,
        tstzrange(starts_at, ends_at, '[)') with &&) where (status <> 'ENDED')
);
create index offer_by_code on offer (code);
create index offer_to_launch on offer (starts_at) where status = 'SCHEDULED';
create index offer_to_expire on offer (ends_at) where status in ('SCHEDULED', 'LIVE');

-- Places one customer (lower-cased, trimmed email) holds under an offer's per-customer limit.
create table offer_customer (
    offer_id       uuid not null references offer (id),
    customer_email text not null,
    taken          int  not null check (taken >= 0),
    primary key (offer_id, customer_email)
);

-- One per booking: booking-service's booking id is the idempotency key of a reservation.
create table reservation (
    booking_id        uuid        primary key,
    id                uuid        not null unique,
    offer_id          uuid        not null references offer (id),
    code              text        not null,
    booking_reference text,
    customer_email    text        not null,
    treatment_id      text        not null,
    location_id       text        not null,
    appointment_at    timestamptz not null,
    price_pence       bigint      not null check (price_pence >= 0),
    discount_pence    bigint      not null check (discount_pence >= 0 and discount_pence <= price_pence),
    status            text        not null check (status in ('RESERVED', 'REDEEMED', 'RELEASED')),
    release_reason    text,
    created_at        timestamptz not null,
    expires_at        timestamptz not null,
    redeemed_at       timestamptz,
    released_at       timestamptz
);
create index reservation_unconfirmed on reservation (expires_at) where status = 'RESERVED';
create index reservation_by_offer on reservation (offer_id, status);
