-- Grain: as stg_signal_timeline, restricted to the current load of each clip.
with rows_of_current_loads as (
    select signal_timeline.* exclude (generation)
    from stg_signal_timeline as signal_timeline
    semi join int_current_loads using (clip_id, load_id, generation)
),

final as (
    select * from rows_of_current_loads
)

select * from final
