-- Grain: one violation segment around the campaign start: each rule over all road users, and
-- wrong-way riding by couriers (riders whose livery or reviewed platform names a platform).
-- Windows as int_campaign_windows; counts and rates per 1,000 exposures in each, with the
-- change after vs before (环比) and after vs the same dates last year (同比). The seeds' "courier
-- wrong-way riding -75%" is change_rate_pct of segment ('wrong_way', 'courier').
-- Parameters: campaign_start, campaign_end; board_timezone ['Asia/Shanghai'];
-- board_count_only_confirmed [false], via int_placed_violations.
with settings as (
    select
        coalesce(getvariable('board_timezone'), 'Asia/Shanghai') as timezone
),

windows as (
    select * from int_campaign_windows
),

days as (
    select
        timezone(settings.timezone, hours.hour_at)::date as local_date,
        hours.rule,
        hours.courier_platform is not null as is_courier,
        sum(hours.count_violations) as count_violations,
        sum(hours.count_exposures) as count_exposures
    from int_hourly_counts as hours
    cross join settings
    group by all
),

segmented as (
    select rule, 'all' as segment, local_date, count_violations, count_exposures
    from days
    union all
    select rule, 'courier' as segment, local_date, count_violations, count_exposures
    from days
    where is_courier and rule = 'wrong_way'
),

placed as (
    select
        segmented.*,
        case
            when local_date between before_from_date and before_to_date then 'before'
            when local_date between after_from_date and after_to_date then 'after'
            when local_date between last_year_from_date and last_year_to_date then 'last_year'
        end as campaign_window
    from segmented
    cross join windows
),

counts as (
    select
        rule,
        segment,
        sum(if(campaign_window = 'before', count_violations, 0)) as count_violations_before,
        sum(if(campaign_window = 'before', count_exposures, 0)) as count_exposures_before,
        sum(if(campaign_window = 'after', count_violations, 0)) as count_violations_after,
        sum(if(campaign_window = 'after', count_exposures, 0)) as count_exposures_after,
        sum(if(campaign_window = 'last_year', count_violations, 0)) as count_violations_last_year,
        sum(if(campaign_window = 'last_year', count_exposures, 0)) as count_exposures_last_year
    from placed
    group by rule, segment
),

rates as (
    select
        *,
        1000.0 * count_violations_before / nullif(count_exposures_before, 0)
            as rate_per_1000_before,
        1000.0 * count_violations_after / nullif(count_exposures_after, 0)
            as rate_per_1000_after,
        1000.0 * count_violations_last_year / nullif(count_exposures_last_year, 0)
            as rate_per_1000_last_year
    from counts
),

final as (
    select
        windows.*,
        rates.* exclude (rule, segment),
        rates.rule,
        rates.segment,
        100.0 * (count_violations_after - count_violations_before)
        / nullif(count_violations_before, 0) as change_count_pct,
        100.0 * (rate_per_1000_after - rate_per_1000_before)
        / nullif(rate_per_1000_before, 0) as change_rate_pct,
        100.0 * (count_violations_after - count_violations_last_year)
        / nullif(count_violations_last_year, 0) as change_count_yoy_pct,
        100.0 * (rate_per_1000_after - rate_per_1000_last_year)
        / nullif(rate_per_1000_last_year, 0) as change_rate_yoy_pct
    from rates
    cross join windows
)

select * from final
