-- Grain: one period (period_kind 'week': ISO week, or 'month') x one data source x one area:
-- area_kind 'source' (all the source's accidents), 'district', 'zip_code', 'beat' or
-- 'intersection' (the record's intersection_id, else its location when that names two streets).
-- Listed only where the area had an accident in the period; periods are each record's own local
-- calendar. count_accidents_prev_period / count_accidents_last_year: the area's count in the
-- period before / in the same period a year earlier (same ISO week number, or same month); 0
-- when the source's data reach back to it and the area had none there, null when they do not.
-- is_partial: the source's data start or end within the period; is_last_year_partial: they
-- start within the period a year earlier. Do not quote a change where either is true.
with accidents as (
    select
        *,
        coalesce(
            intersection_id, case when location_kind = 'intersection' then location_text end
        ) as intersection
    from stg_accident_records
),

coverage as (
    select
        source_name,
        min(local_date) as first_date,
        max(local_date) as last_date
    from accidents
    group by source_name
),

periods as (
    select
        'week' as period_kind,
        date_trunc('week', occurred_local_at)::date as period_start_date,
        *
    from accidents
    union all
    select
        'month' as period_kind,
        date_trunc('month', occurred_local_at)::date as period_start_date,
        *
    from accidents
),

areas as (
    select
        periods.*,
        area.area_kind,
        area.area
    from periods
    cross join lateral (
        values
        ('source', periods.source_name),
        ('district', periods.district),
        ('zip_code', periods.zip_code),
        ('beat', periods.beat),
        ('intersection', periods.intersection)
    ) as area (area_kind, area)
    where area.area is not null
),

counts as (
    select
        period_kind,
        period_start_date,
        source_name,
        area_kind,
        area,
        count(*) as count_accidents,
        sum(count_deaths)::bigint as count_deaths,
        sum(count_injuries)::bigint as count_injuries,
        count(*) filter (where severity = 'fatal') as count_fatal_accidents,
        count(*) filter (where is_pedestrian_involved) as count_pedestrian_accidents,
        count(*) filter (where is_non_motor_involved) as count_non_motor_accidents,
        count(*) filter (where is_courier_involved) as count_courier_accidents,
        count(*) filter (where is_time_placeholder) as count_placeholder_time_accidents
    from areas
    group by all
),

dated as (
    select
        *,
        case period_kind
            when 'week' then period_start_date + 6 else last_day(period_start_date)
        end as period_end_date,
        case period_kind
            when 'week' then period_start_date - 7
            else (period_start_date - interval 1 month)::date
        end as prev_start_date,
        -- A year before an ISO week is the week of the same number: 52 weeks back, or 53 after
        -- a 53-week year; none for week 53 when the year before has no week 53.
        case
            when period_kind = 'month' then (period_start_date - interval 1 year)::date
            when weekofyear(period_start_date - 364) = weekofyear(period_start_date)
                then period_start_date - 364
            when weekofyear(period_start_date - 371) = weekofyear(period_start_date)
                then period_start_date - 371
        end as last_year_start_date,
        case period_kind
            when 'week' then last_year_start_date + 6 else last_day(last_year_start_date)
        end as last_year_end_date
    from counts
),

final as (
    select
        this_period.period_kind,
        case this_period.period_kind
            when 'week' then strftime(this_period.period_start_date, '%G-W%V')
            else strftime(this_period.period_start_date, '%Y-%m')
        end as period,
        this_period.period_start_date,
        this_period.period_end_date,
        this_period.source_name,
        this_period.area_kind,
        this_period.area,
        this_period.count_accidents,
        this_period.count_deaths,
        this_period.count_injuries,
        this_period.count_fatal_accidents,
        this_period.count_pedestrian_accidents,
        this_period.count_non_motor_accidents,
        this_period.count_courier_accidents,
        this_period.count_placeholder_time_accidents,
        coalesce(
            prev_period.count_accidents,
            case when coverage.first_date < this_period.period_start_date then 0 end
        ) as count_accidents_prev_period,
        100.0 * (this_period.count_accidents - count_accidents_prev_period)
        / nullif(count_accidents_prev_period, 0) as change_prev_pct,
        coalesce(
            last_year.count_accidents,
            case when coverage.first_date <= this_period.last_year_end_date then 0 end
        ) as count_accidents_last_year,
        100.0 * (this_period.count_accidents - count_accidents_last_year)
        / nullif(count_accidents_last_year, 0) as change_yoy_pct,
        coverage.first_date > this_period.period_start_date
        or coverage.last_date < this_period.period_end_date as is_partial,
        coalesce(
            coverage.first_date > this_period.last_year_start_date
            and count_accidents_last_year is not null,
            false
        ) as is_last_year_partial
    from dated as this_period
    inner join coverage on coverage.source_name = this_period.source_name
    left join dated as prev_period
        on
            prev_period.period_kind = this_period.period_kind
            and prev_period.source_name = this_period.source_name
            and prev_period.area_kind = this_period.area_kind
            and prev_period.area = this_period.area
            and prev_period.period_start_date = this_period.prev_start_date
    left join dated as last_year
        on
            last_year.period_kind = this_period.period_kind
            and last_year.source_name = this_period.source_name
            and last_year.area_kind = this_period.area_kind
            and last_year.area = this_period.area
            and last_year.period_start_date = this_period.last_year_start_date
)

select * from final
