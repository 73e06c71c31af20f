-- Clinic administration (contract 1.1): the catalogue becomes data an admin edits through the API.
-- A fresh install starts with an empty catalogue (an admin, or the local demo seeder through the
-- same admin code, sets it up); V1's seed rows are removed here unless something refers to them.

-- Locations: postal address, the clinic's own contact details, opening hours, active flag.
-- address stays as the one-line form derived from the postal address (events and lists show it).
alter table location
    add column line1      text,
    add column line2      text,
    add column town       text,
    add column postcode   text,
    add column phone      text,
    add column email      text,
    add column active     boolean not null default true,
    add column updated_at timestamptz not null default now();

-- Opening hours per ISO weekday (1 = Monday) in the location's local time; a day without rows is closed.
create table location_opening_hours (
    location_id  text not null references location (id),
    day_of_week  smallint not null check (day_of_week between 1 and 7),
    start_time   time not null,
    end_time     time not null,
    check (start_time < end_time),
    primary key (location_id, day_of_week, start_time)
);

alter table treatment
    add column description text,
    add column active      boolean not null default true,
    add column updated_at  timestamptz not null default now();

alter table therapist
    add column bio        text,
    add column active     boolean not null default true,
    add column updated_at timestamptz not null default now();

-- A therapist's weekly pattern in versions: availability on day D uses the version with the latest
-- effective_from <= D, so a new rota from next Monday leaves every day before it as it was.
create table pattern_version (
    id              bigserial primary key,
    therapist_id    text not null references therapist (id),
    effective_from  date not null,
    created_at      timestamptz not null,
    unique (therapist_id, effective_from)
);

-- Where and when on one weekday (local time of the location).
create table pattern_entry (
    id           bigserial primary key,
    version_id   bigint not null references pattern_version (id) on delete cascade,
    location_id  text not null references location (id),
    day_of_week  smallint not null check (day_of_week between 1 and 7),
    start_time   time not null,
    end_time     time not null,
    check (start_time < end_time)
);
create index pattern_entry_by_version on pattern_entry (version_id, day_of_week);
create index pattern_entry_by_location on pattern_entry (location_id);

-- Breaks inside one entry's hours (lunch).
create table pattern_break (
    id          bigserial primary key,
    entry_id    bigint not null references pattern_entry (id) on delete cascade,
    start_time  time not null,
    end_time    time not null,
    check (start_time < end_time)
);
create index pattern_break_by_entry on pattern_break (entry_id);

-- Existing weekly hours become each therapist's first version (in force since ever).
insert into pattern_version (therapist_id, effective_from, created_at)
select distinct therapist_id, date '2000-01-01', now() from working_hours;
insert into pattern_entry (version_id, location_id, day_of_week, start_time, end_time)
select v.id, w.location_id, w.day_of_week, w.start_time, w.end_time
from working_hours w join pattern_version v on v.therapist_id = w.therapist_id;
insert into pattern_break (entry_id, start_time, end_time)
select e.id, b.start_time, b.end_time
from therapist_break b
join pattern_version v on v.therapist_id = b.therapist_id
join pattern_entry e on e.version_id = v.id and e.location_id = b.location_id and e.day_of_week = b.day_of_week
     and e.start_time <= b.start_time and b.end_time <= e.end_time;
-- Where a therapist works now follows from their pattern.
drop table therapist_break;
drop table working_hours;
drop table therapist_location;

create index time_off_by_therapist_end on time_off (therapist_id, ends_at);

-- Closure days: a location's, or every location's when location_id is null. A withdrawn closure
-- keeps its row (removed_at) so the start-up list of bank holidays does not bring it back.
create table closure (
    id            text primary key,
    closure_date  date not null,
    location_id   text references location (id),
    reason        text not null,
    created_at    timestamptz not null,
    removed_at    timestamptz
);
create index closure_by_date on closure (closure_date) where removed_at is null;

-- Bookings by therapist and time, for "which confirmed bookings does this change strand".
create index booking_by_therapist_start on booking (therapist_id, starts_at) where status = 'CONFIRMED';

-- V1's seed rows: gone on a fresh install; kept (with a structured address) where bookings use them.
delete from treatment t
where not exists (select 1 from booking b where b.treatment_id = t.id)
  and not exists (select 1 from therapist_treatment tt where tt.treatment_id = t.id);
delete from location l
where not exists (select 1 from booking b where b.location_id = l.id)
  and not exists (select 1 from pattern_entry e where e.location_id = l.id);
update location set line1 = '12 Division Street', town = 'Sheffield', postcode = 'S1 4GF' where id = 'sheffield';
update location set line1 = '8 Hall Gate', town = 'Doncaster', postcode = 'DN1 3LU' where id = 'doncaster';
update location set line1 = '21 High Street', town = 'Rotherham', postcode = 'S60 1PT' where id = 'rotherham';
update location set line1 = '3 Main Road', line2 = 'Hathersage', town = 'Hope Valley', postcode = 'S32 1BB' where id = 'hathersage';
update location set line1 = '45 Knifesmithgate', town = 'Chesterfield', postcode = 'S40 1RL' where id = 'chesterfield';
update location set phone = case id when 'sheffield' then '0114 496 0000' when 'doncaster' then '01632 960001'
                                 when 'rotherham' then '0114 496 0002' when 'hathersage' then '01632 960003'
                                 else '01632 960004' end,
                    email = id || '@clinic.example'
where id in ('sheffield', 'doncaster', 'rotherham', 'hathersage', 'chesterfield');
update location set line1 = address, town = name, postcode = '' where line1 is null;
-- Kept locations were open Monday to Saturday, 09:00-17:00 in practice (the demo rota).
insert into location_opening_hours (location_id, day_of_week, start_time, end_time)
select l.id, d, time '09:00', time '17:00' from location l, generate_series(1, 6) d;
alter table location
    alter column line1 set not null,
    alter column town set not null,
    alter column postcode set not null;

-- Catalogue rows that existed before catalogue.events: published once at the next start, so the
-- other services' copies include them (see CatalogueRepublisher).
create table catalogue_republish (
    pending boolean primary key
);
insert into catalogue_republish (pending)
select true where exists (select 1 from location) or exists (select 1 from treatment)
                  or exists (select 1 from therapist);
