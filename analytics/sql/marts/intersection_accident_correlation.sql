-- Grain: one intersection x one rule. Over the weeks both sources cover, the Pearson correlation
-- between an intersection's weekly violation rate (board_weekly_counts: violations per exposure)
-- and its weekly accidents: all of them, and those involving the road users the rule is about
-- (pedestrians for pedestrian_red_light, non-motor vehicles, couriers included, for wrong_way).
-- Weeks counted: those with exposures at the intersection that lie within the span of the
-- accident data; a week there without accidents counts as zero accidents, a week outside the
-- span is left out. corr is null with fewer than 3 weeks or when either series is constant.
-- Correlation across a few weeks is weak evidence: read it with count_weeks.
-- Parameters (DuckDB variables): correlation_start, correlation_end [none: every week]: the
-- window of weeks (dates within their first and last week) the board states it used.
with settings as (
    select
        coalesce(getvariable('correlation_start')::date, date '0001-01-01') as first_date,
        coalesce(getvariable('correlation_end')::date, date '9999-12-31') as last_date
),

rates as (
    select
        entity_id as intersection_id,
        district,
        rule,
        week_start_date,
        count_violations,
        count_exposures,
        count_violations / count_exposures as violation_rate
    from board_weekly_counts
    cross join settings
    where
        entity_kind = 'intersection'
        and count_exposures > 0
        and week_start_date + 6 >= settings.first_date
        and week_start_date <= settings.last_date
),

accidents as (
    select
        intersection_id,
        week_start_date,
        count(*) filter (where segment = 'all') as count_accidents,
        count(*) filter (where segment = 'pedestrian') as count_pedestrian_accidents,
        count(*) filter (where segment = 'non_motor_vehicle') as count_non_motor_accidents
    from int_accident_segments
    where intersection_id is not null
    group by all
),

accident_span as (
    select
        min(week_start_date) as first_week_start_date,
        max(week_start_date) as last_week_start_date
    from int_accident_segments
),

weekly as (
    select
        rates.*,
        coalesce(accidents.count_accidents, 0) as count_accidents,
        case rates.rule
            when 'pedestrian_red_light' then coalesce(accidents.count_pedestrian_accidents, 0)
            when 'wrong_way' then coalesce(accidents.count_non_motor_accidents, 0)
        end as count_related_accidents
    from rates
    cross join accident_span
    left join accidents using (intersection_id, week_start_date)
    where
        rates.week_start_date
        between accident_span.first_week_start_date and accident_span.last_week_start_date
),

final as (
    select
        intersection_id,
        any_value(district) as district,
        rule,
        count(*) as count_weeks,
        sum(count_violations)::bigint as count_violations,
        sum(count_exposures)::bigint as count_exposures,
        1000 * sum(count_violations) / sum(count_exposures) as rate_per_1000,
        sum(count_accidents)::bigint as count_accidents,
        sum(count_related_accidents)::bigint as count_related_accidents,
        case
            when
                count(*) >= 3 and var_pop(violation_rate) > 0 and var_pop(count_accidents) > 0
                then corr(violation_rate, count_accidents)
        end as corr_rate_accidents,
        case
            when
                count(*) >= 3
                and var_pop(violation_rate) > 0
                and var_pop(count_related_accidents) > 0
                then corr(violation_rate, count_related_accidents)
        end as corr_rate_related_accidents
    from weekly
    group by intersection_id, rule
)

select * from final
