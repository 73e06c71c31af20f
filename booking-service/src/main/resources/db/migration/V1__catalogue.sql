-- The clinic's catalogue. Locations and treatments are reference data every environment needs,
-- so they are seeded here; therapists and their hours are per-environment (local seed in code).

create table location (
    id         text primary key,
    name       text not null,
    time_zone  text not null,
    address    text not null
);

create table treatment (
    id                text primary key,
    name              text not null,
    category          text not null,
    duration_minutes  int  not null check (duration_minutes > 0 and duration_minutes % 15 = 0),
    price_pence       bigint not null check (price_pence >= 0),
    currency          text not null default 'GBP',
    sort_order        int  not null default 0
);

create table therapist (
    id    text primary key,
    name  text not null
);

create table therapist_location (
    therapist_id  text not null references therapist (id),
    location_id   text not null references location (id),
    primary key (therapist_id, location_id)
);
create index therapist_location_by_location on therapist_location (location_id, therapist_id);

create table therapist_treatment (
    therapist_id  text not null references therapist (id),
    treatment_id  text not null references treatment (id),
    primary key (therapist_id, treatment_id)
);

-- Weekly pattern in the location's local time; ISO day of week (1 = Monday .. 7 = Sunday).
create table working_hours (
    id            bigserial primary key,
    therapist_id  text not null references therapist (id),
    location_id   text not null references location (id),
    day_of_week   smallint not null check (day_of_week between 1 and 7),
    start_time    time not null,
    end_time      time not null,
    check (start_time < end_time),
    unique (therapist_id, location_id, day_of_week, start_time)
);
create index working_hours_by_location_day on working_hours (location_id, day_of_week);

-- Recurring breaks inside working hours (lunch), same local-time convention.
create table therapist_break (
    id            bigserial primary key,
    therapist_id  text not null references therapist (id),
    location_id   text not null references location (id),
    day_of_week   smallint not null check (day_of_week between 1 and 7),
    start_time    time not null,
    end_time      time not null,
    label         text not null default 'Break',
    check (start_time < end_time),
    unique (therapist_id, location_id, day_of_week, start_time)
);
create index therapist_break_by_location_day on therapist_break (location_id, day_of_week);

-- One-off absences as absolute instants (holidays, training), whatever the location.
create table time_off (
    id            bigserial primary key,
    therapist_id  text not null references therapist (id),
    starts_at     timestamptz not null,
    ends_at       timestamptz not null,
    reason        text not null default 'Time off',
    check (starts_at < ends_at)
);
create index time_off_by_therapist on time_off (therapist_id, starts_at, ends_at);

insert into location (id, name, time_zone, address) values
    ('sheffield',    'Sheffield',    'Europe/London', '12 Division Street, Sheffield S1 4GF'),
    ('doncaster',    'Doncaster',    'Europe/London', '8 Hall Gate, Doncaster DN1 3LU'),
    ('rotherham',    'Rotherham',    'Europe/London', '21 High Street, Rotherham S60 1PT'),
    ('hathersage',   'Hathersage',   'Europe/London', '3 Main Road, Hathersage, Hope Valley S32 1BB'),
    ('chesterfield', 'Chesterfield', 'Europe/London', '45 Knifesmithgate, Chesterfield S40 1RL');

insert into treatment (id, name, category, duration_minutes, price_pence, currency, sort_order) values
    ('sports-massage-30', 'Sports massage (30 min)', 'sports-massage', 30, 3500, 'GBP', 1),
    ('sports-massage-45', 'Sports massage (45 min)', 'sports-massage', 45, 4500, 'GBP', 2),
    ('sports-massage-60', 'Sports massage (60 min)', 'sports-massage', 60, 5500, 'GBP', 3),
    ('physio-assessment', 'Physiotherapy assessment (45 min)', 'physiotherapy', 45, 6000, 'GBP', 4);
