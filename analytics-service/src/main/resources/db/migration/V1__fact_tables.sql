-- Read models of analytics-service: one fact row per entity, written by whichever event arrives,
-- in whatever order. Figures are derived at query time, so a redelivered, late or replayed event
-- can only move a row towards the same final state (see README "Read models").

-- One row per booking. "Newest event wins" by (event time, rank): a late confirmed event never
-- undoes a cancellation or a reschedule it preceded.
create table booking_fact (
    reference        text        primary key,
    booking_id       text        not null,
    appointment_date date        not null,   -- Europe/London local date of starts_at
    starts_at        timestamptz not null,
    location_id      text        not null,
    treatment_id     text        not null,
    total_pence      bigint      not null check (total_pence >= 0),
    discount_pence   bigint      not null check (discount_pence >= 0),
    promo_code       text,
    offer_id         text,
    status           text        not null check (status in ('CONFIRMED', 'CANCELLED')),
    last_event_type  text        not null,
    last_event_time  timestamptz not null,
    -- Breaks ties between events stamped with the same instant: cancelled > rescheduled > confirmed.
    last_event_rank  smallint    not null
);
create index booking_fact_counted_day on booking_fact (appointment_date) where status = 'CONFIRMED';
create index booking_fact_booking_id on booking_fact (booking_id);

-- One row per booking that used a promo code.
create table redemption_fact (
    booking_id        text        primary key,
    booking_reference text,
    offer_id          text        not null,
    code              text        not null,
    discount_pence    bigint      not null check (discount_pence >= 0),
    status            text        not null check (status in ('REDEEMED', 'RELEASED')),
    last_event_time   timestamptz not null,
    last_event_rank   smallint    not null
);
create index redemption_fact_offer on redemption_fact (offer_id);

-- One row per offer seen launching, expiring or ending (so an offer without redemptions is known).
create table offer_fact (
    offer_id        text        primary key,
    code            text        not null,
    status          text        not null check (status in ('LIVE', 'EXPIRED', 'ENDED')),
    last_event_time timestamptz not null,
    last_event_rank smallint    not null
);

-- One row per callback request. Every callback event carries requestedAt, so any of them can
-- create the row; timestamps only ever move to the earliest value reported (order-independent).
-- requested_at stays nullable so an event from a producer that left it out still lands.
create table callback_fact (
    callback_id      text        primary key,
    requested_at     timestamptz,
    location_id      text,
    first_attempt_at timestamptz,
    completed_at     timestamptz,
    sla_breached_at  timestamptz
);
create index callback_fact_requested_at on callback_fact (requested_at);

-- One row per notification; its final outcome.
create table notification_fact (
    notification_id text        primary key,
    created_at      timestamptz not null,
    status          text        not null check (status in ('SENT', 'FAILED')),
    template        text,
    channel         text,
    last_event_time timestamptz not null,
    last_event_rank smallint    not null
);
create index notification_fact_created_at on notification_fact (created_at);
