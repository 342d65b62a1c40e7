-- The review queue: an indexed copy of fct_violations' current events (grain of queue_events:
-- one event). `{where}`, `{order}`, `{after}`, `{key}` and `{column}` are filled by
-- analytics/decisions/queue_filter.py and queue_read.py with fixed fragments that name columns;
-- every value is a named parameter.

-- name: queue_page
-- With the reviewer holding each event now, if anyone does.
select
    q.event_id, q.camera_id, q.camera_name, q.intersection_id, q.district, q.rule, q.zone_id,
    q.class_name, q.occurred_at, q.confidence, q.signal_state, q.detected_platform,
    q.courier_confidence, q.review_status,
    (
        select c.username from claims as c
        where c.event_id = q.event_id and c.expires_at > :now
    ) as claimed_by,
    -- The camera's view changed later in this event's clip (detectors/frames/view.py).
    json_extract(q.details_json, '$.view_changed_at_s') as view_changed_at_s
from queue_events as q
where {where}
order by {order}
limit :limit offset :offset;

-- name: status_counts
-- Grain: one review status among the events matching the filters.
select q.review_status, count(*) as count_events
from queue_events as q
where {where}
group by q.review_status;

-- name: queue_neighbour
-- The first event after the given sort key, in the order given (keyset paging), that the
-- reviewer :me can work on now: not held by someone else, and not their own confirmation
-- waiting for a second reviewer.
select q.event_id
from queue_events as q
where
    {where} and {after}
    and not exists (
        select 1 from claims as c
        where c.event_id = q.event_id and c.expires_at > :now and c.username != :me
    )
    and not (
        q.review_status = 'awaiting_second'
        and exists (
            select 1 from decisions as d
            where d.event_id = q.event_id and d.first_reviewed_by = :me
        )
    )
order by {order}
limit 1;

-- name: sort_key
select {key} as sort_key
from queue_events as q
where q.event_id = :event_id;

-- name: queue_event
select
    event_id, clip_id, load_id, camera_id, camera_name, intersection_id, district, rule, zone_id,
    track_id, class_name, occurred_at, t_s, confidence, signal_id, signal_state,
    detected_platform, courier_confidence, evidence_path, evidence_sha256_json, details_json,
    review_status
from queue_events
where event_id = :event_id;

-- name: event_scope
-- What deciding an event depends on besides its decision: its rule and district.
select rule, district from queue_events where event_id = :event_id;

-- name: camera_name
select camera_name from queue_events
where camera_id = :camera_id and camera_name is not null
limit 1;

-- name: event_of_evidence
select event_id, district from queue_events where evidence_path = :evidence_path;

-- name: distinct_values
-- The distinct values of an indexed column, one index seek each (a skip scan), not a full scan.
with recursive values_seen (value) as (
    select min({column}) from queue_events
    union all
    select (select min({column}) from queue_events where {column} > values_seen.value)
    from values_seen
    where values_seen.value is not null
)

select value from values_seen where value is not null;

-- name: distinct_values_where
-- The distinct values of a column among the events in a reviewer's districts.
select distinct {column} as value
from queue_events as q
where {where} and {column} is not null
order by 1;

-- name: confirmed_by_rule_platform
-- Grain: one (rule, courier platform, disposition) among confirmed events in scope; the
-- reviewed platform when given.
select
    q.rule,
    coalesce(d.courier_platform, q.detected_platform) as courier_platform,
    d.disposition,
    count(*) as count_events,
    sum(d.fine_yuan) as fine_yuan_total
from queue_events as q
inner join decisions as d on d.event_id = q.event_id
where q.review_status = 'confirmed' and {where}
group by 1, 2, 3
order by 1, 2, 3;

-- name: set_review_status
update queue_events set review_status = :review_status where event_id = :event_id;

-- name: all_loads
select clip_id, load_id from queue_loads;

-- name: delete_clip_events
delete from queue_events where clip_id = :clip_id;

-- name: delete_load
delete from queue_loads where clip_id = :clip_id;

-- name: upsert_load
insert into queue_loads (clip_id, load_id, count_events, synced_at)
values (:clip_id, :load_id, :count_events, :synced_at)
on conflict (clip_id) do update set
    load_id = excluded.load_id,
    count_events = excluded.count_events,
    synced_at = excluded.synced_at;

-- name: insert_event
-- An event arrives with the status of any decision it already has (a reloaded clip keeps its
-- reviewed events reviewed).
insert or replace into queue_events (
    event_id, clip_id, load_id, camera_id, camera_name, intersection_id, district, rule,
    zone_id, track_id, class_name, occurred_at, t_s, confidence, signal_id, signal_state,
    detected_platform, courier_confidence, evidence_path, evidence_sha256_json, details_json,
    review_status
)
values (
    :event_id, :clip_id, :load_id, :camera_id, :camera_name, :intersection_id, :district, :rule,
    :zone_id, :track_id, :class_name, :occurred_at, :t_s, :confidence, :signal_id,
    :signal_state, :detected_platform, :courier_confidence, :evidence_path,
    :evidence_sha256_json, :details_json,
    coalesce(
        (
            select case stage when 'final' then decision else stage end
            from decisions where event_id = :event_id
        ),
        'pending'
    )
);
