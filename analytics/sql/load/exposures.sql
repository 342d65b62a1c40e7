-- Grain: one clip x rule x zone x courier platform x UTC hour.
-- The denominators of every published rate, counted once at load time so that a board over a
-- year of footage sums hourly counts instead of scanning every road user's passage.
-- Inputs: the clip's `zone_passages` (entries already debounced and lane passages already at
-- least 0.5 s long, exactly as the rules count their numerators).
with passages as (
    select * from zone_passages
),

pedestrians_crossing as (
    select
        clip_id,
        camera_id,
        'pedestrian_red_light' as rule,
        zone_id,
        null::varchar as courier_platform,
        entered_at
    from passages
    where zone_kind = 'crosswalk' and road_user = 'pedestrian'
),

two_wheelers_passing as (
    select
        clip_id,
        camera_id,
        'wrong_way' as rule,
        zone_id,
        courier_platform,
        entered_at
    from passages
    where zone_kind = 'lane' and road_user = 'two_wheeler'
),

final as (
    select
        clip_id,
        camera_id,
        rule,
        zone_id,
        courier_platform,
        date_trunc('hour', entered_at) as hour_at,
        count(*) as count_exposures
    from (
        select * from pedestrians_crossing
        union all
        select * from two_wheelers_passing
    )
    group by all
)

select * from final
