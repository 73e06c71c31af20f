-- Staff desk (issue 18): who did what to a booking, attendance, and the customer look-up.
-- cancelled_by keeps the role (CUSTOMER or STAFF, as booking.cancelled.v1 carries it); the staff
-- user's name goes beside it, so "which receptionist cancelled this" has an answer.
alter table booking
    add column booked_by          text,
    add column cancelled_by_user  text,
    add column cancel_reason      text,
    add column rescheduled_by     text,
    add column rescheduled_at     timestamptz,
    add column attendance         text check (attendance in ('ATTENDED', 'NO_SHOW')),
    add column attendance_by      text,
    add column attendance_at      timestamptz;

-- Customer look-up (GET /api/staff/customers): email case-insensitively, phone as stored (E.164).
-- Names are matched with ILIKE '%…%', which no btree index serves; the limit keeps it bounded.
create index booking_by_email on booking (lower(customer_email));
create index booking_by_phone on booking (customer_phone);
