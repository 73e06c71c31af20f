create table thing (id text primary key, created_at timestamptz not null default now());
create table seen (event_id text primary key, thing_id text not null, seen_at timestamptz not null default now());
