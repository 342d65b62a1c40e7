-- Grain: one UTC hour x intersection x district x rule x courier platform.
-- Counted violations (int_placed_violations) and exposures side by side: the cells every
-- published rate sums; beside them the violations by review status, for the reviewed share. Events are bucketed by plain arithmetic on the epoch, so time zone rules
-- run later, once per hour rather than once per event; a local week or day boundary in a
-- timezone that is not a whole number of hours from UTC is therefore placed to the hour.
with violation_hours as (
    select
        epoch_us(occurred_at) // 3600000000 as epoch_hour,
        intersection_id,
        district,
        rule,
        courier_platform,
        count(*) filter (where is_counted) as count_violations,
        count(*) filter (where review_status = 'confirmed') as count_confirmed_violations,
        count(*) filter (where review_status = 'pending') as count_pending_violations,
        count(*) filter (where review_status = 'rejected') as count_rejected_violations,
        0 as count_exposures
    from int_placed_violations
    group by all
),

exposure_hours as (
    select
        epoch_us(hour_at) // 3600000000 as epoch_hour,
        intersection_id,
        district,
        rule,
        courier_platform,
        0 as count_violations,
        0 as count_confirmed_violations,
        0 as count_pending_violations,
        0 as count_rejected_violations,
        sum(count_exposures) as count_exposures
    from fct_exposures
    group by all
),

final as (
    select
        to_timestamp(epoch_hour * 3600) as hour_at,
        intersection_id,
        district,
        rule,
        courier_platform,
        sum(count_violations)::bigint as count_violations,
        sum(count_confirmed_violations)::bigint as count_confirmed_violations,
        sum(count_pending_violations)::bigint as count_pending_violations,
        sum(count_rejected_violations)::bigint as count_rejected_violations,
        sum(count_exposures)::bigint as count_exposures
    from (
        select * from violation_hours
        union all by name
        select * from exposure_hours
    )
    group by all
)

select * from final
