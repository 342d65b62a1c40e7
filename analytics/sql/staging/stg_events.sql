-- Grain: one violation found in one load of one clip.
with source as (
    select * from raw_events
),

final as (
    select
        event_id,
        clip_id,
        load_id,
        generation,
        camera_id,
        rule,
        zone_id,
        track_id,
        class_name,
        t_s,
        t_end_s,
        occurred_at,
        frame_index,
        x_px,
        y_px,
        confidence,
        signal_id,
        signal_state,
        courier_platform as detected_platform,
        courier_confidence,
        is_courier,
        -- Evidence is copied beside the warehouse tables, keyed by clip and load.
        case when evidence_dir is not null then
            'evidence/clip=' || clip_id || '/load=' || load_id || '/'
            || regexp_replace(evidence_dir, '^evidence/', '')
        end as evidence_path,
        evidence_sha256_json,
        details_json
    from source
)

select * from final
