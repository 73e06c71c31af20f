-- Privacy (contract 1.1; docs/privacy.md). Numbered apart from the feature migrations so branches
-- developed alongside keep their own numbers.

-- The hash of a second manage token, minted when notification-service asks for the confirmation
-- mail's link (events no longer carry the token: docs/adr/0007). Either token opens the booking.
alter table booking add column mail_token_hash bytea;

-- Erasure and retention replace the customer's name, email, phone and notes; ids, dates, prices
-- and location stay for analytics and the books. anonymised_at says when and marks the row done.
alter table booking
    alter column customer_name drop not null,
    alter column customer_email drop not null,
    alter column customer_phone drop not null,
    add column anonymised_at timestamptz;
-- The export finds a person's bookings by lower(customer_email): V4_18's booking_by_email serves it.
