-- Grain: one accident segment (as accident_trends_weekly), around one campaign start date.
-- The windows are int_campaign_windows'. change_pct compares after with before (环比),
-- change_yoy_pct after with last year (同比).
-- is_*_covered: the imported accident data reach the window's first (or last) day; a window the
-- data only partly cover undercounts, so its change should not be quoted.
-- Parameters (DuckDB variables): campaign_start, campaign_end (see int_campaign_windows);
-- board_timezone, via int_accident_segments.
with windows as (
    select * from int_campaign_windows
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

bounds as (
    select
        windows.*,
        coverage.first_date <= windows.before_from_date as is_before_covered,
        coverage.last_date >= windows.after_to_date as is_after_covered,
        coverage.first_date <= windows.last_year_from_date as is_last_year_covered
    from windows
    cross join coverage
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
