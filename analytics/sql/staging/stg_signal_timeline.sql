-- Grain: one stretch of constant state of one signal, in one load of one clip.
with source as (
    select * from raw_signal_timeline
),

final as (
    select
        clip_id,
        load_id,
        generation,
        camera_id,
        signal_id,
        state,
        from_s,
        to_s,
        from_at,
        to_at
    from source
)

select * from final
