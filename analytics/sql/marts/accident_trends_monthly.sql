-- Grain: one calendar month x one accident segment (as accident_trends_weekly), months of each
-- record's own local calendar (the zone its export was written in). Every month from the first
-- to the last month with an accident is listed, a month without accidents as zero.
-- change_mom: this month against the month before. change_yoy: against the same month one year
-- earlier; null when the data do not reach back that far. rolling_3m / rolling_12m: mean
-- monthly count over this month and the 2 / 11 before it; null until the data cover that many.
-- is_partial: the data start after the month's first day or end before its last (the first and
-- last months of an export); is_last_year_partial the same for the month a year earlier. Do not
-- quote a change where either is true. count_placeholder_time_accidents: accidents whose time
-- stands for "not recorded" (00:00 in many exports), counted in the month all the same.
with segments as (
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

months as (
    select
        unnest(
            generate_series(min(month_start_date), max(month_start_date), interval 1 month)
        )::date as month_start_date
    from segments
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
        months.month_start_date,
        names.segment_kind,
        names.segment,
        names.display_order,
        coalesce(counts.count_accidents, 0) as count_accidents,
        coalesce(counts.count_deaths, 0) as count_deaths,
        coalesce(counts.count_injuries, 0) as count_injuries,
        coalesce(counts.count_synthetic_accidents, 0) as count_synthetic_accidents,
        coalesce(counts.count_placeholder_time_accidents, 0)
            as count_placeholder_time_accidents
    from months
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
        strftime(this_month.month_start_date, '%Y-%m') as month,
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
        coverage.first_date > this_month.month_start_date
        or coverage.last_date < last_day(this_month.month_start_date) as is_partial,
        last_year.month_start_date is not null
        and (
            coverage.first_date > last_year.month_start_date
            or coverage.last_date < last_day(last_year.month_start_date)
        ) as is_last_year_partial,
        this_month.rolling_3m_mean_count,
        this_month.rolling_12m_mean_count
    from windowed as this_month
    cross join coverage
    left join windowed as last_year
        on
            last_year.segment = this_month.segment
            and last_year.month_start_date = this_month.month_start_date - interval 1 year
)

select * from final
