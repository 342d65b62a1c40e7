-- From a version 1 store (before double review, penalties, claims and districts) to version 2.
-- Runs before schema.sql, which then creates the new tables and indexes. The queue index is
-- dropped, not converted: it is a copy of the warehouse and the next sync fills it again.

alter table users add column districts text;

alter table sessions add column last_seen_at text not null default '';
update sessions set last_seen_at = created_at;

drop table login_failures;

alter table decisions add column disposition text
check (disposition in ('fine', 'warning', 'education', 'exposure_only'));
alter table decisions add column fine_yuan integer check (fine_yuan > 0);
alter table decisions add column stage text not null default 'final'
check (stage in ('awaiting_second', 'disputed', 'final'));
alter table decisions add column first_reviewed_by text;
alter table decisions add column second_reviewed_by text;
update decisions set first_reviewed_by = coalesce(
    (
        select audit_trail.changed_by from audit_trail
        where audit_trail.event_id = decisions.event_id and audit_trail.version = 1
        limit 1
    ),
    decided_by
);

-- The audit trail's action check gains the double-review actions: SQLite changes a check
-- only by copying the table.
alter table audit_trail rename to audit_trail_v1;
drop index audit_by_event;
create table audit_trail (
    audit_id integer primary key,
    event_id text not null,
    version integer not null,
    action text not null
    check (action in ('decide', 'second_review', 'resolve', 'overturn')),
    changed_by text not null,
    changed_at text not null,
    field text not null,
    value_from text,
    value_to text
);
insert into audit_trail select * from audit_trail_v1;
drop table audit_trail_v1;

drop table queue_events;
delete from queue_loads;
