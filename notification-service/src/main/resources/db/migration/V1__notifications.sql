-- Every message the service owes someone. Rows are written in the transaction of the event that
-- causes them and sent later by the dispatcher, so a mail server outage delays mail but never loses it.
create table notification (
    id                uuid        primary key,
    source_event_id   text        not null,
    source_event_type text        not null,
    template          text        not null,
    channel           text        not null check (channel in ('EMAIL', 'SMS')),
    recipient         text        not null,
    marketing         boolean     not null default false,
    subject           text,
    body_text         text,
    body_html         text,
    attachment_name   text,
    attachment_type   text,
    attachment        text,
    unsubscribe_url   text,
    status            text        not null default 'PENDING'
                                  check (status in ('PENDING', 'RETRYING', 'SENT', 'FAILED', 'SUPPRESSED')),
    attempts          int         not null default 0,
    next_attempt_at   timestamptz,
    last_error        text,
    created_at        timestamptz not null,
    sent_at           timestamptz,
    -- A redelivered or replayed event creates nothing new.
    constraint notification_once unique (source_event_id, template, recipient)
);
create index notification_due on notification (next_attempt_at) where status in ('PENDING', 'RETRYING');
create index notification_recipient on notification (lower(recipient), created_at desc);
create index notification_created on notification (created_at desc);

-- One reminder per booking, moved by reschedules and cancelled by cancellations.
create table booking_reminder (
    booking_id     text        primary key,
    reference      text        not null,
    customer_name  text        not null,
    email          text,
    phone          text,
    location_name  text        not null,
    treatment_name text        not null,
    starts_at      timestamptz not null,
    due_at         timestamptz not null,
    status         text        not null check (status in ('SCHEDULED', 'SENT', 'CANCELLED')),
    updated_at     timestamptz not null
);
create index booking_reminder_due on booking_reminder (due_at) where status = 'SCHEDULED';

-- Newsletter subscribers with the record of what they agreed to (double opt-in).
create table subscriber (
    id                 uuid        primary key,
    email              text        not null,
    status             text        not null check (status in ('PENDING', 'CONFIRMED', 'UNSUBSCRIBED')),
    -- Only the hash of the single-use confirmation token; null once used.
    confirm_token_hash text        unique,
    -- Put into every marketing mail, so it must be recoverable; it can only unsubscribe.
    unsubscribe_token  text        not null unique,
    round              int         not null default 1,
    consent_source     text        not null,
    policy_version     text,
    consented_at       timestamptz not null,
    confirmed_at       timestamptz,
    unsubscribed_at    timestamptz
);
create unique index subscriber_email on subscriber (lower(email));
