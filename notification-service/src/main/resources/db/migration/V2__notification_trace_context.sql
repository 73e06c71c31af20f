-- The trace context of the event that caused a message, so its later delivery (by the dispatcher,
-- on its own schedule) continues the same trace. Null for rows written before it existed.
alter table notification add column traceparent text, add column request_id text;
