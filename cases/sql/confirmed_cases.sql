-- Grain: one confirmed violation (after a second review where the rule requires one) whose
-- wall-clock time falls in the local ISO week $week of the time zone $timezone: the cases of
-- one week's export, in time order.
with violations as (
    select * from fct_violations
),

final as (
    select
        event_id,
        clip_id,
        load_id,
        camera_id,
        camera_name,
        intersection_id,
        district,
        grid_cell,
        rule,
        zone_id,
        track_id,
        class_name,
        occurred_at,
        strftime(timezone($timezone, occurred_at), '%Y-%m-%d %H:%M:%S') as occurred_local,
        t_s,
        confidence,
        signal_id,
        signal_state,
        detected_platform,
        courier_confidence,
        courier_platform,
        rider_code,
        disposition,
        fine_yuan,
        reviewed_by,
        reviewed_at,
        second_reviewed_by,
        review_comment,
        evidence_path,
        evidence_sha256_json,
        details_json
    from violations
    where
        review_status = 'confirmed'
        and occurred_at is not null
        and strftime(timezone($timezone, occurred_at), '%G-W%V') = $week
)

select * from final
order by occurred_at, event_id
