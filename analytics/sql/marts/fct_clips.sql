-- Grain: one clip (its current load). What was analysed, when, how, and whether it is partial.
-- is_view_changed: the camera's view changed at view_changed_at (a PTZ preset, a knocked
-- camera); nothing was analysed until it was back on its reference view (count_view_changes
-- stretches, view_changed_duration_s seconds in all), so covered_s counts only the footage
-- outside them. Older outputs (no view_changed_duration_s) knew no return: their change
-- lasted to the end of the clip.
with clips as (
    select * from int_current_clips
),

final as (
    select
        * exclude (generation),
        coalesce(
            duration_s - view_changed_duration_s, view_changed_s, duration_s
        ) as covered_s
    from clips
)

select * from final
