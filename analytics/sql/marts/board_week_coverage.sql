-- Grain: one ISO week (in the board's timezone) x camera: how much footage of the week was
-- analysed. A week lists every camera that sent clips in it or in the baseline weeks before
-- it, so a camera that went quiet shows as zero clips rather than being missing. Synthetic clips (engine_version
-- 'synthetic', analytics/synthetic) are counted apart so that a board built on them says so.
-- is_covered: the camera has at least board_min_camera_hours of analysed footage in the week (a
-- 24-second clip does not make a camera covered).
-- Parameters (DuckDB variables, defaults in brackets): board_timezone ['Asia/Shanghai'],
-- board_baseline_weeks [4], board_min_camera_hours [1.0].
with settings as (
    select
        coalesce(getvariable('board_timezone'), 'Asia/Shanghai') as timezone,
        coalesce(getvariable('board_baseline_weeks'), 4) as baseline_weeks,
        coalesce(getvariable('board_min_camera_hours'), 1.0) as min_camera_hours
),

clips as (
    select
        clips.camera_id,
        clips.covered_s,
        clips.is_partial,
        clips.is_view_changed,
        clips.engine_version = 'synthetic' as is_synthetic,
        date_trunc('week', timezone(settings.timezone, clips.started_at))::date
            as week_start_date
    from fct_clips as clips
    cross join settings
    where clips.started_at is not null
),

footage as (
    select
        week_start_date,
        camera_id,
        count(*) as count_clips,
        count(*) filter (where is_partial) as count_partial_clips,
        count(*) filter (where is_synthetic) as count_synthetic_clips,
        count(*) filter (where is_view_changed) as count_view_changed_clips,
        -- Footage after a view change is not covered: the zones no longer matched the road.
        sum(covered_s) as footage_s
    from clips
    group by all
),

weeks as (
    select distinct week_start_date from footage
),

active_cameras as (
    select distinct
        weeks.week_start_date,
        footage.camera_id
    from weeks
    cross join settings
    inner join footage
        on
            footage.week_start_date <= weeks.week_start_date
            and footage.week_start_date
            >= weeks.week_start_date - 7 * settings.baseline_weeks
),

cameras as (
    select camera_id, intersection_id, district from dim_cameras
),

final as (
    select
        strftime(active_cameras.week_start_date, '%G-W%V') as week,
        active_cameras.week_start_date,
        cameras.camera_id,
        cameras.intersection_id,
        cameras.district,
        coalesce(footage.count_clips, 0) as count_clips,
        coalesce(footage.count_partial_clips, 0) as count_partial_clips,
        coalesce(footage.count_synthetic_clips, 0) as count_synthetic_clips,
        coalesce(footage.count_view_changed_clips, 0) as count_view_changed_clips,
        coalesce(footage.footage_s, 0) / 3600 as footage_h,
        coalesce(footage.count_clips, 0) > 0
        and coalesce(footage.footage_s, 0) / 3600 >= settings.min_camera_hours as is_covered
    from active_cameras
    cross join settings
    inner join cameras using (camera_id)
    left join footage using (week_start_date, camera_id)
)

select * from final
