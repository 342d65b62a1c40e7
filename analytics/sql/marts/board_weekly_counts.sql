-- Grain: one ISO week (in the board's timezone) x entity kind x entity x rule.
-- The numerators and denominators of every rate on the weekly 红黑榜. Entity kinds: 'city'
-- (the whole warehouse, entity_id 'city'), 'district' (街乡), 'intersection', and 'platform'
-- (courier platform, wrong_way only: that platform's lane passages and its riders' violations;
-- riders of unknown platform are left out of this kind, not lumped together).
-- Parameters (DuckDB variables, defaults in brackets): board_timezone ['Asia/Shanghai'];
-- board_count_only_confirmed [false], via int_counted_violations (rejected events never count).
with settings as (
    select
        coalesce(getvariable('board_timezone'), 'Asia/Shanghai') as timezone
),

-- Events are first counted per UTC hour (plain arithmetic on the epoch, no time zone rules),
-- so that the local week is computed once per hour rather than once per event: the same hour
-- placement as the exposures below.
violation_hours as (
    select
        epoch_us(violations.occurred_at) // 3600000000 as epoch_hour,
        violations.intersection_id,
        violations.district,
        violations.rule,
        violations.courier_platform,
        count(*) as count_violations
    from int_counted_violations as violations
    group by all
),

violation_cells as (
    select
        date_trunc('week', timezone(settings.timezone, to_timestamp(epoch_hour * 3600)))::date
            as week_start_date,
        violation_hours.intersection_id,
        violation_hours.district,
        violation_hours.rule,
        violation_hours.courier_platform,
        0::hugeint as count_exposures,
        sum(violation_hours.count_violations) as count_violations
    from violation_hours
    cross join settings
    group by all
),

-- Exposures are hourly, so a week boundary in a timezone that is not a whole number of hours
-- from UTC is placed to the hour.
exposure_hours as (
    select
        hour_at,
        intersection_id,
        district,
        rule,
        courier_platform,
        sum(count_exposures) as count_exposures
    from fct_exposures
    group by all
),

exposure_cells as (
    select
        date_trunc('week', timezone(settings.timezone, exposure_hours.hour_at))::date
            as week_start_date,
        exposure_hours.intersection_id,
        exposure_hours.district,
        exposure_hours.rule,
        exposure_hours.courier_platform,
        sum(exposure_hours.count_exposures) as count_exposures,
        0 as count_violations
    from exposure_hours
    cross join settings
    group by all
),

cells as (
    select
        week_start_date,
        intersection_id,
        district,
        rule,
        courier_platform,
        sum(count_exposures) as count_exposures,
        sum(count_violations) as count_violations
    from (
        select * from violation_cells
        union all by name
        select * from exposure_cells
    )
    group by all
),

rolled_up as (
    select
        week_start_date,
        rule,
        case
            when grouping(intersection_id) = 0 then 'intersection'
            when grouping(district) = 0 then 'district'
            when grouping(courier_platform) = 0 then 'platform'
            else 'city'
        end as entity_kind,
        intersection_id,
        district,
        courier_platform,
        sum(count_exposures)::bigint as count_exposures,
        sum(count_violations)::bigint as count_violations
    from cells
    group by grouping sets (
        (week_start_date, rule),
        (week_start_date, rule, district),
        (week_start_date, rule, district, intersection_id),
        (week_start_date, rule, courier_platform)
    )
),

final as (
    select
        strftime(week_start_date, '%G-W%V') as week,
        week_start_date,
        entity_kind,
        case entity_kind
            when 'intersection' then intersection_id
            when 'district' then district
            when 'platform' then courier_platform
            else 'city'
        end as entity_id,
        case when entity_kind in ('intersection', 'district') then district end as district,
        rule,
        count_exposures,
        count_violations
    from rolled_up
    where
        entity_kind != 'platform'
        or (rule = 'wrong_way' and courier_platform is not null)
)

select * from final
