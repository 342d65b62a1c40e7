-- Review decisions (grain of `decisions`: one event's current decision) and their audit trail.

-- name: decision_by_event
select
    event_id, decision, reason_code, comment, courier_platform, rider_code, disposition,
    fine_yuan, stage, first_reviewed_by, second_reviewed_by, decided_by, decided_at, version
from decisions
where event_id = :event_id;

-- name: insert_decision
insert into decisions (
    event_id, decision, reason_code, comment, courier_platform, rider_code, disposition,
    fine_yuan, stage, first_reviewed_by, second_reviewed_by, decided_by, decided_at, version
)
values (
    :event_id, :decision, :reason_code, :comment, :courier_platform, :rider_code, :disposition,
    :fine_yuan, :stage, :first_reviewed_by, :second_reviewed_by, :decided_by, :decided_at,
    :version
);

-- name: update_decision
-- Only from the version the decider saw: zero rows changed means someone decided meanwhile.
update decisions set
    decision = :decision,
    reason_code = :reason_code,
    comment = :comment,
    courier_platform = :courier_platform,
    rider_code = :rider_code,
    disposition = :disposition,
    fine_yuan = :fine_yuan,
    stage = :stage,
    first_reviewed_by = :first_reviewed_by,
    second_reviewed_by = :second_reviewed_by,
    decided_by = :decided_by,
    decided_at = :decided_at,
    version = :version
where event_id = :event_id and version = :version - 1;

-- name: insert_audit
insert into audit_trail (
    event_id, version, action, changed_by, changed_at, field, value_from, value_to
)
values (
    :event_id, :version, :action, :changed_by, :changed_at, :field, :value_from, :value_to
);

-- name: audit_by_event
select version, action, changed_by, changed_at, field, value_from, value_to
from audit_trail
where event_id = :event_id
order by audit_id;

-- name: current_decisions
-- Grain: one decided event, its current decision (in no particular order: read whole).
select
    event_id, decision, reason_code, comment, courier_platform, rider_code, disposition,
    fine_yuan, stage, first_reviewed_by, second_reviewed_by, decided_by, decided_at, version
from decisions;

