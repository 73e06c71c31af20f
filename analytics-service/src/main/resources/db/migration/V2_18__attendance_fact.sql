-- Attendance recorded at the staff desk (booking.attended.v1 / booking.no_show.v1, issue 18): one
-- row per booking holding the latest recorded status (staff may correct a mis-click), counted on
-- the appointment's local day like bookings. recorded_at orders corrections whatever the delivery order.
create table attendance_fact (
    reference         text primary key,
    location_id       text not null,
    appointment_date  date not null,
    status            text not null check (status in ('ATTENDED', 'NO_SHOW')),
    recorded_at       timestamptz not null
);
create index attendance_fact_by_date on attendance_fact (appointment_date);
