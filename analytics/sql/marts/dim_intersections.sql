-- Grain: one intersection (several cameras may watch one).
with cameras as (
    select * from dim_cameras
),

final as (
    select
        intersection_id,
        any_value(district) as district,
        count(*) as count_cameras,
        sum(count_clips) as count_clips
    from cameras
    group by intersection_id
)

select * from final
