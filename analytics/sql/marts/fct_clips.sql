-- Grain: one clip (its current load). What was analysed, when, how, and whether it is partial.
-- is_view_changed: the camera's view changed at view_changed_at (a PTZ preset, a knocked
-- camera); nothing after it was analysed, so covered_s counts only the footage before it.
with clips as (
    select * from int_current_clips
),

final as (
    select
        * exclude (generation),
        coalesce(view_changed_s, duration_s) as covered_s
    from clips
)

select * from final
