-- notification-service's own copy of booking-service's locations, kept from catalogue.events
-- (location.changed.v1): the clinic's address and phone in booking mails and calendar invitations,
-- without calling booking-service. The latest state per id; changed_at is the producer's, so an
-- older event arriving late never overwrites a newer one. The clinic's own contact details only.
create table location_copy (
    id         text        primary key,
    name       text        not null,
    -- One line, e.g. "12 Division Street, Sheffield S1 4GF".
    address    text,
    line1      text,
    line2      text,
    town       text,
    postcode   text,
    -- As published (E.164); written in UK form when shown.
    phone      text,
    active     boolean     not null,
    changed_at timestamptz not null
);

-- The reminder looks the address up when it is sent, so it shows the clinic's details as they are then.
alter table booking_reminder add column location_id text;
