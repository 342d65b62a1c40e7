-- Grain: one tracked road user in one load of one clip.
with source as (
    select * from raw_track_summaries
),

final as (
    select
        clip_id,
        load_id,
        generation,
        camera_id,
        track_id,
        class_name,
        road_user,
        first_s,
        last_s,
        observations as count_observations,
        mean_confidence,
        speed_heights_per_s
    from source
)

select * from final
