-- Grain: one load of one clip (a clip re-processed twice has two rows until the older is vacuumed).
with source as (
    select * from raw_clip
),

final as (
    select
        clip_id,
        load_id,
        generation,
        week as partition_week,
        clip_sha256,
        clip_path,
        camera_id,
        camera_name,
        intersection_id,
        district,
        grid_cell,
        timezone,
        started_at,
        started_at + to_microseconds((duration_s * 1e6)::bigint) as ended_at,
        width_px,
        height_px,
        fps,
        count_frames_declared,
        count_frames_decoded,
        count_frames_analysed,
        duration_s,
        analysis_fps,
        is_partial,
        view_changed_s,
        view_changed_at,
        view_changed_s is not null as is_view_changed,
        view_shift_max_px,
        view_registration_ms,
        count_view_changes,
        view_changed_duration_s,
        model_version,
        config_hash,
        engine_version,
        runtime_s,
        processed_at,
        camera_config_sha256,
        continued_from_clip_id
    from source
)

select * from final
