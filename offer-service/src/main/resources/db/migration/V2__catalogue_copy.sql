-- offer-service's own copy of booking-service's catalogue, kept from catalogue.events
-- (location.changed.v1, treatment.changed.v1): what quotes price and offers are checked against,
-- so no request waits on booking-service. Each row is the latest state seen for its id;
-- changed_at is the producer's, so an older event arriving late never overwrites a newer one.
create table catalogue_treatment (
    id          text        primary key,
    name        text        not null,
    category    text        not null,
    price_pence bigint      not null check (price_pence >= 0),
    active      boolean     not null,
    changed_at  timestamptz not null
);
create index catalogue_treatment_by_category on catalogue_treatment (category);

create table catalogue_location (
    id         text        primary key,
    name       text        not null,
    active     boolean     not null,
    changed_at timestamptz not null
);
