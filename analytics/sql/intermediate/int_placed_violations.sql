-- Grain: one violation that counts against someone: placed in time, not rejected by a reviewer,
-- and, when only confirmed events count, confirmed. Every published rate counts these.
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
        violations.review_status
    from fct_violations as violations
    cross join settings
    where
        violations.occurred_at is not null
        and (
            violations.review_status = 'confirmed'
            or (violations.review_status = 'pending' and not settings.is_only_confirmed)
        )
)

select * from final
