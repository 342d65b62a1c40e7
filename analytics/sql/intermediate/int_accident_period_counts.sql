-- Grain: one period kind ('week': ISO week, or 'month') x one period x one accident segment
-- (int_accident_segment_names): every period of int_accident_periods (all sources together,
-- from the first to the last period with an accident), a period without accidents as zero.
-- What the weekly and the monthly accident trends share: the counts; the period before's count
-- (null for the first period) and the same period a year earlier's (null where the data do
-- not reach back to it), with the change against each (count, and percent: null where the
-- period compared had none); is_partial and is_last_year_partial from int_accident_periods.
with placed as (
    select * from int_accident_segment_periods
),

names as (
    select segment_kind, segment, display_order from int_accident_segment_names
),

periods as (
    select period_kind, period, period_start_date, last_year_start_date, is_partial
    from int_accident_periods
    where source_name is null
),

counts as (
    select
        period_kind,
        period_start_date,
        segment,
        count(*) as count_accidents,
        sum(count_deaths)::bigint as count_deaths,
        sum(count_injuries)::bigint as count_injuries,
        count(*) filter (where is_synthetic) as count_synthetic_accidents,
        count(*) filter (where is_time_placeholder) as count_placeholder_time_accidents
    from placed
    group by all
),

filled as (
    select
        periods.period_kind,
        periods.period,
        periods.period_start_date,
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
    left join counts using (period_kind, period_start_date, segment)
),

compared as (
    select
        this_period.*,
        lag(this_period.count_accidents) over (
            partition by this_period.period_kind, this_period.segment
            order by this_period.period_start_date
        ) as count_accidents_prev_period,
        last_year.count_accidents as count_accidents_last_year,
        coalesce(last_year.is_partial, false) as is_last_year_partial
    from filled as this_period
    left join filled as last_year
        on
            last_year.period_kind = this_period.period_kind
            and last_year.segment = this_period.segment
            and last_year.period_start_date = this_period.last_year_start_date
),

final as (
    select
        period_kind,
        period,
        period_start_date,
        segment_kind,
        segment,
        display_order,
        count_accidents,
        count_deaths,
        count_injuries,
        count_synthetic_accidents,
        count_placeholder_time_accidents,
        count_accidents_prev_period,
        count_accidents - count_accidents_prev_period as change_prev_count,
        100.0 * (count_accidents - count_accidents_prev_period)
        / nullif(count_accidents_prev_period, 0) as change_prev_pct,
        count_accidents_last_year,
        count_accidents - count_accidents_last_year as change_yoy_count,
        100.0 * (count_accidents - count_accidents_last_year)
        / nullif(count_accidents_last_year, 0) as change_yoy_pct,
        is_partial,
        is_last_year_partial
    from compared
)

select * from final
