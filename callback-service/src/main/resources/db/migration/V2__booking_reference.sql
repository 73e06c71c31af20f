-- A callback that ended in a booking names it (CONTRACT 1.1: completing with outcome BOOKED links
-- the two). Only the reference is kept: the booking itself stays booking-service's.
alter table callback_request add column booking_reference text;
alter table callback_request add constraint booking_reference_only_when_booked
    check (booking_reference is null or outcome = 'BOOKED');
