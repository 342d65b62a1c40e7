-- Grain: one calendar month x one accident segment (as accident_trends_weekly), months of each
-- record's own local calendar (the zone its export was written in). Every month from the first
-- to the last month with an accident is listed, a month without accidents as zero.
-- change_mom: this month against the month before. change_yoy: against the same month one year
-- earlier; null when the data do not reach back that far. rolling_3m / rolling_12m: mean
-- monthly count over this month and the 2 / 11 before it; null until the data cover that many.
-- Months, the month a year before and is_partial are int_accident_periods' for all sources
-- together: is_partial where a source's data start after the month's first day or end before
-- its last (the first and last months of an export, or no source's data reach it);
-- is_last_year_partial the same for the month a year earlier. Do not quote a change where
-- either is true. count_placeholder_time_accidents: accidents whose time
-- stands for "not recorded" (00:00 in many exports), counted in the month all the same.
with segments as (
    select * from int_accident_segments
),

names as (
    select segment_kind, segment, display_order from int_accident_segment_names
),

periods as (
    select
        period as month,
        period_start_date as month_start_date,
        last_year_start_date,
        is_partial
    from int_accident_periods
    where period_kind = 'month' and source_name is null
),

counts as (
    select
        month_start_date,
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
        periods.month,
        periods.month_start_date,
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
    left join counts using (month_start_date, segment)
),

windowed as (
    select
        *,
        lag(count_accidents) over by_month as count_accidents_prev_month,
        case
            when count(*) over last_3_months = 3 then avg(count_accidents) over last_3_months
        end as rolling_3m_mean_count,
        case
            when count(*) over last_12_months = 12 then avg(count_accidents) over last_12_months
        end as rolling_12m_mean_count
    from filled
    window
        by_month as (partition by segment order by month_start_date),
        last_3_months as (by_month rows between 2 preceding and current row),
        last_12_months as (by_month rows between 11 preceding and current row)
),

final as (
    select
        this_month.month,
        this_month.month_start_date,
        this_month.segment_kind,
        this_month.segment,
        this_month.display_order,
        this_month.count_accidents,
        this_month.count_deaths,
        this_month.count_injuries,
        this_month.count_synthetic_accidents,
        this_month.count_placeholder_time_accidents,
        this_month.count_accidents_prev_month,
        this_month.count_accidents - this_month.count_accidents_prev_month as change_mom_count,
        100.0 * (this_month.count_accidents - this_month.count_accidents_prev_month)
        / nullif(this_month.count_accidents_prev_month, 0) as change_mom_pct,
        last_year.count_accidents as count_accidents_last_year,
        this_month.count_accidents - last_year.count_accidents as change_yoy_count,
        100.0 * (this_month.count_accidents - last_year.count_accidents)
        / nullif(last_year.count_accidents, 0) as change_yoy_pct,
        this_month.is_partial,
        coalesce(last_year.is_partial, false) as is_last_year_partial,
        this_month.rolling_3m_mean_count,
        this_month.rolling_12m_mean_count
    from windowed as this_month
    left join windowed as last_year
        on
            last_year.segment = this_month.segment
            and last_year.month_start_date = this_month.last_year_start_date
)

select * from final
