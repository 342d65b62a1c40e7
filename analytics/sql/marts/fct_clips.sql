-- Grain: one clip (its current load). What was analysed, when, how, and whether it is partial.
with clips as (
    select * from int_current_clips
),

final as (
    select * exclude (generation) from clips
)

select * from final
