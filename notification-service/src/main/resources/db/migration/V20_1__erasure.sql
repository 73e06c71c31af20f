-- Erasure on request (docs/privacy.md): a reminder of an erased person keeps its booking id, times
-- and status (CANCELLED when it was still to come) but not the name it was addressed to.
alter table booking_reminder alter column customer_name drop not null;
