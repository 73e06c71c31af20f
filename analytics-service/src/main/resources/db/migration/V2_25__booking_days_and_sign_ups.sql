-- Issue 25: figures by the day something happened rather than by appointment day.
-- One row per booking with the instants it was made and cancelled (both versions of the booking
-- events carry confirmedAt / cancelledAt). Kept apart from booking_fact, whose "newest event wins"
-- row holds the booking's current state: these instants only ever keep the earliest value
-- reported (least() ignores nulls), so any delivery order, redelivery or replay gives the same row.
create table booking_made_fact (
    reference     text primary key,
    booking_id    text,
    location_id   text,
    treatment_id  text,
    promo_code    text,          -- upper case, as redemption_fact.code
    offer_id      text,
    booked_at     timestamptz,   -- confirmedAt; null until the confirmation is seen
    cancelled_at  timestamptz    -- cancelledAt; null while not cancelled
);
create index booking_made_fact_booked_at on booking_made_fact (booked_at);
create index booking_made_fact_cancelled_at on booking_made_fact (cancelled_at);

-- One row per newsletter confirmation (newsletter.confirmed.v1: ids and time, no personal data).
-- A subscription unsubscribed and confirmed again is a new sign-up with a later confirmed_at.
create table newsletter_fact (
    subscription_id text        not null,
    confirmed_at    timestamptz not null,
    primary key (subscription_id, confirmed_at)
);
create index newsletter_fact_confirmed_at on newsletter_fact (confirmed_at);
