-- Grain: one clip x rule x zone x courier platform x UTC hour (current loads only).
-- count_exposures: pedestrians entering a crosswalk (pedestrian_red_light) or two-wheelers
-- passing through a lane (wrong_way): the denominators of every rate.
with exposures as (
    select * from stg_exposures
),

-- Joining on the load as well keeps only the exposures of each clip's current copy.
clips as (
    select clip_id, load_id, generation, intersection_id, district from int_current_clips
),

final as (
    select
        exposures.clip_id,
        exposures.camera_id,
        clips.intersection_id,
        clips.district,
        exposures.rule,
        exposures.zone_id,
        exposures.courier_platform,
        exposures.hour_at,
        exposures.count_exposures
    from exposures
    inner join clips using (clip_id, load_id, generation)
)

select * from final
