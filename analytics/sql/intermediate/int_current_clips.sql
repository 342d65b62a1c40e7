-- Grain: one clip, as of its current load (see int_current_loads).
with clips as (
    select * from stg_clips
),

current_loads as (
    select * from int_current_loads
),

final as (
    select clips.*
    from clips
    semi join current_loads using (clip_id, load_id, generation)
)

select * from final
