-- Grain: as stg_track_summaries, restricted to the current load of each clip.
with rows_of_current_loads as (
    select track_summaries.* exclude (generation)
    from stg_track_summaries as track_summaries
    semi join int_current_loads using (clip_id, load_id, generation)
),

final as (
    select * from rows_of_current_loads
)

select * from final
