-- Grain: one district (街乡), the unit ranked on the weekly board.
with intersections as (
    select * from dim_intersections
),

final as (
    select
        district,
        count(*) as count_intersections,
        sum(count_cameras) as count_cameras
    from intersections
    group by district
)

select * from final
