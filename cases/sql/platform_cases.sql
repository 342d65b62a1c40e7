-- Grain: one confirmed violation of a courier (courier platform known) in the local ISO week
-- $week of $timezone, with how often its rider (一人一码) was confirmed that week and in the
-- $earlier_weeks weeks before: what a platform's weekly notice lists. A case without a rider
-- code is its own rider.
with confirmed as (
    select
        event_id,
        rule,
        courier_platform,
        rider_code,
        occurred_at,
        district,
        camera_name,
        disposition,
        fine_yuan,
        timezone($timezone, occurred_at)::date as local_date,
        strftime(timezone($timezone, occurred_at), '%G-W%V') as week
    from fct_violations
    where
        review_status = 'confirmed'
        and courier_platform is not null
        and occurred_at is not null
),

this_week as (
    select * from confirmed where week = $week
),

riders_this_week as (
    select courier_platform, rider_code, count(*) as count_this_week
    from this_week
    where rider_code is not null
    group by all
),

riders_earlier as (
    select courier_platform, rider_code, count(*) as count_earlier
    from confirmed
    where
        rider_code is not null
        and local_date >= $monday::date - to_days(7 * $earlier_weeks)
        and local_date < $monday::date
    group by all
),

final as (
    select
        this_week.event_id,
        this_week.rule,
        this_week.courier_platform,
        this_week.rider_code,
        this_week.occurred_at,
        strftime(timezone($timezone, this_week.occurred_at), '%Y-%m-%d %H:%M') as occurred_local,
        this_week.district,
        this_week.camera_name,
        this_week.disposition,
        this_week.fine_yuan,
        coalesce(riders_this_week.count_this_week, 1) as count_rider_this_week,
        coalesce(riders_earlier.count_earlier, 0) as count_rider_earlier
    from this_week
    left join riders_this_week using (courier_platform, rider_code)
    left join riders_earlier using (courier_platform, rider_code)
)

select * from final
order by courier_platform, rider_code nulls last, occurred_at, event_id
