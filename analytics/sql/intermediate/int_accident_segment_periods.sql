-- Grain: one accident x one segment it counts in (int_accident_segments) x one period kind:
-- 'week', period_start_date the Monday of its ISO week, or 'month', the first of its month, in
-- the record's own local calendar. What the accident trends count, period by period.
with segments as (
    select * from int_accident_segments
),

final as (
    select
        'week' as period_kind,
        week_start_date as period_start_date,
        *
    from segments
    union all
    select
        'month' as period_kind,
        month_start_date as period_start_date,
        *
    from segments
)

select * from final
