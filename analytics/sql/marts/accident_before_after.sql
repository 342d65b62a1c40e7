-- Grain: one accident segment (as accident_trends_weekly), around one campaign start date.
-- The after window runs from campaign_start to campaign_end; the before window is the same
-- number of days just before campaign_start; the last-year window is the after window's dates
-- one calendar year earlier. change_pct compares after with before (环比), change_yoy_pct after
-- with last year (同比). Days are local days in the board's timezone.
-- is_*_covered: the imported accident data reach the window's first (or last) day; a window the
-- data only partly cover undercounts, so its change should not be quoted.
-- Parameters (DuckDB variables, defaults in brackets): campaign_start [none: no rows without
-- it], campaign_end [the last day with an accident]; board_timezone, via int_accident_segments.
with settings as (
    select
        getvariable('campaign_start')::date as campaign_start_date,
        getvariable('campaign_end')::date as campaign_end_date
),

segments as (
    select * from int_accident_segments
),

names as (
    select segment_kind, segment, display_order from int_accident_segment_names
),

coverage as (
    select
        min(local_date) as first_date,
        max(local_date) as last_date
    from segments
),

windows as (
    select
        settings.campaign_start_date,
        coverage.first_date,
        coverage.last_date,
        coalesce(settings.campaign_end_date, coverage.last_date) as after_to_date,
        (after_to_date - settings.campaign_start_date + 1)::integer as window_days
    from settings
    cross join coverage
    where settings.campaign_start_date is not null
),

bounds as (
    select
        campaign_start_date,
        window_days,
        campaign_start_date - window_days as before_from_date,
        campaign_start_date - 1 as before_to_date,
        campaign_start_date as after_from_date,
        after_to_date,
        (campaign_start_date - interval 1 year)::date as last_year_from_date,
        (after_to_date - interval 1 year)::date as last_year_to_date,
        first_date <= campaign_start_date - window_days as is_before_covered,
        last_date >= after_to_date as is_after_covered,
        first_date <= (campaign_start_date - interval 1 year)::date as is_last_year_covered
    from windows
    where window_days > 0
),

counts as (
    select
        names.segment_kind,
        names.segment,
        names.display_order,
        count(segments.record_id) filter (
            where segments.local_date between bounds.before_from_date and bounds.before_to_date
        ) as count_before,
        count(segments.record_id) filter (
            where segments.local_date between bounds.after_from_date and bounds.after_to_date
        ) as count_after,
        count(segments.record_id) filter (
            where
                segments.local_date
                between bounds.last_year_from_date and bounds.last_year_to_date
        ) as count_last_year
    from bounds
    cross join names
    left join segments on segments.segment = names.segment
    group by names.segment_kind, names.segment, names.display_order
),

final as (
    select
        bounds.campaign_start_date,
        bounds.window_days,
        bounds.before_from_date,
        bounds.before_to_date,
        bounds.after_from_date,
        bounds.after_to_date,
        bounds.last_year_from_date,
        bounds.last_year_to_date,
        counts.segment_kind,
        counts.segment,
        counts.display_order,
        counts.count_before,
        counts.count_after,
        counts.count_last_year,
        100.0 * (counts.count_after - counts.count_before)
        / nullif(counts.count_before, 0) as change_pct,
        100.0 * (counts.count_after - counts.count_last_year)
        / nullif(counts.count_last_year, 0) as change_yoy_pct,
        bounds.is_before_covered,
        bounds.is_after_covered,
        bounds.is_last_year_covered
    from counts
    cross join bounds
)

select * from final
