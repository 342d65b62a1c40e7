-- Grain: one road user in one zone, in one load of one clip.
with source as (
    select * from raw_zone_passages
),

final as (
    select
        clip_id,
        load_id,
        generation,
        camera_id,
        track_id,
        road_user,
        zone_kind,
        zone_id,
        entered_s,
        left_s,
        entered_at,
        signal_id,
        signal_state_at_entry,
        along_direction_px,
        courier_platform
    from source
)

select * from final
