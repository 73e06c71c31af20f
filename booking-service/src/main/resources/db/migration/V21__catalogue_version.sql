-- A number that changes with every committed write to the catalogue, read in the same statement
-- (so the same snapshot) as the data it stamps. Availability keeps what it read of the catalogue
-- for a location and treatment and checks this number in its one remaining statement, instead of
-- reading the catalogue again on every question (docs/benchmarks.md, "availability").
create table catalogue_version (
    id      boolean primary key default true check (id),
    version bigint  not null
);
insert into catalogue_version (version) values (1);

create function bump_catalogue_version() returns trigger language plpgsql as $$
begin
    update catalogue_version set version = version + 1;
    return null;
end $$;

-- Deferred to the commit: the version row is then the last lock a writing transaction takes, so two
-- administrators saving at once wait for each other and never deadlock (each would otherwise hold
-- rows the other wants). TRUNCATE fires no row triggers: it has a statement trigger of its own.
do $$
declare t text;
begin
    foreach t in array array['location', 'location_opening_hours', 'treatment', 'therapist', 'therapist_treatment',
                             'pattern_version', 'pattern_entry', 'pattern_break', 'closure'] loop
        execute format('create constraint trigger %I after insert or update or delete on %I
                        deferrable initially deferred for each row execute function bump_catalogue_version()',
                       t || '_bumps_catalogue_version', t);
        execute format('create trigger %I after truncate on %I
                        for each statement execute function bump_catalogue_version()',
                       t || '_truncate_bumps_catalogue_version', t);
    end loop;
end $$;
