-- Owned by platform-kit: who changed what, written in the same transaction as the change it
-- describes, so an audited write and its entry commit or roll back together.
create table audit_entry (
    id          bigserial   primary key,
    at          timestamptz not null,
    actor       text        not null,
    action      text        not null,
    target      text        not null,
    -- JSON object of what matters to a reader (before/after of changed fields); never secrets.
    details     text,
    request_id  text
);
create index audit_entry_by_time on audit_entry (at desc, id desc);
create index audit_entry_by_actor on audit_entry (actor, at desc);
