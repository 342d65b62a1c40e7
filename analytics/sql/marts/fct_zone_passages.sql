-- Grain: as stg_zone_passages, restricted to the current load of each clip.
with rows_of_current_loads as (
    select zone_passages.* exclude (generation)
    from stg_zone_passages as zone_passages
    semi join int_current_loads using (clip_id, load_id, generation)
),

final as (
    select * from rows_of_current_loads
)

select * from final
