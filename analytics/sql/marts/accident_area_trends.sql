-- Grain: one period (period_kind 'week': ISO week, or 'month') x one data source x one area:
-- area_kind 'source' (all the source's accidents), 'district', 'zip_code', 'beat' or
-- 'intersection' (the record's intersection_id, else its location when that names two streets).
-- Listed only where the area had an accident in the period. Periods, the period before, the
-- same period a year earlier and the flags are int_accident_periods' for the source, the
-- accidents' segments and periods int_accident_segment_periods', as in the trend marts.
-- count_accidents_prev_period / count_accidents_last_year: the area's count in the period
-- before / in the same period a year earlier; 0 when the source's data reach into that period
-- and the area had none there, null when they do not.
-- is_partial: the source's data start or end within the period; is_last_year_partial: they
-- start within the period a year earlier. Do not quote a change where either is true.
with placed as (
    select
        *,
        coalesce(
            intersection_id, case when location_kind = 'intersection' then location_text end
        ) as intersection
    from int_accident_segment_periods
),

periods as (
    select * from int_accident_periods where source_name is not null
),

areas as (
    select
        placed.*,
        area.area_kind,
        area.area
    from placed
    cross join lateral (
        values
        ('source', placed.source_name),
        ('district', placed.district),
        ('zip_code', placed.zip_code),
        ('beat', placed.beat),
        ('intersection', placed.intersection)
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
        count(*) filter (where segment = 'all') as count_accidents,
        sum(count_deaths) filter (where segment = 'all')::bigint as count_deaths,
        sum(count_injuries) filter (where segment = 'all')::bigint as count_injuries,
        count(*) filter (where segment = 'fatal') as count_fatal_accidents,
        count(*) filter (where segment = 'pedestrian') as count_pedestrian_accidents,
        count(*) filter (where segment = 'non_motor_vehicle') as count_non_motor_accidents,
        count(*) filter (where segment = 'courier') as count_courier_accidents,
        count(*) filter (
            where segment = 'all' and is_time_placeholder
        ) as count_placeholder_time_accidents
    from areas
    group by all
),

final as (
    select
        this_period.period_kind,
        periods.period,
        this_period.period_start_date,
        periods.period_end_date,
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
            prev_period.count_accidents, case when prev_periods.is_covered then 0 end
        ) as count_accidents_prev_period,
        100.0 * (this_period.count_accidents - count_accidents_prev_period)
        / nullif(count_accidents_prev_period, 0) as change_prev_pct,
        coalesce(
            last_year.count_accidents, case when last_year_periods.is_covered then 0 end
        ) as count_accidents_last_year,
        100.0 * (this_period.count_accidents - count_accidents_last_year)
        / nullif(count_accidents_last_year, 0) as change_yoy_pct,
        periods.is_partial,
        coalesce(last_year_periods.is_partial, false) as is_last_year_partial
    from counts as this_period
    inner join periods
        on
            periods.period_kind = this_period.period_kind
            and periods.source_name = this_period.source_name
            and periods.period_start_date = this_period.period_start_date
    left join periods as prev_periods
        on
            prev_periods.period_kind = this_period.period_kind
            and prev_periods.source_name = this_period.source_name
            and prev_periods.period_start_date = periods.prev_start_date
    left join periods as last_year_periods
        on
            last_year_periods.period_kind = this_period.period_kind
            and last_year_periods.source_name = this_period.source_name
            and last_year_periods.period_start_date = periods.last_year_start_date
    left join counts as prev_period
        on
            prev_period.period_kind = this_period.period_kind
            and prev_period.source_name = this_period.source_name
            and prev_period.area_kind = this_period.area_kind
            and prev_period.area = this_period.area
            and prev_period.period_start_date = periods.prev_start_date
    left join counts as last_year
        on
            last_year.period_kind = this_period.period_kind
            and last_year.source_name = this_period.source_name
            and last_year.area_kind = this_period.area_kind
            and last_year.area = this_period.area
            and last_year.period_start_date = periods.last_year_start_date
)

select * from final
