-- Grain: one ISO week (in the board's timezone) x entity kind x entity x rule.
-- The numerators and denominators of every rate on the weekly 红黑榜. Entity kinds: 'city'
-- (the whole warehouse, entity_id 'city'), 'district' (街乡), 'intersection', and 'platform'
-- (courier platform, wrong_way only: that platform's lane passages and its riders' violations;
-- riders of unknown platform are left out of this kind, not lumped together).
-- count_intersections: the intersections with exposure behind the figure (a 街乡 resting on one
-- intersection says so). count_confirmed/pending/rejected_violations: the week's violations by
-- review status, whether they count or not (the reviewed share).
-- Parameters (DuckDB variables, defaults in brackets): board_timezone ['Asia/Shanghai'];
-- board_count_only_confirmed [false], via int_placed_violations (rejected events never count).
with settings as (
    select
        coalesce(getvariable('board_timezone'), 'Asia/Shanghai') as timezone
),

cells as (
    select
        date_trunc('week', timezone(settings.timezone, hours.hour_at))::date as week_start_date,
        hours.intersection_id,
        hours.district,
        hours.rule,
        hours.courier_platform,
        sum(hours.count_exposures) as count_exposures,
        sum(hours.count_violations) as count_violations,
        sum(hours.count_confirmed_violations) as count_confirmed_violations,
        sum(hours.count_pending_violations) as count_pending_violations,
        sum(hours.count_rejected_violations) as count_rejected_violations
    from int_hourly_counts as hours
    cross join settings
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
        sum(count_violations)::bigint as count_violations,
        sum(count_confirmed_violations)::bigint as count_confirmed_violations,
        sum(count_pending_violations)::bigint as count_pending_violations,
        sum(count_rejected_violations)::bigint as count_rejected_violations,
        count(distinct intersection_id) filter (where count_exposures > 0) as count_intersections
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
        count_violations,
        count_confirmed_violations,
        count_pending_violations,
        count_rejected_violations,
        count_intersections
    from rolled_up
    where
        entity_kind != 'platform'
        or (rule = 'wrong_way' and courier_platform is not null)
)

select * from final
