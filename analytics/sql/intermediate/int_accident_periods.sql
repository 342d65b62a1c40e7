-- Grain: one period kind ('week': ISO week, or 'month') x one period, every one from the first
-- to the last period with an accident (of any source), x one data source (source_name), plus
-- one row per period for all sources together (source_name null). Periods are of each record's
-- own local calendar (int_accident_segments). The calendar every accident trend compares by:
-- prev_start_date, the period before; last_year_start_date, the same period a year earlier
-- (the same month, or the ISO week of the same number: 52 weeks back, or 53 after a 53-week
-- year; null for week 53 when the year before has none).
-- is_covered: the source's data (its first to its last local day with an accident) reach into
-- the period. is_partial: they start after the period's first day or end before its last, so
-- that its count is low; for all sources together, where any source's is, or none covers it.
with accidents as (
    select source_name, local_date, week_start_date, month_start_date
    from int_accident_segments
    where segment = 'all'
),

coverage as (
    select
        source_name,
        min(local_date) as first_date,
        max(local_date) as last_date
    from accidents
    group by source_name
),

calendar as (
    select
        'week' as period_kind,
        unnest(
            generate_series(min(week_start_date), max(week_start_date), interval 7 day)
        )::date as period_start_date
    from accidents
    union all
    select
        'month' as period_kind,
        unnest(
            generate_series(min(month_start_date), max(month_start_date), interval 1 month)
        )::date as period_start_date
    from accidents
),

dated as (
    select
        period_kind,
        case period_kind
            when 'week' then strftime(period_start_date, '%G-W%V')
            else strftime(period_start_date, '%Y-%m')
        end as period,
        period_start_date,
        case period_kind
            when 'week' then period_start_date + 6 else last_day(period_start_date)
        end as period_end_date,
        case period_kind
            when 'week' then period_start_date - 7
            else (period_start_date - interval 1 month)::date
        end as prev_start_date,
        case
            when period_kind = 'month' then (period_start_date - interval 1 year)::date
            when weekofyear(period_start_date - 364) = weekofyear(period_start_date)
                then period_start_date - 364
            when weekofyear(period_start_date - 371) = weekofyear(period_start_date)
                then period_start_date - 371
        end as last_year_start_date
    from calendar
),

by_source as (
    select
        dated.*,
        coverage.source_name,
        coverage.first_date <= dated.period_end_date
        and coverage.last_date >= dated.period_start_date as is_covered,
        is_covered
        and (
            coverage.first_date > dated.period_start_date
            or coverage.last_date < dated.period_end_date
        ) as is_partial
    from dated
    cross join coverage
),

all_sources as (
    select
        period_kind,
        period,
        period_start_date,
        period_end_date,
        prev_start_date,
        last_year_start_date,
        null::varchar as source_name,
        bool_or(is_covered) as is_covered,
        bool_or(is_partial) or not bool_or(is_covered) as is_partial
    from by_source
    group by all
),

final as (
    select * from by_source
    union all
    select * from all_sources
)

select * from final
