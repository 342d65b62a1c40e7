-- Grain: one violation (event_id), from the current load of its clip, with its review outcome.
-- review_status: 'pending' until decided, then 'confirmed' or 'rejected' (a confirmation of a
-- rule under double review counts only once a second reviewer agreed); courier_platform is the
-- reviewer's correction when there is one (their 'none': no courier, so null), else the
-- detected livery. disposition ('fine' | 'warning' | 'education' | 'exposure_only') and
-- fine_yuan (whole yuan) are set on confirmed violations only. evidence_sha256_json: each
-- evidence file's SHA-256 as the engine wrote it, what evidence is checked against.
with events as (
    select * from stg_events
),

-- Joining on the load as well keeps only the events of each clip's current copy.
clips as (
    select clip_id, load_id, generation, camera_name, intersection_id, district, grid_cell
    from int_current_clips
),

decisions as (
    select * from stg_review_decisions
),

final as (
    select
        events.event_id,
        events.clip_id,
        events.load_id,
        events.camera_id,
        clips.intersection_id,
        clips.district,
        clips.grid_cell,
        events.rule,
        events.zone_id,
        events.track_id,
        events.class_name,
        events.occurred_at,
        events.t_s,
        events.t_end_s,
        events.frame_index,
        events.confidence,
        events.signal_id,
        events.signal_state,
        events.detected_platform,
        events.courier_confidence,
        events.evidence_path,
        events.details_json,
        coalesce(decisions.review_status, 'pending') as review_status,
        decisions.reason_code,
        decisions.review_comment,
        case
            when decisions.courier_platform in ('none', 'unknown') then null
            else coalesce(decisions.courier_platform, events.detected_platform)
        end as courier_platform,
        decisions.rider_code,
        decisions.decided_by as reviewed_by,
        decisions.decided_at as reviewed_at,
        decisions.disposition,
        decisions.fine_yuan,
        decisions.second_reviewed_by,
        events.evidence_sha256_json,
        clips.camera_name
    from events
    inner join clips using (clip_id, load_id, generation)
    left join decisions using (event_id)
)

select * from final
