-- Grain: one load of one clip x rule x zone x courier platform x UTC hour.
with source as (
    select * from raw_exposures
),

final as (
    select
        clip_id,
        load_id,
        generation,
        camera_id,
        rule,
        zone_id,
        courier_platform,
        hour_at,
        count_exposures
    from source
)

select * from final
