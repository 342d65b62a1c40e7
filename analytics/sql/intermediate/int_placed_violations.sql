-- Grain: one violation placed in time, with its review status and whether it counts against
-- someone: rejected ones never count; confirmed ones always; pending ones unless only confirmed
-- events count. Every published rate counts the is_counted ones; the reviewed share divides the
-- decided ones by all of them.
-- Parameters: board_count_only_confirmed [false]: count only review-confirmed events, else
-- pending ones too. Events without a wall-clock time cannot be placed in a week.
with settings as (
    select coalesce(getvariable('board_count_only_confirmed'), false) as is_only_confirmed
),

final as (
    select
        violations.event_id,
        violations.occurred_at,
        violations.intersection_id,
        violations.district,
        violations.rule,
        violations.courier_platform,
        violations.review_status,
        violations.review_status = 'confirmed'
        or (violations.review_status = 'pending' and not settings.is_only_confirmed)
            as is_counted
    from fct_violations as violations
    cross join settings
    where violations.occurred_at is not null
)

select * from final
