-- Grain: one camera, described as in its most recently processed clip.
with clips as (
    select * from int_current_clips
),

final as (
    select
        camera_id,
        arg_max(camera_name, processed_at) as camera_name,
        arg_max(intersection_id, processed_at) as intersection_id,
        arg_max(district, processed_at) as district,
        arg_max(grid_cell, processed_at) as grid_cell,
        arg_max(timezone, processed_at) as timezone,
        count(*) as count_clips,
        sum(duration_s) as footage_s,
        min(started_at) as first_started_at,
        max(started_at) as last_started_at
    from clips
    group by camera_id
)

select * from final
