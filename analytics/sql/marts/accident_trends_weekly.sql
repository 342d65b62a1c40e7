-- Grain: one ISO week x one accident segment (all accidents, each party type, each severity; see
-- int_accident_segment_names), weeks of each record's own local calendar (the zone its export
-- was written in). Every week from the first to the last week with an accident is listed, a
-- week without accidents as zero.
-- change_wow: this week against the week before. change_yoy: against the same ISO week number
-- of the previous ISO year; null when the data do not reach back that far (or for week 53 when
-- the previous year has none). rolling_4w / rolling_13w: mean weekly count over this week and
-- the 3 / 12 before it; null until the data cover that many weeks.
-- Weeks, the week a year before and is_partial are int_accident_periods' for all sources
-- together: is_partial where a source's data start after the week's Monday or end before its
-- Sunday (or no source's data reach it); is_last_year_partial the same for the week compared
-- year over year. Do not quote a change where either is true. count_placeholder_time_accidents: accidents whose time stands for "not
-- recorded" (00:00 in many exports), counted in the week all the same.
with segments as (
    select * from int_accident_segments
),

names as (
    select segment_kind, segment, display_order from int_accident_segment_names
),

periods as (
    select
        period as week,
        period_start_date as week_start_date,
        last_year_start_date,
        is_partial
    from int_accident_periods
    where period_kind = 'week' and source_name is null
),

counts as (
    select
        week_start_date,
        segment,
        count(*) as count_accidents,
        sum(count_deaths)::bigint as count_deaths,
        sum(count_injuries)::bigint as count_injuries,
        count(*) filter (where is_synthetic) as count_synthetic_accidents,
        count(*) filter (where is_time_placeholder) as count_placeholder_time_accidents
    from segments
    group by all
),

filled as (
    select
        periods.week,
        periods.week_start_date,
        isoyear(periods.week_start_date) as iso_year,
        weekofyear(periods.week_start_date) as iso_week,
        periods.last_year_start_date,
        periods.is_partial,
        names.segment_kind,
        names.segment,
        names.display_order,
        coalesce(counts.count_accidents, 0) as count_accidents,
        coalesce(counts.count_deaths, 0) as count_deaths,
        coalesce(counts.count_injuries, 0) as count_injuries,
        coalesce(counts.count_synthetic_accidents, 0) as count_synthetic_accidents,
        coalesce(counts.count_placeholder_time_accidents, 0)
            as count_placeholder_time_accidents
    from periods
    cross join names
    left join counts using (week_start_date, segment)
),

windowed as (
    select
        *,
        lag(count_accidents) over by_week as count_accidents_prev_week,
        case
            when count(*) over last_4_weeks = 4 then avg(count_accidents) over last_4_weeks
        end as rolling_4w_mean_count,
        case
            when count(*) over last_13_weeks = 13 then avg(count_accidents) over last_13_weeks
        end as rolling_13w_mean_count
    from filled
    window
        by_week as (partition by segment order by week_start_date),
        last_4_weeks as (by_week rows between 3 preceding and current row),
        last_13_weeks as (by_week rows between 12 preceding and current row)
),

final as (
    select
        this_week.week,
        this_week.week_start_date,
        this_week.iso_year,
        this_week.iso_week,
        this_week.segment_kind,
        this_week.segment,
        this_week.display_order,
        this_week.count_accidents,
        this_week.count_deaths,
        this_week.count_injuries,
        this_week.count_synthetic_accidents,
        this_week.count_placeholder_time_accidents,
        this_week.count_accidents_prev_week,
        this_week.count_accidents - this_week.count_accidents_prev_week as change_wow_count,
        100.0 * (this_week.count_accidents - this_week.count_accidents_prev_week)
        / nullif(this_week.count_accidents_prev_week, 0) as change_wow_pct,
        last_year.count_accidents as count_accidents_last_year,
        this_week.count_accidents - last_year.count_accidents as change_yoy_count,
        100.0 * (this_week.count_accidents - last_year.count_accidents)
        / nullif(last_year.count_accidents, 0) as change_yoy_pct,
        this_week.is_partial,
        coalesce(last_year.is_partial, false) as is_last_year_partial,
        this_week.rolling_4w_mean_count,
        this_week.rolling_13w_mean_count
    from windowed as this_week
    left join windowed as last_year
        on
            last_year.segment = this_week.segment
            and last_year.week_start_date = this_week.last_year_start_date
)

select * from final
