-- The review queue: an indexed copy of fct_violations' current events (grain of queue_events:
-- one event). `{where}`, `{order}`, `{after}`, `{key}` and `{column}` are filled by
-- analytics/decisions/queue_filter.py and queue_read.py with fixed fragments that name columns;
-- every value is a named parameter.

-- name: queue_page
select
    q.event_id, q.camera_id, q.intersection_id, q.district, q.rule, q.zone_id, q.class_name,
    q.occurred_at, q.confidence, q.signal_state, q.detected_platform, q.courier_confidence,
    q.review_status,
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
-- The first event after the given sort key, in the order given (keyset paging).
select q.event_id
from queue_events as q
where {where} and {after}
order by {order}
limit 1;

-- name: sort_key
select {key} as sort_key
from queue_events as q
where q.event_id = :event_id;

-- name: queue_event
select
    event_id, clip_id, load_id, camera_id, intersection_id, district, rule, zone_id, track_id,
    class_name, occurred_at, t_s, confidence, signal_id, signal_state, detected_platform,
    courier_confidence, evidence_path, details_json, review_status
from queue_events
where event_id = :event_id;

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

-- name: confirmed_by_rule_platform
-- Grain: one (rule, courier platform) among confirmed events; the reviewed platform when given.
select
    q.rule,
    coalesce(d.courier_platform, q.detected_platform) as courier_platform,
    count(*) as count_events
from queue_events as q
inner join decisions as d on d.event_id = q.event_id
where q.review_status = 'confirmed'
group by 1, 2
order by 1, 2;

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
    event_id, clip_id, load_id, camera_id, intersection_id, district, rule, zone_id, track_id,
    class_name, occurred_at, t_s, confidence, signal_id, signal_state, detected_platform,
    courier_confidence, evidence_path, details_json, review_status
)
values (
    :event_id, :clip_id, :load_id, :camera_id, :intersection_id, :district, :rule, :zone_id,
    :track_id, :class_name, :occurred_at, :t_s, :confidence, :signal_id, :signal_state,
    :detected_platform, :courier_confidence, :evidence_path, :details_json,
    coalesce((select decision from decisions where event_id = :event_id), 'pending')
);
